using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmKernel.Primitives;
using CrmKernel.Events;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Events;
using CrmKernel.Storage;

namespace CrmKernel.CrashHarness;

/// <summary>
/// The parent: runs rounds on one store. Each round starts a writer child, waits for <c>ready</c>, lets it commit for a
/// random few milliseconds, kills it with SIGKILL, reopens the store and checks every acknowledgement and every
/// all-or-nothing rule. Rounds accumulate on the same database; at the end every acknowledgement ever made is checked again.
/// </summary>
internal sealed class CrashParent(string kind, string location, int kills, int seed, int maxDelayMs)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<Guid, (long Version, int Round)> _customers = [];
    private readonly List<Guid> _customerIds = [];
    private readonly List<(Guid Customer, string Prefix, int Count, decimal Revenue)> _batches = [];
    private readonly List<(Guid Customer, string Prefix, int Count)> _lifecycleBatches = [];
    private readonly List<string> _problems = [];
    private long _acknowledged;
    private int _kills;
    private int _relayed;
    private int _lost;
    private int _halfWritten;

    public async Task<int> RunAsync()
    {
        var watch = Stopwatch.StartNew();
        var next = new WriterChild(kind, location, 0, _random.Next());
        try
        {
            for (var round = 0; round < kills; round++)
            {
                var current = next;
                await current.WaitReadyAsync(round);

                // The next writer starts now, so its start-up overlaps this round's writes and checks.
                next = new WriterChild(kind, location, round + 1, _random.Next());
                var existing = _customerIds.Count == 0 ? [] : Enumerable.Range(0, 3).Select(_ => _customerIds[_random.Next(_customerIds.Count)]).Distinct().ToList();

                // A quarter of the kills land at a random point after "go" (often inside the first, still cold, commits), the
                // rest at a random point after the first acknowledgement (inside the warm commit loop).
                var afterFirstAck = _random.Next(4) != 0;
                var delay = TimeSpan.FromMilliseconds(_random.Next(afterFirstAck ? 3 * maxDelayMs / 2 : 2 * maxDelayMs + 1));
                var acks = await current.RunAndKillAsync(round, existing, afterFirstAck, delay);
                _kills++;
                await CheckAsync(acks, final: false);
                if (_problems.Count > 0)
                {
                    break;
                }
            }
        }
        finally
        {
            await next.KillAsync();
        }

        if (_problems.Count == 0)
        {
            await CheckAsync([], final: true);
        }

        foreach (var problem in _problems.Take(20))
        {
            Console.Error.WriteLine($"crash {kind}: {problem}");
        }

        var integrity = _problems.Any(p => p.StartsWith("integrity", StringComparison.Ordinal)) ? "integrity FAILED" : "integrity ok";
        Console.WriteLine(
            $"crash {kind}: {_kills} kills, {_acknowledged} acknowledged writes checked, lost {_lost}, half-written {_halfWritten}, {integrity}, {_relayed} events left unpublished by kills relayed (seed {seed}, {watch.Elapsed.TotalSeconds:F1} s)");
        return _problems.Count == 0 ? 0 : 1;
    }

    private async Task CheckAsync(List<string> acks, bool final)
    {
        // Adopt this round's acknowledgements into the model; each is checked below.
        var checkCustomers = new HashSet<Guid>();
        var checkBatches = new List<(Guid Customer, string Prefix, int Count, decimal Revenue)>();
        var checkLifecycle = new List<(Guid Customer, string Prefix, int Count)>();
        foreach (var ack in acks)
        {
            var f = ack.Split(' ');
            switch (f[0])
            {
                case "C":
                    var id = Guid.Parse(f[1]);
                    var version = long.Parse(f[2], CultureInfo.InvariantCulture);
                    if (!_customers.TryGetValue(id, out var known))
                    {
                        _customerIds.Add(id);
                    }

                    if (version > known.Version)
                    {
                        _customers[id] = (version, int.Parse(f[3], CultureInfo.InvariantCulture));
                    }

                    checkCustomers.Add(id);
                    break;
                case "B":
                    var batch = (Guid.Parse(f[1]), f[2], int.Parse(f[3], CultureInfo.InvariantCulture), decimal.Parse(f[4], CultureInfo.InvariantCulture));
                    _batches.Add(batch);
                    checkBatches.Add(batch);
                    break;
                case "L":
                    var lc = (Guid.Parse(f[1]), f[2], int.Parse(f[3], CultureInfo.InvariantCulture));
                    _lifecycleBatches.Add(lc);
                    checkLifecycle.Add(lc);
                    break;
                default:
                    _problems.Add($"unreadable acknowledgement '{ack}'");
                    break;
            }

            _acknowledged++;
        }

        if (final)
        {
            checkCustomers.UnionWith(_customers.Keys);
            checkBatches.AddRange(_batches);
            checkLifecycle.AddRange(_lifecycleBatches);
        }

        await using var store = await CrashStore.OpenAsync(kind, location);
        if (await store.IntegrityProblemAsync() is { } integrity)
        {
            _problems.Add($"integrity: {integrity}");
        }

        var tenant = new TenantId(CrashWriter.Tenant);
        var lcTenant = new TenantId(CrashWriter.LifecycleTenant);

        // 1. Every acknowledged customer write is there, with the acknowledged content (or a later commit's).
        foreach (var id in checkCustomers)
        {
            var expected = _customers[id];
            var stored = await store.Customers.FindAsync(tenant, new CustomerId(id), default);
            if (stored is null || stored.Version < expected.Version)
            {
                Lost($"customer {id}: acknowledged at version {expected.Version}, stored {stored?.Version.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
                continue;
            }

            var step = stored.CustomAttributes.TryGetValue("step", out var s) ? s.AsNumber() : -1;
            var round = stored.CustomAttributes.TryGetValue("round", out var r) ? r.AsNumber() : -1;
            if (step != stored.Version)
            {
                HalfWritten($"customer {id}: version {stored.Version} holds the state written for version {step}");
            }
            else if (stored.Version == expected.Version && round != expected.Round)
            {
                Lost($"customer {id}: version {expected.Version} acknowledged for round {expected.Round}, stored from round {round}");
            }
            else if (stored.Version > expected.Version)
            {
                // A commit that landed before the kill but whose acknowledgement did not: it is the state from now on.
                _customers[id] = (stored.Version, (int)round);
            }
        }

        // 2. Every acknowledged touchpoint batch is there in full, with its content.
        foreach (var (customer, prefix, count, revenue) in checkBatches)
        {
            var found = await TimelineAsync(store, tenant, customer);
            var keys = found.Where(t => t.Source.Key.StartsWith(prefix + "-", StringComparison.Ordinal)).ToList();
            var sum = keys.Sum(t => t.Revenue?.Amount ?? 0m);
            if (keys.Count != count || sum != revenue || found.Count != count)
            {
                Lost($"batch {prefix}: acknowledged {count} touchpoints worth {revenue}, stored {keys.Count} worth {sum} ({found.Count} for its customer)");
            }
        }

        foreach (var (customer, prefix, count) in checkLifecycle)
        {
            var found = await TimelineAsync(store, lcTenant, customer);
            var keys = found.Count(t => t.Source.Key.StartsWith(prefix + "-", StringComparison.Ordinal));
            if (keys != count)
            {
                Lost($"lifecycle batch {prefix}: acknowledged {count} touchpoints, stored {keys}");
            }
        }

        // 3. Nothing half-written anywhere in the store (raw SQL, not the adapter's reads).
        await CheckAllOrNothingAsync(store, CrashWriter.Tenant, strict: true);
        await CheckAllOrNothingAsync(store, CrashWriter.LifecycleTenant, strict: false);
        await CheckBatchesAsync(store, CrashWriter.Tenant, CrashWriter.PlainBatch);
        await CheckBatchesAsync(store, CrashWriter.LifecycleTenant, CrashWriter.LifecycleBatch);

        // 4. Every tenant-"crash" customer reads back through the library, and holds the state of its version (at the end).
        if (final)
        {
            var repository = new CustomerRepository(store.Customers, NodaTime.SystemClock.Instance);
            foreach (var name in new[] { CrashWriter.Tenant, CrashWriter.LifecycleTenant })
            {
                var versions = await store.CustomerVersionsAsync(name);
                var read = 0;
                await foreach (var customer in repository.StreamAsync(new TenantId(name)))
                {
                    read++;
                    var step = customer.CustomAttributes.TryGetValue("step", out var s) ? s.AsNumber() : -1;
                    if (name == CrashWriter.Tenant && step != customer.Version)
                    {
                        HalfWritten($"customer {customer.Id}: version {customer.Version} holds the state written for version {step}");
                    }
                }

                if (read != versions.Count)
                {
                    _problems.Add($"integrity: {versions.Count} customers of {name} stored, {read} read back");
                }

                var touchpoints = 0L;
                foreach (var id in versions.Keys)
                {
                    touchpoints += (await TimelineAsync(store, new TenantId(name), id)).Count;
                }

                await RelayAsync(store, name);
                var keys = (await store.SourceKeysAsync(name, CrashWriter.Source)).Count;
                if (name == CrashWriter.LifecycleTenant && touchpoints != keys)
                {
                    _problems.Add($"integrity: {keys} touchpoints of {name} stored, {touchpoints} read back");
                }
            }
        }
    }

    /// <summary>
    /// Outbox rows exist exactly for committed events: no row for a customer that is not stored or for a version above the
    /// stored one; and, where every commit raises events (strict: saves through the repository), one or more rows for each
    /// version 1 to the stored one.
    /// </summary>
    private async Task CheckAllOrNothingAsync(CrashStore store, string tenant, bool strict)
    {
        var versions = await store.CustomerVersionsAsync(tenant);
        var outbox = await store.OutboxAsync(tenant);
        var seen = new Dictionary<Guid, HashSet<long>>();
        foreach (var (aggregate, version, _) in outbox)
        {
            if (!versions.TryGetValue(aggregate, out var stored))
            {
                HalfWritten($"outbox of {tenant}: events of customer {aggregate} version {version}, which is not stored");
                continue;
            }

            if (version > stored)
            {
                HalfWritten($"outbox of {tenant}: events of customer {aggregate} version {version}, stored at version {stored}");
            }

            (seen.TryGetValue(aggregate, out var set) ? set : seen[aggregate] = []).Add(version);
        }

        foreach (var (customer, stored) in versions)
        {
            var set = seen.GetValueOrDefault(customer) ?? [];
            var missing = strict
                ? Enumerable.Range(1, (int)stored).Where(v => !set.Contains(v)).ToList()
                : set.Contains(1) ? [] : [1];
            if (missing.Count > 0)
            {
                HalfWritten($"outbox of {tenant}: customer {customer} stored at version {stored} without the events of version(s) {string.Join(',', missing)}");
            }
        }
    }

    /// <summary>Every touchpoint batch in the store is whole: all of its source keys, or none.</summary>
    private async Task CheckBatchesAsync(CrashStore store, string tenant, int size)
    {
        var keys = await store.SourceKeysAsync(tenant, CrashWriter.Source);
        foreach (var group in keys.GroupBy(k => k[..k.LastIndexOf('-')]))
        {
            if (group.Count() != size)
            {
                HalfWritten($"batch {group.Key} of {tenant}: {group.Count()} of {size} touchpoints stored");
            }
        }
    }

    private static async Task<List<CrmKernel.Touchpoints.Touchpoint>> TimelineAsync(CrashStore store, TenantId tenant, Guid customer)
    {
        var all = new List<CrmKernel.Touchpoints.Touchpoint>();
        var filter = new TimelineFilter([new CustomerId(customer)]);
        CrmKernel.Touchpoints.TimelinePosition? after = null;
        while (true)
        {
            var page = await store.Touchpoints.PageTimelineAsync(tenant, filter, after, 1_000, default);
            all.AddRange(page);
            if (page.Count < 1_000)
            {
                break;
            }

            after = new CrmKernel.Touchpoints.TimelinePosition(page[^1].OccurredAt, page[^1].Id);
        }

        return all;
    }

    /// <summary>
    /// Events a kill left committed but unpublished (the writer died between its commit and marking the events published)
    /// are published after the restart by <see cref="CrmEventRelay"/>: each pending event once, in commit order per
    /// customer, and nothing is pending afterwards.
    /// </summary>
    private async Task RelayAsync(CrashStore store, string tenant)
    {
        var versions = (await store.OutboxAsync(tenant)).ToDictionary(e => e.EventId, e => (e.Aggregate, e.Version));
        var consumer = new RecordingConsumer();
        var relay = new CrmEventRelay(store.Outbox, consumer);
        while (await relay.PublishPendingAsync(new TenantId(tenant)) > 0)
        {
        }

        if ((await store.Outbox.ListPendingAsync(new TenantId(tenant), 1, default)).Count > 0)
        {
            HalfWritten($"outbox of {tenant}: events still pending after the relay ran");
        }

        if (consumer.Events.Select(e => e.EventId).Distinct().Count() != consumer.Events.Count)
        {
            _problems.Add($"relay: an event of {tenant} was published twice in one run");
        }

        foreach (var customer in consumer.Events.GroupBy(e => versions[e.EventId].Aggregate))
        {
            var order = customer.Select(e => versions[e.EventId].Version).ToList();
            if (!order.SequenceEqual(order.Order()))
            {
                _problems.Add($"relay: events of customer {customer.Key} published out of commit order ({string.Join(',', order)})");
            }
        }

        _relayed += consumer.Events.Count;
    }

    private sealed class RecordingConsumer : ICrmEventPublisher
    {
        public List<ICrmEvent> Events { get; } = [];

        public ValueTask PublishAsync(IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken)
        {
            Events.AddRange(events);
            return ValueTask.CompletedTask;
        }
    }

    private void Lost(string what)
    {
        _lost++;
        _problems.Add("lost: " + what);
    }

    private void HalfWritten(string what)
    {
        _halfWritten++;
        _problems.Add("half-written: " + what);
    }
}
