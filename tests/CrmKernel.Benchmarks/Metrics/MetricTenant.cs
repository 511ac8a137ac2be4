using System.Globalization;
using CrmKernel.Benchmarks.Storage;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// One tenant for the metric benchmarks, the same rows on every side: a <see cref="MetricDataSet"/> recorded as customers
/// (created at their data-set instant, with as many completeness values populated as the data set says) and touchpoints
/// in the in-memory reference stores, each touchpoint applied to its customer's lifecycle with the default model, so
/// customers carry real lifecycle histories (first purchase, repeat, complaints and recovery, lapses). The histories are
/// read back from the stored snapshots for the compact scan and for DuckDB. Built once per process and size, because a
/// fill of a million customers takes minutes: the benchmarks run in process (<see cref="InProcessShortRunConfig"/>).
/// </summary>
public sealed class MetricTenant
{
    private static MetricTenant? _cached;

    private MetricTenant(MetricDataSet data, InMemoryCustomerStore customers, InMemoryTouchpointStore touchpoints, IReadOnlyList<LifecycleTransitionRecord>[] histories, CustomerCommit[] commits, List<Touchpoint[]> batches)
    {
        Data = data;
        Customers = customers;
        Touchpoints = touchpoints;
        Histories = histories;
        Commits = commits;
        Batches = batches;
    }

    public static TenantId Tenant => CustomerDataSet.Tenant;

    public MetricDataSet Data { get; }

    public InMemoryCustomerStore Customers { get; }

    public InMemoryTouchpointStore Touchpoints { get; }

    /// <summary>Each customer's lifecycle history as stored.</summary>
    public IReadOnlyList<LifecycleTransitionRecord>[] Histories { get; }

    /// <summary>The customers as committed (for filling another store).</summary>
    public CustomerCommit[] Commits { get; }

    /// <summary>The touchpoints as appended, in batches of 10,000 (for filling another store).</summary>
    public List<Touchpoint[]> Batches { get; }

    /// <summary>The same rows imported into an in-process DuckDB, loaded on first use.</summary>
    public DuckDbMetrics DuckDb => field ??= DuckDbMetrics.Load(this);

    /// <summary>The tenant of <paramref name="customers"/> customers, built on first use and kept for the process.</summary>
    public static MetricTenant Get(int customers)
    {
        if (_cached?.Data.Customers.Length != customers)
        {
            _cached?.DuckDb.Dispose();
            _cached = null;
            GC.Collect();
            _cached = Create(MetricDataSet.Generate(customers, seed: 7));
        }

        return _cached;
    }

    private static MetricTenant Create(MetricDataSet data)
    {
        var model = DefaultLifecycleModel.Create();
        var outbox = new InMemoryCrmOutbox();
        var customers = new InMemoryCustomerStore(outbox);
        var touchpoints = new InMemoryTouchpointStore();
        var clock = new SettableClock();
        var channels = MetricDataSet.ChannelNames.Select(n => new ChannelId(n)).ToArray();
        var count = data.Customers.Length;
        var histories = new IReadOnlyList<LifecycleTransitionRecord>[count];
        var commits = new CustomerCommit[count];
        var batches = new List<Touchpoint[]>();
        var batch = new List<Touchpoint>(10_000);
        var recordedAt = Instant.FromUtc(2026, 3, 1, 0, 0);
        for (var c = 0; c < count; c++)
        {
            clock.Now = data.CreatedAt[c];
            var customer = Customer.Register(Tenant, new PersonProfile("Test", "Customer"), clock);
            var populated = data.Customers[c].PopulatedValues;
            if (populated >= 1)
            {
                customer.AddContactPoint(EmailAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"c{c}@example.com")), "work");
            }

            if (populated >= 2)
            {
                customer.ChangeHomeTimeZone(DateTimeZone.Utc);
            }

            if (populated >= 3)
            {
                customer.AddExternalIdentifier(new ExternalIdentifier("shop", string.Create(CultureInfo.InvariantCulture, $"S-{c}")));
            }

            for (var k = data.Starts[c]; k < data.Starts[c + 1]; k++)
            {
                var touchpoint = Touchpoint.Create(Tenant, TouchpointId.New(), recordedAt, Details(customer.Id, channels, c, k, in data.Touchpoints[k]));
                customer.ApplyTouchpoint(model, touchpoint);
                batch.Add(touchpoint);
                if (batch.Count == batch.Capacity)
                {
                    batches.Add(Append(touchpoints, batch));
                }
            }

            var commit = CustomerCommit.Create(customer);
            Sync.Complete(customers.CommitAsync(commit, CancellationToken.None));
            commits[c] = commit;
            histories[c] = commit.Customer.LifecycleHistory;
            CustomerDataSet.Check(CustomerFacts.Of(commit.Customer) == data.Customers[c], "a stored customer's completeness facts equal the data set's");
            if (c % 10_000 == 9_999)
            {
                CustomerDataSet.DrainOutbox(outbox);
            }
        }

        batches.Add(Append(touchpoints, batch));
        CustomerDataSet.DrainOutbox(outbox);
        return new MetricTenant(data, customers, touchpoints, histories, commits, batches);
    }

    private static Touchpoint[] Append(InMemoryTouchpointStore store, List<Touchpoint> batch)
    {
        var array = batch.ToArray();
        batch.Clear();
        CustomerDataSet.Check(Sync.Result(store.AppendAsync(Tenant, array, CancellationToken.None)).Appended == array.Length, "every touchpoint is appended");
        return array;
    }

    private static NewTouchpoint Details(CustomerId customer, ChannelId[] channels, int c, int k, in MetricTouchpoint t) => new()
    {
        CustomerId = customer,
        Channel = channels[t.Channel],
        Direction = t.Direction,
        Function = t.Function,
        Kind = t.Kind switch
        {
            MetricTouchpointKind.Purchase => TouchpointKind.Purchase,
            MetricTouchpointKind.Enquiry => TouchpointKind.Enquiry,
            MetricTouchpointKind.Complaint => TouchpointKind.Complaint,
            MetricTouchpointKind.Resolution => TouchpointKind.Resolution,
            MetricTouchpointKind.CampaignContact => TouchpointKind.CampaignContact,
            MetricTouchpointKind.Response => TouchpointKind.Response,
            _ => TouchpointKind.Feedback,
        },
        OccurredAt = t.OccurredAt,
        Source = new ExternalIdentifier("bench", string.Create(CultureInfo.InvariantCulture, $"{c}-{k}")),
        Outcome = t.Resolved ? TouchpointOutcome.Resolved : null,
        Satisfaction = t.Scale is { } scale ? SatisfactionScore.Create(scale, t.Score) : null,
        Cost = t.HasCost ? new Money(t.Cost, Currency.GBP) : null,
        Revenue = t.Kind == MetricTouchpointKind.Purchase ? new Money(t.Revenue, Currency.GBP) : null,
    };

    /// <summary>A clock set to each customer's creation instant before it is registered.</summary>
    private sealed class SettableClock : IClock
    {
        public Instant Now { get; set; }

        public Instant GetCurrentInstant() => Now;
    }
}
