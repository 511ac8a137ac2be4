using System.Globalization;
using System.Text;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.CrashHarness;

/// <summary>
/// The child: opens the store, says <c>ready</c>, waits for <c>go</c> on stdin, then commits in a loop through the library's public paths and, after
/// each commit returns, writes one acknowledgement line saying exactly what was committed. It runs until it is killed.
/// </summary>
/// <remarks>
/// Lines (all fields separated by one space):
/// <list type="bullet">
/// <item><c>C {customer} {version} {round}</c>: <see cref="CustomerRepository.SaveAsync"/> stored the customer of tenant
/// <see cref="Tenant"/> at that version with attributes <c>round</c> = round and <c>step</c> = version (a registration is
/// version 1, an update the version it read plus one).</item>
/// <item><c>B {customer} {prefix} {count} {revenue}</c>: <see cref="TouchpointIngestion.RecordManyAsync"/> stored a batch of
/// <c>count</c> touchpoints of a customer nobody registered (one plain append) under source keys <c>{prefix}-{i}</c>,
/// whose revenues (EUR) add up to <c>revenue</c>.</item>
/// <item><c>L {customer} {prefix} {count}</c>: a batch of purchases of a customer of tenant <see cref="LifecycleTenant"/>,
/// stored with the customer's lifecycle change in one commit.</item>
/// </list>
/// Deliberate bugs for proving the harness can fail are switched on with <c>CRMKERNEL_CRASH_BUG</c>:
/// <c>ack-before-commit</c> writes the customer acknowledgement before the save.
/// </remarks>
internal static class CrashWriter
{
    public const string Tenant = "crash";
    public const string LifecycleTenant = "crash-lc";
    public const string Source = "crash";
    public const int PlainBatch = 20;
    public const int LifecycleBatch = 5;

    private static readonly Stream Out = Console.OpenStandardOutput();

    public static async Task<int> RunAsync(string kind, string location, int round, int seed)
    {
        var bug = Environment.GetEnvironmentVariable("CRMKERNEL_CRASH_BUG");
        await using var store = await CrashStore.OpenAsync(kind, location);
        var clock = SystemClock.Instance;
        var tenant = new TenantId(Tenant);
        var lcTenant = new TenantId(LifecycleTenant);
        var repository = new CustomerRepository(store.Customers, clock, null, store.Outbox);
        var plain = new TouchpointIngestion(store.Touchpoints, clock);
        var lifecycle = new TouchpointIngestion(store.Touchpoints, clock, DefaultLifecycleModel.Create(), store.Customers, store.CustomerTouchpoints, null, store.Outbox);
        var random = new Random(seed);
        var mine = new List<CustomerId>();
        var lcCustomers = new List<CustomerId>();
        var batch = 0;
        Write("ready");

        // The parent starts the next writer while it checks the last one; this one waits here, store open, until told to
        // go, and learns then which customers of earlier rounds it may update.
        var go = Console.In.ReadLine();
        if (go is null || !go.StartsWith("go", StringComparison.Ordinal))
        {
            return 1;
        }

        mine.AddRange(go.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(CustomerId.Parse));

        for (var n = 0; ; n++)
        {
            var op = random.Next(100);
            if (op < 30 || mine.Count == 0)
            {
                var customer = Customer.Register(tenant, new PersonProfile("Crash", $"R{round}"), clock);
                customer.SetCustomAttribute("round", CustomAttributeValue.FromNumber(round));
                customer.SetCustomAttribute("step", CustomAttributeValue.FromNumber(1));
                await SaveAsync(customer, 1);
                mine.Add(customer.Id);
            }
            else if (op < 60)
            {
                var customer = await repository.GetAsync(tenant, mine[random.Next(mine.Count)]);
                var version = customer.Version + 1;
                customer.SetCustomAttribute("round", CustomAttributeValue.FromNumber(round));
                customer.SetCustomAttribute("step", CustomAttributeValue.FromNumber(version));
                await SaveAsync(customer, version);
            }
            else if (op < 85)
            {
                var prefix = $"r{round}-b{batch++}";
                var unknown = CustomerId.New();
                var revenue = 0m;
                var touchpoints = new NewTouchpoint[PlainBatch];
                for (var i = 0; i < touchpoints.Length; i++)
                {
                    var amount = random.Next(1, 100_000) / 100m;
                    revenue += amount;
                    touchpoints[i] = Purchase(unknown, clock.GetCurrentInstant(), $"{prefix}-{i}", amount);
                }

                var result = await plain.RecordManyAsync(tenant, touchpoints);
                Check(result.Recorded == PlainBatch, "plain batch not fully recorded");
                Write($"B {unknown} {prefix} {PlainBatch} {revenue.ToString(CultureInfo.InvariantCulture)}");
            }
            else
            {
                if (lcCustomers.Count == 0 || random.Next(3) == 0)
                {
                    var customer = Customer.Register(lcTenant, new PersonProfile("Crash", $"L{round}"), clock);
                    await repository.SaveAsync(customer);
                    lcCustomers.Add(customer.Id);
                }

                var owner = lcCustomers[random.Next(lcCustomers.Count)];
                var prefix = $"r{round}-l{batch++}";
                var touchpoints = new NewTouchpoint[LifecycleBatch];
                for (var i = 0; i < touchpoints.Length; i++)
                {
                    touchpoints[i] = Purchase(owner, clock.GetCurrentInstant(), $"{prefix}-{i}", 10m + i);
                }

                var result = await lifecycle.RecordManyAsync(lcTenant, touchpoints);
                Check(result.Recorded == LifecycleBatch, "lifecycle batch not fully recorded");
                Write($"L {owner} {prefix} {LifecycleBatch}");
            }
        }

        async Task SaveAsync(Customer customer, long version)
        {
            var ack = $"C {customer.Id} {version} {round}";
            if (bug == "ack-before-commit")
            {
                Write(ack);
                await repository.SaveAsync(customer);
                return;
            }

            await repository.SaveAsync(customer);
            Check(customer.Version == version, "unexpected version");
            Write(ack);
        }
    }

    public static NewTouchpoint Purchase(CustomerId customer, Instant at, string key, decimal revenue) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = at,
        Source = new ExternalIdentifier(Source, key),
        Revenue = Money.Of(revenue, "EUR"),
    };

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }

    /// <summary>Writes one whole line with one write call, so a kill leaves either the whole line or none of it.</summary>
    private static void Write(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        Out.Write(bytes);
        Out.Flush();
    }
}
