using System.Globalization;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Storage;

/// <summary>
/// The in-memory store keeps touchpoints in columns and rebuilds them on read: every value must come back exactly,
/// including the ones the compact row cannot hold (times beyond 1678–2261, amounts wider than 64 bits), the scale and
/// sign of amounts, and keys spread over several arena chunks; the indexes must survive growth.
/// </summary>
public sealed class InMemoryTouchpointColumnsTests
{
    private static readonly TenantId Tenant = TenantId.Parse("columns");
    private static readonly TenantId Other = TenantId.Parse("other");
    private static readonly CustomerId Ada = CustomerId.New();
    private static readonly Instant Recorded = Instant.FromUtc(2026, 12, 5, 9, 0);

    public static TheoryData<string> Instants => new()
    {
        "1500-01-01T00:00:00Z",
        "1677-09-21T00:12:43.145224191Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999999Z",
        "2026-12-05T10:11:12.123456789Z",
        "2261-12-31T23:59:59.999999999Z",
        "2262-04-11T23:47:16.854775807Z",
        "9999-12-31T23:59:59.999999999Z",
    };

    public static TheoryData<string> Amounts => new()
    {
        "0", "0.00", "-0.00", "12.5", "12.50", "-12.50", "0.0000000000000000000000000001",
        "18446744073709551615", "18446744073709551616", "-18446744073709551616.5",
        "79228162514264337593543950335", "-79228162514264337593543950335",
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public async Task An_instant_anywhere_in_NodaTimes_range_comes_back_exactly(string text)
    {
        var at = InstantPattern(text);
        var store = new InMemoryTouchpointStore();
        var touchpoint = Record(Details("t-1", at), recordedAt: at);

        await store.AppendAsync(Tenant, [touchpoint], default);

        var read = await store.FindAsync(Tenant, touchpoint.Id, default);
        await foreach (var batch in store.StreamRowsByCustomerAsync(Tenant, [Ada], null, default))
        {
            Assert.Equal(at, Assert.Single(batch.ToArray()).OccurredAt);
        }

        Assert.NotNull(read);
        Assert.Equal(at, read.OccurredAt);
        Assert.Equal(at, read.RecordedAt);
        Assert.True(touchpoint.HasSameContent(read));
    }

    [Theory]
    [MemberData(nameof(Amounts))]
    public async Task An_amount_comes_back_with_its_value_scale_and_sign(string text)
    {
        var amount = decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
        if (text.StartsWith('-') && amount == 0m)
        {
            amount = new decimal(0, 0, 0, isNegative: true, scale: 2);
        }

        var store = new InMemoryTouchpointStore();
        var revenue = new Money(amount, Currency.EUR);
        var cost = new Money(Math.Abs(amount), Currency.EUR);
        var touchpoint = Record(Details("t-1", Recorded, revenue: revenue, cost: cost));

        await store.AppendAsync(Tenant, [touchpoint], default);

        var read = await store.FindBySourceAsync(Tenant, touchpoint.Source, default);
        Assert.NotNull(read);
        Assert.Equal(decimal.GetBits(amount), decimal.GetBits(read.Revenue!.Value.Amount));
        Assert.Equal(decimal.GetBits(Math.Abs(amount)), decimal.GetBits(read.Cost!.Value.Amount));
        Assert.Equal(Currency.EUR, read.Revenue.Value.Currency);
        await foreach (var batch in store.StreamRowsByCustomerAsync(Tenant, [Ada], null, default))
        {
            var row = Assert.Single(batch.ToArray());
            Assert.Equal(decimal.GetBits(amount), decimal.GetBits(row.Revenue!.Value.Amount));
            Assert.Equal(cost, row.Cost);
        }
    }

    [Fact]
    public async Task Keys_of_the_longest_length_spread_over_several_arena_chunks_and_indexes_that_grew_all_find_their_touchpoint()
    {
        var store = new InMemoryTouchpointStore();
        var longest = new string('k', ExternalIdentifier.MaxKeyLength - 8);
        var touchpoints = Enumerable.Range(0, 6_000)
            .Select(i => Record(Details(string.Create(CultureInfo.InvariantCulture, $"{longest}{i:D8}"), Recorded + Duration.FromSeconds(i), customer: i % 3 == 0 ? Ada : CustomerId.New())))
            .ToArray();

        var result = await store.AppendAsync(Tenant, touchpoints, default);

        Assert.Equal(touchpoints.Length, result.Appended);
        Assert.Equal(touchpoints.Length, await store.CountAsync(Tenant, default));
        foreach (var touchpoint in touchpoints)
        {
            var bySource = await store.FindBySourceAsync(Tenant, touchpoint.Source, default);
            var byId = await store.FindAsync(Tenant, touchpoint.Id, default);
            Assert.True(bySource is not null && touchpoint.HasSameContent(bySource), touchpoint.Source.Key[^8..]);
            Assert.Equal(touchpoint.Id, byId?.Id);
        }

        Assert.Null(await store.FindAsync(Tenant, TouchpointId.New(), default));
        Assert.Null(await store.FindBySourceAsync(Tenant, new ExternalIdentifier("test", "missing"), default));
        Assert.Null(await store.FindBySourceAsync(Tenant, new ExternalIdentifier("unknown-system", touchpoints[0].Source.Key), default));
        Assert.Null(await store.FindAsync(Other, touchpoints[0].Id, default));
    }

    [Fact]
    public async Task A_replayed_batch_reads_back_from_the_columns_as_already_present_and_a_changed_one_as_a_conflict()
    {
        var store = new InMemoryTouchpointStore();
        var touchpoints = Enumerable.Range(0, 100).Select(i => Record(Details($"t-{i}", Recorded + Duration.FromMinutes(i)))).ToArray();
        await store.AppendAsync(Tenant, touchpoints, default);

        var replay = await store.AppendAsync(Tenant, touchpoints.Select(t => Record(t.ToDetails())).ToArray(), default);
        var changed = await store.AppendAsync(Tenant, [Record(Details("t-7", Recorded + Duration.FromMinutes(7), channel: "sms"))], default);

        Assert.Equal(0, replay.Appended);
        Assert.Equal(Enumerable.Range(0, 100), replay.AlreadyPresent);
        Assert.Equal([0], changed.Conflicts);
        Assert.Equal(100, await store.CountAsync(Tenant, default));
    }

    [Fact]
    public async Task Past_65534_distinct_kinds_outcomes_and_source_systems_in_a_tenant_the_values_are_kept_beside_the_row_and_still_found()
    {
        const int Distinct = 65_540;
        var store = new InMemoryTouchpointStore();
        var touchpoints = Enumerable.Range(0, Distinct)
            .Select(i => Touchpoint.Create(Tenant, TouchpointId.New(), Recorded, new NewTouchpoint
            {
                CustomerId = Ada,
                Channel = new ChannelId("email"),
                Direction = InteractionDirection.Outbound,
                Function = CrmFunction.Service,
                Kind = new TouchpointKind(string.Create(CultureInfo.InvariantCulture, $"kind-{i}")),
                OccurredAt = Recorded - Duration.FromSeconds(i),
                Source = new ExternalIdentifier(string.Create(CultureInfo.InvariantCulture, $"system-{i}"), "same-key"),
                Outcome = new TouchpointOutcome(string.Create(CultureInfo.InvariantCulture, $"outcome-{i}")),
            }))
            .ToArray();

        var appended = 0;
        foreach (var batch in touchpoints.Chunk(StoreLimits.MaxAppendBatch))
        {
            appended += (await store.AppendAsync(Tenant, batch, default)).Appended;
        }

        Assert.Equal(Distinct, appended);
        foreach (var touchpoint in touchpoints[^10..])
        {
            var read = await store.FindBySourceAsync(Tenant, touchpoint.Source, default);
            Assert.True(read is not null && touchpoint.HasSameContent(read), touchpoint.Source.Source);
        }

        var last = touchpoints[^1];
        var page = await store.PageTimelineAsync(Tenant, new TimelineFilter([Ada], kinds: [last.Kind]), null, 10, default);
        Assert.Equal(last.Id, Assert.Single(page).Id);
        var replay = await store.AppendAsync(Tenant, [Touchpoint.Create(Tenant, TouchpointId.New(), Recorded, last.ToDetails())], default);
        Assert.Equal([0], replay.AlreadyPresent);

        var scanned = new List<TouchpointScanRow>();
        await foreach (var batch in store.StreamRowsByCustomerAsync(Tenant, [Ada], null, default))
        {
            scanned.AddRange(batch.ToArray());
        }

        Assert.Equal(touchpoints.OrderBy(t => t.Position).Select(TouchpointScanRow.From), scanned);
    }

    [Theory]
    [InlineData("ключ-1")]
    [InlineData("clé 42")]
    [InlineData("订单/7")]
    public async Task A_key_outside_ASCII_comes_back_exactly_and_is_found(string key)
    {
        var store = new InMemoryTouchpointStore();
        var touchpoint = Record(Details(key, Recorded));
        await store.AppendAsync(Tenant, [Record(Details("ascii", Recorded)), touchpoint], default);

        var read = await store.FindBySourceAsync(Tenant, new ExternalIdentifier("test", key), default);

        Assert.NotNull(read);
        Assert.Equal(key, read.Source.Key);
        Assert.Equal(touchpoint.Id, read.Id);
    }

    [Property(MaxTest = 60)]
    public Property Every_touchpoint_appended_in_any_order_reads_back_with_the_same_content_and_each_timeline_in_position_order()
    {
        var customers = Enumerable.Range(0, 4).Select(_ => CustomerId.New()).ToArray();
        var gen = CrmGenerators.NewTouchpointFor(customers).ListOf().Select(l => l.Take(40).ToArray());
        return Prop.ForAll(gen.ToArbitrary(), details =>
        {
            var store = new InMemoryTouchpointStore();
            var touchpoints = details.Select(d => Record(d)).ToArray();
            foreach (var touchpoint in touchpoints)
            {
                store.AppendAsync(Tenant, [touchpoint], default).AsTask().GetAwaiter().GetResult();
            }

            var roundTrips = touchpoints.All(t => store.FindAsync(Tenant, t.Id, default).AsTask().GetAwaiter().GetResult() is { } read && t.HasSameContent(read));
            var ordered = customers.All(c =>
            {
                var page = store.PageTimelineAsync(Tenant, new TimelineFilter([c]), null, 10_000, default).AsTask().GetAwaiter().GetResult();
                var expected = touchpoints.Where(t => t.CustomerId == c).OrderBy(t => t.Position).Select(t => t.Id);
                return page.Select(t => t.Id).SequenceEqual(expected);
            });
            return roundTrips && ordered;
        });
    }

    /// <summary>
    /// The same in bulk: hundreds of customers (the customer index grows several times, outgrown timeline chunks are
    /// handed to other customers) appended in batches of any size (the bulk append's prefetching runs ahead of the row it
    /// stores): every timeline still holds exactly its customer's touchpoints in position order.
    /// </summary>
    [Property(MaxTest = 30)]
    public Property Bulk_appends_over_many_customers_keep_every_timeline_whole_and_in_position_order()
    {
        var customers = Enumerable.Range(0, 300).Select(_ => CustomerId.New()).ToArray();
        var gen =
            from details in CrmGenerators.NewTouchpointFor(customers).ArrayOf(600)
            from batch in Gen.Choose(1, 97)
            select (details, batch);
        return Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var store = new InMemoryTouchpointStore();
            var touchpoints = input.details.DistinctBy(d => d.Source).Select(d => Record(d)).ToArray();
            foreach (var chunk in touchpoints.Chunk(input.batch))
            {
                var result = store.AppendAsync(Tenant, chunk, default).AsTask().GetAwaiter().GetResult();
                if (result.Appended != chunk.Length)
                {
                    return false;
                }
            }

            return customers.All(c =>
            {
                var page = store.PageTimelineAsync(Tenant, new TimelineFilter([c]), null, 10_000, default).AsTask().GetAwaiter().GetResult();
                var expected = touchpoints.Where(t => t.CustomerId == c).OrderBy(t => t.Position).Select(t => t.Id);
                return page.Select(t => t.Id).SequenceEqual(expected);
            });
        });
    }

    private static Instant InstantPattern(string text) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(text).Value;

    private static Touchpoint Record(NewTouchpoint details, Instant? recordedAt = null)
        => Touchpoint.Create(Tenant, TouchpointId.New(), recordedAt ?? Recorded, details);

    private static NewTouchpoint Details(string key, Instant occurredAt, Money? revenue = null, Money? cost = null, CustomerId? customer = null, string channel = "email") => new()
    {
        CustomerId = customer ?? Ada,
        Channel = new ChannelId(channel),
        Revenue = revenue,
        Cost = cost,
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = occurredAt,
        Source = new ExternalIdentifier("test", key),
    };
}
