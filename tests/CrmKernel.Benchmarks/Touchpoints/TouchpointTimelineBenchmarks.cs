using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CrmKernel.Primitives;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Touchpoints;

/// <summary>
/// Reading one customer's timeline out of a large tenant: the customer has 10,000 touchpoints spread evenly over five
/// years among <see cref="TenantTouchpoints"/> touchpoints of 100,000 other customers. Two tenant sizes show how the
/// read scales with the tenant. Each read touches every touchpoint it returns (its occurred-at instant), as a caller
/// showing the timeline would.
/// </summary>
/// <remarks>
/// Filling 10 million touchpoints takes minutes and about 4 GiB, so these benchmarks run in-process and each tenant
/// size is filled once for the class and shared by its benchmarks, which only read.
/// </remarks>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class TouchpointTimelineBenchmarks
{
    public const int CustomerTouchpoints = 10_000;

    public const int PageSize = 100;

    private static readonly ChannelId FilteredChannel = TouchpointData.Channels[2];
    private static readonly Instant FilterFrom = Instant.FromUtc(2023, 1, 1, 0, 0);
    private static readonly Instant FilterTo = Instant.FromUtc(2024, 1, 1, 0, 0);
    private static readonly Dictionary<int, Tenant> Filled = [];

    private Tenant _tenant = null!;

    /// <summary>All touchpoints of the tenant, the customer's 10,000 included.</summary>
    [Params(1_000_000, 10_000_000)]
    public int TenantTouchpoints { get; set; }

    [GlobalSetup]
    public void FillTenant()
    {
        if (!Filled.TryGetValue(TenantTouchpoints, out var tenant))
        {
            Filled[TenantTouchpoints] = tenant = Tenant.Fill(TenantTouchpoints);
        }

        _tenant = tenant;
    }

    /// <summary>The customer's whole timeline through <see cref="CustomerTimeline.StreamCustomerAsync"/> (pages of 500).</summary>
    [Benchmark]
    public async Task<int> StreamWholeTimeline()
    {
        var read = 0;
        await foreach (var touchpoint in _tenant.Timeline.StreamCustomerAsync(TouchpointData.Tenant, _tenant.Customer).ConfigureAwait(false))
        {
            read += Touch(touchpoint);
        }

        return Expect(read, CustomerTouchpoints);
    }

    /// <summary>One page of 100 from the middle of the timeline, by keyset cursor.</summary>
    [Benchmark]
    public async Task<int> ReadPageFromMiddle()
    {
        var page = await _tenant.Store.PageTimelineAsync(TouchpointData.Tenant, _tenant.CustomerOnly, _tenant.Middle, PageSize, CancellationToken.None).ConfigureAwait(false);
        var read = 0;
        foreach (var touchpoint in page)
        {
            read += Touch(touchpoint);
        }

        return Expect(read, PageSize);
    }

    /// <summary>One channel in one year of the customer's timeline (about 400 touchpoints).</summary>
    [Benchmark]
    public async Task<int> StreamChannelInOneYear()
    {
        var read = 0;
        await foreach (var touchpoint in _tenant.Timeline.StreamAsync(TouchpointData.Tenant, _tenant.ChannelInOneYear).ConfigureAwait(false))
        {
            read += Touch(touchpoint);
        }

        return Expect(read, _tenant.ExpectedInChannelAndYear);
    }

    /// <summary>Reads the touchpoint's occurred-at instant, as any caller reads something of what it gets; counts one.</summary>
    private static int Touch(Touchpoint touchpoint) => touchpoint.OccurredAt >= TouchpointData.Start ? 1 : 0;

    private static int Expect(int read, int expected)
        => read == expected ? read : throw new InvalidOperationException($"Read {read} touchpoints instead of {expected}.");

    /// <summary>A filled tenant and what the benchmarks read from it.</summary>
    private sealed class Tenant
    {
        private Tenant(InMemoryTouchpointStore store, CustomerId customer, TimelinePosition middle, int expectedInChannelAndYear)
        {
            Store = store;
            Timeline = new CustomerTimeline(store);
            Customer = customer;
            Middle = middle;
            ExpectedInChannelAndYear = expectedInChannelAndYear;
            CustomerOnly = new TimelineFilter([customer]);
            ChannelInOneYear = new TimelineFilter([customer], from: FilterFrom, to: FilterTo, channels: [FilteredChannel]);
        }

        public InMemoryTouchpointStore Store { get; }

        public CustomerTimeline Timeline { get; }

        /// <summary>The customer with 10,000 touchpoints.</summary>
        public CustomerId Customer { get; }

        /// <summary>The position of the customer's 5,000th touchpoint: the cursor of a page from the middle.</summary>
        public TimelinePosition Middle { get; }

        public int ExpectedInChannelAndYear { get; }

        public TimelineFilter CustomerOnly { get; }

        public TimelineFilter ChannelInOneYear { get; }

        /// <summary>
        /// Fills a tenant with <paramref name="size"/> touchpoints in time order; the customer's sit at every n-th
        /// position of the feed and rotate through the channels.
        /// </summary>
        public static Tenant Fill(int size)
        {
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var clock = Stopwatch.StartNew();
            var others = TouchpointData.Customers(100_000, seed: 1);
            var customer = TouchpointData.Customers(1, seed: 99)[0];
            var store = new InMemoryTouchpointStore();
            var every = size / CustomerTouchpoints;
            var step = TouchpointData.Span / size;
            var random = new Random(5);
            var batch = new Touchpoint[TouchpointIngestion.BatchSize];
            var filled = 0;
            var customerCount = 0;
            var expected = 0;
            TimelinePosition middle = default;
            for (var i = 0; i < size; i++)
            {
                var occurredAt = TouchpointData.Start + (step * i);
                Touchpoint touchpoint;
                if (i % every == every / 2)
                {
                    var channel = customerCount % TouchpointData.Channels.Length;
                    touchpoint = TouchpointData.Record(TouchpointData.Details(i, "tl", customer, channel, occurredAt, random), random);
                    if (customerCount == (CustomerTouchpoints / 2) - 1)
                    {
                        middle = touchpoint.Position;
                    }

                    if (TouchpointData.Channels[channel] == FilteredChannel && occurredAt >= FilterFrom && occurredAt < FilterTo)
                    {
                        expected++;
                    }

                    customerCount++;
                }
                else
                {
                    var details = TouchpointData.Details(i, "tl", others[random.Next(others.Length)], random.Next(TouchpointData.Channels.Length), occurredAt, random);
                    touchpoint = TouchpointData.Record(details, random);
                }

                batch[filled++] = touchpoint;
                if (filled == batch.Length)
                {
                    TouchpointData.AppendAll(store, [batch]);
                    batch = new Touchpoint[TouchpointIngestion.BatchSize];
                    filled = 0;
                }
            }

            TouchpointData.AppendAll(store, [batch[..filled]]);
            var count = store.CountAsync(TouchpointData.Tenant, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (count != size || customerCount != CustomerTouchpoints)
            {
                throw new InvalidOperationException($"The tenant holds {count} touchpoints and the customer {customerCount}.");
            }

            var filledIn = clock.Elapsed;
            var tenant = new Tenant(store, customer, middle, expected);
            var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"// TouchpointTimeline: {count:N0} touchpoints filled in {filledIn.TotalSeconds:F0} s; they take {heap / (1024.0 * 1024 * 1024):F2} GiB of managed heap ({(double)heap / count:F0} B each); the channel-in-one-year read expects {expected}"));
            return tenant;
        }
    }

    private sealed class Config : ManualConfig
    {
        // The in-process toolchain gives up on a benchmark after 5 minutes by default; filling 10M touchpoints on a busy machine takes longer.
        public Config() => AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: true)));
    }
}
