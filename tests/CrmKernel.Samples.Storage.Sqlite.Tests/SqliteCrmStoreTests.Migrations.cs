using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>Files written by an earlier version of the adapter are migrated to the current schema, keeping their data.</summary>
public sealed partial class SqliteCrmStoreTests
{
    /// <summary>
    /// The version-1 script exactly as it shipped (commit 6d3b18a), with the version table of that release. A file
    /// built from it is what every user of the first release has on disk.
    /// </summary>
    private const string ShippedVersion1 = """
        CREATE TABLE customers (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            home_time_zone TEXT,
            given_name TEXT,
            family_name TEXT,
            preferred_name TEXT,
            honorific TEXT,
            birth_date TEXT,
            preferred_language TEXT,
            job_title TEXT,
            legal_name TEXT,
            trading_name TEXT,
            registration_number TEXT,
            tax_id TEXT,
            industry TEXT,
            website TEXT,
            employee_count INTEGER,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE customer_contact_points (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            is_primary INTEGER NOT NULL,
            label TEXT,
            PRIMARY KEY (tenant, customer_id, position),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX customer_contact_points_by_value ON customer_contact_points (tenant, kind, value);

        CREATE TABLE customer_identifiers (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            "key" TEXT NOT NULL,
            PRIMARY KEY (tenant, customer_id, position),
            UNIQUE (tenant, source, "key"),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE customer_tags (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            tag TEXT NOT NULL,
            PRIMARY KEY (tenant, customer_id, tag),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE customer_attributes (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (tenant, customer_id, name),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL,
            event_id TEXT NOT NULL UNIQUE,
            aggregate_type TEXT NOT NULL,
            aggregate_id TEXT NOT NULL,
            aggregate_version INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            payload TEXT NOT NULL,
            published INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        CREATE INDEX outbox_pending ON outbox (tenant, seq) WHERE published = 0;
        """;

    private const string ShippedVersionTable = """
        CREATE TABLE IF NOT EXISTS crm_schema (
            version INTEGER NOT NULL PRIMARY KEY,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ) STRICT
        """;

    [Fact]
    public async Task Version1File_IsMigratedToVersion2_KeepingItsData_AndGainingTouchpointsAndRelationships()
    {
        var customerId = CreateVersion1File();
        var v1AppliedAt = _database.Scalar("SELECT applied_at FROM crm_schema WHERE version = 1");

        var touchpoint = Touchpoint.Create(Tenant, TouchpointId.New(), _clock.GetCurrentInstant(), new NewTouchpoint
        {
            CustomerId = customerId,
            Channel = new ChannelId("web"),
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Sales,
            Kind = TouchpointKind.Purchase,
            OccurredAt = Instant.FromUtc(2026, 3, 14, 10, 30).PlusNanoseconds(1),
            Source = new ExternalIdentifier("webshop", "order-1001"),
            Revenue = Money.Of(49.90m, "GBP"),
        });
        var relationship = Relationship.Create(Tenant, RelationshipId.New(), RelationshipType.Household, customerId, CustomerId.New(), false, Instant.FromUtc(2024, 1, 1, 0, 0), null, 1);
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            // The customer and its pending event written by version 1 read back through the migrated file.
            var customer = await store.FindAsync(Tenant, customerId, default);
            Assert.NotNull(customer);
            Assert.Equal(new PersonProfile("Ada", "Lovelace"), customer.Profile);
            Assert.Equal(EmailAddress.Parse("ada@example.test"), customer.ContactPoints[0].Value);
            Assert.Equal(new ExternalIdentifier("webshop", "C-1815"), customer.ExternalIdentifiers[0]);
            Assert.Equal("CustomerRegistered", Assert.Single(await store.ListPendingAsync(Tenant, 10, default)).EventType);

            Assert.Equal(1, (await store.Touchpoints.AppendAsync(Tenant, [touchpoint], default)).Appended);
            await store.Relationships.CommitAsync(relationship, 0, default);
        }

        Assert.Equal(string.Join(',', Enumerable.Range(1, SqliteCrmStore.SupportedSchemaVersion)), _database.Scalar("SELECT group_concat(version) FROM (SELECT version FROM crm_schema ORDER BY version)"));
        Assert.Equal(v1AppliedAt, _database.Scalar("SELECT applied_at FROM crm_schema WHERE version = 1"));
        Assert.Equal("wal", _database.Scalar("PRAGMA journal_mode"));

        await using (var reopened = new SqliteCrmStore(_database.ConnectionString))
        {
            Assert.Equal(touchpoint.Id, (await reopened.Touchpoints.FindBySourceAsync(Tenant, touchpoint.Source, default))?.Id);
            Assert.Equal(relationship.Id, Assert.Single(await reopened.Relationships.ListByPartyAsync(Tenant, customerId, default)).Id);
            Assert.Equal(1, await reopened.CountAsync(Tenant, default));
        }
    }

    [Fact]
    public async Task MigratedFile_HasExactlyTheSchemaOfANewFile()
    {
        CreateVersion1File();
        await using (var migrated = new SqliteCrmStore(_database.ConnectionString))
        {
            await migrated.InitializeAsync(default);
        }

        using var fresh = new TempDatabase();
        await using (var created = new SqliteCrmStore(fresh.ConnectionString))
        {
            await created.InitializeAsync(default);
        }

        // Same tables, indexes and column definitions, statement for statement: migrating is the same as creating.
        const string schema = "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_schema ORDER BY type, name)";
        Assert.Equal(fresh.Scalar(schema), _database.Scalar(schema));
        Assert.Contains("touchpoints_scan", (string)_database.Scalar(schema)!, StringComparison.Ordinal);
        Assert.DoesNotContain("touchpoints_timeline", (string)_database.Scalar(schema)!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version7File_IsMigratedToVersion8_KeepingItsDeals_AndStoresCases()
    {
        var pipeline = CrmKernel.Sales.SalesPipeline.Define(Tenant, SalesPipelineId.New(), "Direct", [new CrmKernel.Sales.SalesStage("qualify", "Qualify", 0.1m, CrmKernel.Sales.ForecastCategory.Pipeline)]);
        var deal = CrmKernel.Sales.Opportunity.Open(OpportunityId.New(), CustomerId.New(), pipeline, "Deal", "owner", Currency.EUR, new LocalDate(2026, 6, 30), Instant.FromUtc(2026, 3, 1, 9, 0), "rep");
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await store.Sales.CommitAsync(OpportunityCommit.Create(deal), default);
        }

        // Version 8 only adds the case table, version 9 the segment tables, version 10 the prediction market tables, version 11 the idea tables, version 12 the erasure records and version 13 the merge tables, so this is exactly a version-7 file with its rows.
        _database.Execute("""
            DROP TABLE customer_merge_redirects;
            DROP TABLE customer_merges;
            DROP TABLE customer_erasures;
            DROP TABLE idea_votes;
            DROP TABLE customer_voices;
            DROP TABLE ideas;
            DROP TABLE prediction_market_trades;
            DROP TABLE prediction_markets;
            DROP TABLE segment_snapshot_members;
            DROP TABLE segment_snapshots;
            DROP TABLE segment_definitions;
            DROP TABLE service_cases;
            DELETE FROM crm_schema WHERE version IN (8, 9, 10, 11, 12, 13);
            """);
        Assert.Equal(7L, _database.Scalar("SELECT max(version) FROM crm_schema"));

        var serviceCase = CrmKernel.Cases.ServiceCase.Open(Tenant, CaseId.New(), deal.CustomerId, "After the upgrade", "billing", CrmKernel.Cases.CasePriority.Normal, null, false, null, Instant.FromUtc(2026, 3, 2, 9, 0), "agent");
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            Assert.Equal(deal.Id, (await store.Sales.FindAsync(Tenant, deal.Id, default))!.Id);
            await store.Cases.CommitAsync(CaseCommit.Create(serviceCase), default);
            Assert.Equal(serviceCase.Id, Assert.Single(await store.Cases.PageByCustomerAsync(Tenant, deal.CustomerId, null, 10, default)).Id);
            var segment = new CrmKernel.Segments.SegmentDefinition(new CrmKernel.Segments.SegmentId("after-upgrade"), 1, "After the upgrade", new CrmKernel.Segments.HasTagRule(new CrmKernel.Customers.CustomerTag("vip")), Instant.FromUtc(2026, 3, 2, 9, 0));
            await store.Segments.SaveAsync(Tenant, segment, default);
            Assert.Equal(segment.Rule, (await store.Segments.FindAsync(Tenant, segment.Id, null, default))!.Rule);
        }

        Assert.Equal((long)SqliteCrmStore.SupportedSchemaVersion, _database.Scalar("SELECT max(version) FROM crm_schema"));
        Assert.Equal(13, SqliteCrmStore.SupportedSchemaVersion);
    }

    [Fact]
    public async Task Version5File_IsMigratedToVersion6_KeepingItsTouchpoints_AndTheScanReadsOnlyTheCoveringIndex()
    {
        var customers = new[] { CustomerId.New(), CustomerId.New() };
        var touchpoints = Enumerable.Range(0, 6)
            .Select(i => ScanTouchpoint(customers[i % 2], Instant.FromUtc(2026, 3, 1, 12, 0).PlusNanoseconds(1_000_000_007L * (6 - i)), $"order-{i}"))
            .ToArray();
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            Assert.Equal(6, (await store.Touchpoints.AppendAsync(Tenant, touchpoints, default)).Appended);
        }

        // Versions 1-5 are unchanged, version 6 only swaps one index, version 7 only adds the sales tables, version 8
        // the case table, version 9 the segment tables, version 10 the prediction market tables, version 11 the idea tables, version 12 the erasure records and version 13 the merge tables, so this is exactly a version-5 file with its rows.
        _database.Execute("""
            DROP TABLE customer_merge_redirects;
            DROP TABLE customer_merges;
            DROP TABLE customer_erasures;
            DROP TABLE idea_votes;
            DROP TABLE customer_voices;
            DROP TABLE ideas;
            DROP TABLE prediction_market_trades;
            DROP TABLE prediction_markets;
            DROP TABLE segment_snapshot_members;
            DROP TABLE segment_snapshots;
            DROP TABLE segment_definitions;
            DROP TABLE service_cases;
            DROP TABLE opportunities;
            DROP TABLE sales_pipelines;
            DROP INDEX touchpoints_scan;
            CREATE INDEX touchpoints_timeline ON touchpoints (tenant, customer_id, occurred_at, id);
            DELETE FROM crm_schema WHERE version IN (6, 7, 8, 9, 10, 11, 12, 13);
            """);
        Assert.Equal(5L, _database.Scalar("SELECT max(version) FROM crm_schema"));

        await using (var migrated = new SqliteCrmStore(_database.ConnectionString))
        {
            var rows = new List<TouchpointScanRow>();
            await foreach (var batch in migrated.Touchpoints.StreamRowsByCustomerAsync(Tenant, customers, null, default))
            {
                rows.AddRange(batch.Span);
            }

            Assert.Equal(touchpoints.OrderBy(t => t.CustomerId).ThenBy(t => t.Position).Select(TouchpointScanRow.From), rows);
            var timeline = await migrated.Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([customers[0]]), null, 10, default);
            Assert.Equal(touchpoints.Where(t => t.CustomerId == customers[0]).OrderBy(t => t.Position).Select(t => t.Id), timeline.Select(t => t.Id));
        }

        Assert.Equal((long)SqliteCrmStore.SupportedSchemaVersion, _database.Scalar("SELECT max(version) FROM crm_schema"));
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'touchpoints_scan'"));
        Assert.Equal(0L, _database.Scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'touchpoints_timeline'"));
        Assert.Equal(6L, _database.Scalar("SELECT count(*) FROM touchpoints"));

        // The scan is served by the covering index alone (no lookup into the table) and in its order (no sort).
        var plan = ExplainScan(customers);
        Assert.Contains("USING COVERING INDEX touchpoints_scan", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    /// <summary>The query plan of the adapter's scan statement for <paramref name="customers"/>, one detail per line.</summary>
    private string ExplainScan(IEnumerable<CustomerId> customers)
    {
        using var connection = _database.OpenRaw();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + TouchpointSql.SelectScanRows.Text;
        explain.Parameters.AddWithValue("$tenant", Tenant.Value);
        explain.Parameters.AddWithValue("$customers", "[" + string.Join(',', customers.Select(c => $"\"{c}\"")) + "]");
        explain.Parameters.AddWithValue("$to", "~");
        using var reader = explain.ExecuteReader();
        var details = new List<string>();
        while (reader.Read())
        {
            details.Add(reader.GetString(3));
        }

        return string.Join('\n', details);
    }

    private Touchpoint ScanTouchpoint(CustomerId customer, Instant occurredAt, string key) => Touchpoint.Create(Tenant, TouchpointId.New(), _clock.GetCurrentInstant(), new NewTouchpoint
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = occurredAt,
        Source = new ExternalIdentifier("webshop", key),
        Satisfaction = new CsatScore(4),
        Cost = Money.Of(1.25m, "GBP"),
        Revenue = Money.Of(49.90m, "GBP"),
    });

    [Fact]
    public async Task FailedMigration_LeavesTheFileAtVersion1()
    {
        CreateVersion1File();

        // A table in the way makes script 2 fail half-way: its transaction must leave nothing of version 2 behind.
        _database.Execute("CREATE TABLE relationships (x INTEGER)");
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(async () => await store.InitializeAsync(default));
        }

        Assert.Equal(1L, _database.Scalar("SELECT max(version) FROM crm_schema"));
        Assert.Equal(0L, _database.Scalar("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'touchpoint%'"));

        _database.Execute("DROP TABLE relationships");
        await using (var retried = new SqliteCrmStore(_database.ConnectionString))
        {
            await retried.InitializeAsync(default);
        }

        Assert.Equal((long)SqliteCrmStore.SupportedSchemaVersion, _database.Scalar("SELECT max(version) FROM crm_schema"));
    }

    /// <summary>
    /// Writes a file as the first release left it: the shipped version-1 schema, recorded as version 1, in the default
    /// rollback journal, with one customer (contact point, identifier) and its pending event, as raw rows.
    /// </summary>
    private CustomerId CreateVersion1File()
    {
        var id = CustomerId.New();
        var at = "2025-06-01T12:00:00.000000001Z";
        const string payload = "{}";
        _database.Execute(ShippedVersionTable + ";" + ShippedVersion1 + $"""
            ;
            INSERT INTO crm_schema (version, applied_at) VALUES (1, '2025-06-01T11:59:59.000Z');
            INSERT INTO customers (tenant, id, version, kind, created_at, updated_at, given_name, family_name)
                VALUES ('{Tenant.Value}', '{id}', 1, 'person', '{at}', '{at}', 'Ada', 'Lovelace');
            INSERT INTO customer_contact_points (tenant, customer_id, position, kind, value, is_primary, label)
                VALUES ('{Tenant.Value}', '{id}', 0, 'email', 'ada@example.test', 1, NULL);
            INSERT INTO customer_identifiers (tenant, customer_id, position, source, "key") VALUES ('{Tenant.Value}', '{id}', 0, 'webshop', 'C-1815');
            INSERT INTO outbox (tenant, event_id, aggregate_type, aggregate_id, aggregate_version, event_type, occurred_at, payload)
                VALUES ('{Tenant.Value}', '{Guid.NewGuid()}', 'customer', '{id}', 1, 'CustomerRegistered', '{at}', '{payload}');
            """);
        Assert.Equal("delete", _database.Scalar("PRAGMA journal_mode"));
        return id;
    }
}
