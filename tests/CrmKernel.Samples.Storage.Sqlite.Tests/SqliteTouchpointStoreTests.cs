using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Testing;
using CrmKernel.Touchpoints;
using FsCheck.Fluent;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>What the SQLite touchpoint store does beyond the conformance kit: its columns, its text order and its error translation.</summary>
public sealed class SqliteTouchpointStoreTests : IDisposable
{
    private static readonly TenantId Tenant = new("acme");
    private static readonly Instant Noon = Instant.FromUtc(2026, 3, 1, 12, 0);

    private readonly TempDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 9, 0).PlusNanoseconds(123_456_789), Duration.FromMilliseconds(1));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task StoredValues_AreExactAndReadableText()
    {
        var customer = CustomerId.New();
        var colleague = CustomerId.New();
        var touchpoint = Touchpoint.Create(Tenant, TouchpointId.New(), _clock.GetCurrentInstant(), new NewTouchpoint
        {
            CustomerId = customer,
            Channel = new ChannelId("store:london"),
            Direction = InteractionDirection.Outbound,
            Function = CrmFunction.Service,
            Kind = new TouchpointKind("warranty-claim"),
            OccurredAt = Noon.PlusNanoseconds(7),
            Source = new ExternalIdentifier("helpdesk", "T-77"),
            Participants = [TouchpointParticipant.Staff("agent-7", "agent"), TouchpointParticipant.Customer(colleague, "cc")],
            Outcome = TouchpointOutcome.Resolved,
            Satisfaction = new Ces2Score(6),
            Sentiment = new Sentiment(0.250m),
            Cost = Money.Of(12.50m, "EUR"),
            Revenue = Money.Of(-79228162514264337593543950.335m, "EUR"),
            ProductIds = ["sku-2", "sku-1", "ПРОДУКТ-7"],
            CampaignId = "win-back/q3",
        });
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.Touchpoints.AppendAsync(Tenant, [touchpoint], default);

        Assert.Equal(
            $"{touchpoint.Id}|{customer}|store:london|outbound|service|warranty-claim|2026-03-01T12:00:00.000000007Z|2026-03-01T09:00:00.123456789Z|helpdesk|T-77|resolved",
            _database.Scalar("SELECT concat_ws('|', id, customer_id, channel, direction, function, kind, occurred_at, recorded_at, source, source_key, outcome) FROM touchpoints"));
        Assert.Equal(
            "ces2|6|0.250|12.50|EUR|-79228162514264337593543950.335|EUR|win-back/q3",
            _database.Scalar("SELECT concat_ws('|', satisfaction_scale, satisfaction_value, sentiment, cost_amount, cost_currency, revenue_amount, revenue_currency, campaign) FROM touchpoints"));
        Assert.Equal("0:sku-2,1:sku-1,2:ПРОДУКТ-7", _database.Scalar("SELECT group_concat(position || ':' || product_id) FROM (SELECT * FROM touchpoint_products ORDER BY position)"));
        Assert.Equal($"0:agent::agent-7,1:cc:{colleague}:", _database.Scalar(
            "SELECT group_concat(position || ':' || role || ':' || coalesce(customer_id, '') || ':' || coalesce(user_id, '')) FROM (SELECT * FROM touchpoint_participants ORDER BY position)"));

        var stored = await store.Touchpoints.FindAsync(Tenant, touchpoint.Id, default);
        Assert.NotNull(stored);
        Assert.True(touchpoint.HasSameContent(stored));
        Assert.Equal(touchpoint.RecordedAt, stored.RecordedAt);
        Assert.Equal("0.250", stored.Sentiment!.Value.ToString());
        Assert.Equal("-79228162514264337593543950.335 EUR", stored.Revenue!.Value.ToString());
        Assert.IsType<Ces2Score>(stored.Satisfaction);
    }

    [Fact]
    public async Task Timeline_OrdersTiesByTouchpointId_ForIdsOfAnyShape()
    {
        // Keyset paging compares the id text; it must be TouchpointId order for any GUID, not only version-7 ones.
        var ids = new List<TouchpointId>
        {
            new(Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff")),
            new(Guid.Parse("80000000-8000-8000-8000-800000000000")),
            new(Guid.Parse("7fffffff-7fff-7fff-7fff-7fffffffffff")),
            new(Guid.Parse("00000000-0000-0000-0000-000000000001")),
        };
        ids.AddRange(Enumerable.Range(0, 40).Select(_ => new TouchpointId(Guid.NewGuid())));
        var customers = new[] { CustomerId.New(), CustomerId.New() };
        var touchpoints = ids.Select((id, i) => NewTouchpoint(id, customers[i % 2], Noon, $"tie-{i}")).ToArray();
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.Touchpoints.AppendAsync(Tenant, touchpoints, default);

        Assert.Equal(ids.Order(), await ReadAllAsync(store.Touchpoints, new TimelineFilter(customers), 3));
        Assert.Equal(ids.Where((_, i) => i % 2 == 0).Order(), await ReadAllAsync(store.Touchpoints, new TimelineFilter([customers[0]]), 3));
    }

    [Fact]
    public async Task Timeline_OrdersInstantsAsTime_ToTheNanosecond_AcrossYearsZeroTo9999()
    {
        var customer = CustomerId.New();
        var instants = new[]
        {
            Instant.FromUtc(0, 1, 1, 0, 0),
            Instant.FromUtc(999, 12, 31, 23, 59).PlusNanoseconds(59_999_999_999),
            Instant.FromUtc(1000, 1, 1, 0, 0),
            Noon,
            Noon.PlusNanoseconds(1),
            Noon.PlusNanoseconds(10),
            Noon.PlusNanoseconds(100_000_000),
            Noon.PlusNanoseconds(999_999_999),
            Instant.MaxValue,
        };
        var touchpoints = instants.Select((at, i) => NewTouchpoint(TouchpointId.New(), customer, at, $"at-{i}")).Reverse().ToArray();
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.Touchpoints.AppendAsync(Tenant, touchpoints, default);

        var expected = touchpoints.OrderBy(t => t.OccurredAt).Select(t => t.Id).ToList();
        Assert.Equal(expected, await ReadAllAsync(store.Touchpoints, new TimelineFilter([customer]), 2));

        // A period includes its start and excludes its end, to the nanosecond.
        var period = new TimelineFilter([customer], from: Noon.PlusNanoseconds(1), to: Noon.PlusNanoseconds(999_999_999));
        Assert.Equal(expected.GetRange(4, 3), await ReadAllAsync(store.Touchpoints, period, 2));
        Assert.Equal(expected.GetRange(4, 3), await ReadAllAsync(store.Touchpoints, new TimelineFilter([customer, CustomerId.New()], period.From, period.To), 2));
    }

    [Fact]
    public async Task Append_OfATouchpointBeforeYearZero_IsRefused_AndStoresNothing()
    {
        var customer = CustomerId.New();
        var good = NewTouchpoint(TouchpointId.New(), customer, Noon, "good");
        var ancient = NewTouchpoint(TouchpointId.New(), customer, Instant.FromUtc(-1, 12, 31, 0, 0), "ancient");
        await using var store = new SqliteCrmStore(_database.ConnectionString);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await store.Touchpoints.AppendAsync(Tenant, [good, ancient], default));

        Assert.Equal("touchpoints", error.ParamName);
        Assert.Equal(0, await store.Touchpoints.CountAsync(Tenant, default));
    }

    [Fact]
    public async Task Append_IsOneTransaction_AFailureStoresNothingOfTheBatch()
    {
        var customer = CustomerId.New();
        var first = NewTouchpoint(TouchpointId.New(), customer, Noon, "first");
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.Touchpoints.AppendAsync(Tenant, [first], default);
        _database.Execute("UPDATE touchpoints SET direction = 'sideways'");

        // The re-delivery of the first touchpoint is compared with the stored row, which no longer reads: the append
        // fails there, after the fresh touchpoints before it were inserted, and those are rolled back with it.
        var fresh = Enumerable.Range(0, 20).Select(i => NewTouchpoint(TouchpointId.New(), customer, Noon, $"fresh-{i}")).ToList();
        var redelivered = Touchpoint.Create(Tenant, TouchpointId.New(), _clock.GetCurrentInstant(), first.ToDetails());
        await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await store.Touchpoints.AppendAsync(Tenant, [.. fresh, redelivered], default));

        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM touchpoints"));
        _database.Execute("UPDATE touchpoints SET direction = 'inbound'");
        var retried = await store.Touchpoints.AppendAsync(Tenant, [.. fresh, redelivered], default);
        Assert.Equal(20, retried.Appended);
        Assert.Equal([20], retried.AlreadyPresent);
    }

    [Fact]
    public async Task Data_SurvivesClosingAndReopeningTheStore()
    {
        var customers = new[] { CustomerId.New(), CustomerId.New() };
        var touchpoints = CrmGenerators.NewTouchpointFor(customers).Sample(20, 60)
            .Select(d => Touchpoint.Create(Tenant, TouchpointId.New(), _clock.GetCurrentInstant(), d)).ToArray();
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await store.Touchpoints.AppendAsync(Tenant, touchpoints, default);
        }

        await using var reopened = new SqliteCrmStore(_database.ConnectionString);
        var page = await reopened.Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter(customers), null, 10_000, default);
        Assert.Equal(touchpoints.OrderBy(t => t.Position).Select(t => t.Id), page.Select(t => t.Id));
        Assert.All(page, stored => Assert.True(touchpoints.Single(t => t.Id == stored.Id).HasSameContent(stored)));
    }

    /// <summary>A row edited by hand fails loudly, naming the table and the touchpoint, never the value.</summary>
    [Fact]
    public async Task ScanRows_CarryInstantsExactly_ToTheNanosecond_AcrossYearsZeroTo9999_AndStopAtTheEnd()
    {
        var customer = CustomerId.New();
        var instants = new[]
        {
            Instant.FromUtc(0, 1, 1, 0, 0),
            Instant.FromUtc(999, 12, 31, 23, 59).PlusNanoseconds(59_999_999_999),
            Noon,
            Noon.PlusNanoseconds(1),
            Noon.PlusNanoseconds(999_999_999),
            Instant.MaxValue,
        };
        var touchpoints = instants.Select((at, i) => NewTouchpoint(TouchpointId.New(), customer, at, $"at-{i}")).Reverse().ToArray();
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.Touchpoints.AppendAsync(Tenant, touchpoints, default);

        Assert.Equal(touchpoints.OrderBy(t => t.Position).Select(TouchpointScanRow.From), await ScanAsync(store, [customer], null));
        Assert.Equal(instants[..4], (await ScanAsync(store, [customer], Noon.PlusNanoseconds(999_999_999))).Select(r => r.OccurredAt));
    }

    [Theory]
    [InlineData("UPDATE touchpoints SET direction = 'sideways'", "sideways")]
    [InlineData("UPDATE touchpoints SET function = 'legal'", "legal")]
    [InlineData("UPDATE touchpoints SET channel = 'Web'", null)]
    [InlineData("UPDATE touchpoints SET kind = 'not a kind!'", "not a kind!")]
    [InlineData("UPDATE touchpoints SET occurred_at = '2026-03-01T12:00:00.00000000Z'", null)]
    [InlineData("UPDATE touchpoints SET occurred_at = '2026-03-01T12:00:00Z'", "2026-03-01T12:00:00Z")]
    [InlineData("UPDATE touchpoints SET occurred_at = '2026-13-01T12:00:00.000000000Z'", null)]
    [InlineData("UPDATE touchpoints SET outcome = 'Resolved'", null)]
    [InlineData("UPDATE touchpoints SET satisfaction_value = 11", null)]
    [InlineData("UPDATE touchpoints SET satisfaction_scale = 'stars'", "stars")]
    [InlineData("UPDATE touchpoints SET satisfaction_scale = NULL", null)]
    [InlineData("UPDATE touchpoints SET cost_amount = 'twelve'", "twelve")]
    [InlineData("UPDATE touchpoints SET cost_currency = NULL", null)]
    [InlineData("UPDATE touchpoints SET cost_currency = 'gbp'", null)]
    [InlineData("UPDATE touchpoints SET cost_amount = '-1'", null)]
    public async Task ScanRows_OfAHandEditedRow_AreInvalidStoredState_WithoutTheValue(string edit, string? editedValue)
    {
        var touchpoint = NewTouchpoint(TouchpointId.New(), CustomerId.New(), Noon, "edited");
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await store.Touchpoints.AppendAsync(Tenant, [touchpoint], default);
        }

        Assert.True(_database.Execute(edit) > 0);
        await using var reopened = new SqliteCrmStore(_database.ConnectionString);

        var error = await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await ScanAsync(reopened, [touchpoint.CustomerId], null));
        Assert.Equal(CrmErrorCodes.InvalidStoredState, error.ErrorCode);
        Assert.Equal("touchpoints", error.Origin);
        Assert.Contains(touchpoint.CustomerId.ToString(), error.Key, StringComparison.Ordinal);
        if (editedValue is not null)
        {
            Assert.DoesNotContain(editedValue, error.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<List<TouchpointScanRow>> ScanAsync(SqliteCrmStore store, IReadOnlyCollection<CustomerId> customers, Instant? to)
    {
        var rows = new List<TouchpointScanRow>();
        await foreach (var batch in store.Touchpoints.StreamRowsByCustomerAsync(Tenant, customers, to, default))
        {
            rows.AddRange(batch.Span);
        }

        return rows;
    }

    [Theory]
    [InlineData("touchpoints", "UPDATE touchpoints SET direction = 'sideways'", "sideways")]
    [InlineData("touchpoints", "UPDATE touchpoints SET function = 'legal'", "legal")]
    [InlineData("touchpoints", "UPDATE touchpoints SET channel = 'Web'", null)]
    [InlineData("touchpoints", "UPDATE touchpoints SET kind = 'not a kind!'", "not a kind!")]
    [InlineData("touchpoints", "UPDATE touchpoints SET customer_id = 'nobody'", "nobody")]
    [InlineData("touchpoints", "UPDATE touchpoints SET occurred_at = 'yesterday'", "yesterday")]
    [InlineData("touchpoints", "UPDATE touchpoints SET occurred_at = '2026-03-01T12:00:00Z'", "2026-03-01T12:00:00Z")]
    [InlineData("touchpoints", "UPDATE touchpoints SET recorded_at = 'soon'", "soon")]
    [InlineData("touchpoints", "UPDATE touchpoints SET outcome = 'Resolved'", null)]
    [InlineData("touchpoints", "UPDATE touchpoints SET satisfaction_value = 11", null)]
    [InlineData("touchpoints", "UPDATE touchpoints SET satisfaction_scale = 'stars'", "stars")]
    [InlineData("touchpoints", "UPDATE touchpoints SET satisfaction_scale = NULL", null)]
    [InlineData("touchpoints", "UPDATE touchpoints SET sentiment = '1.5'", null)]
    [InlineData("touchpoints", "UPDATE touchpoints SET cost_amount = 'twelve'", "twelve")]
    [InlineData("touchpoints", "UPDATE touchpoints SET cost_currency = NULL", null)]
    [InlineData("touchpoints", "UPDATE touchpoints SET revenue_currency = 'USD'", null)]
    [InlineData("touchpoints", "UPDATE touchpoints SET cost_amount = '-1'", null)]
    [InlineData("touchpoint_participants", "UPDATE touchpoint_participants SET user_id = NULL", null)]
    [InlineData("touchpoint_participants", "UPDATE touchpoint_participants SET role = 'not a role!'", "not a role!")]
    [InlineData("touchpoint_products", "UPDATE touchpoint_products SET product_id = '   '", null)]
    public async Task HandEditedRow_IsInvalidStoredState_NamingTableAndTouchpoint(string table, string edit, string? editedValue)
    {
        var touchpoint = NewTouchpoint(TouchpointId.New(), CustomerId.New(), Noon, "edited");
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await store.Touchpoints.AppendAsync(Tenant, [touchpoint], default);
        }

        Assert.True(_database.Execute(edit) > 0);
        await using var reopened = new SqliteCrmStore(_database.ConnectionString);
        var reads = new Func<Task>[]
        {
            async () => await reopened.Touchpoints.FindAsync(Tenant, touchpoint.Id, default),
            async () => await reopened.Touchpoints.FindBySourceAsync(Tenant, touchpoint.Source, default),
            async () => await reopened.Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([touchpoint.CustomerId]), null, 10, default),
            async () => await reopened.Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([touchpoint.CustomerId, CustomerId.New()]), null, 10, default),
        };
        if (edit.Contains("SET customer_id", StringComparison.Ordinal))
        {
            // The row no longer belongs to the customer's timeline; it is still found by id and by source key.
            reads = reads[..2];
        }

        foreach (var read in reads)
        {
            var error = await Assert.ThrowsAsync<InvalidStoredStateException>(read);
            Assert.Equal(CrmErrorCodes.InvalidStoredState, error.ErrorCode);
            Assert.Equal(table, error.Origin);
            Assert.Equal(touchpoint.Id.ToString(), error.Key);
            if (editedValue is not null)
            {
                Assert.DoesNotContain(editedValue, error.Message, StringComparison.Ordinal);
            }
        }
    }

    private Touchpoint NewTouchpoint(TouchpointId id, CustomerId customer, Instant occurredAt, string key) => Touchpoint.Create(Tenant, id, _clock.GetCurrentInstant(), new NewTouchpoint
    {
        CustomerId = customer,
        Channel = new ChannelId("phone"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Service,
        Kind = TouchpointKind.Complaint,
        OccurredAt = occurredAt,
        Source = new ExternalIdentifier("helpdesk", key),
        Participants = [TouchpointParticipant.Staff("agent-7", "agent")],
        Outcome = TouchpointOutcome.Unresolved,
        Satisfaction = new CsatScore(2),
        Sentiment = new Sentiment(-0.5m),
        Cost = Money.Of(4.50m, "GBP"),
        Revenue = Money.Of(0m, "GBP"),
        ProductIds = ["sku-1"],
    });

    private static async Task<List<TouchpointId>> ReadAllAsync(ITouchpointStore store, TimelineFilter filter, int pageSize)
    {
        var ids = new List<TouchpointId>();
        TimelinePosition? after = null;
        while (true)
        {
            var page = await store.PageTimelineAsync(Tenant, filter, after, pageSize, default);
            ids.AddRange(page.Select(t => t.Id));
            if (page.Count < pageSize)
            {
                return ids;
            }

            after = page[^1].Position;
        }
    }
}
