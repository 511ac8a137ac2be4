using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Xunit;

namespace CrmKernel.Samples.Storage.PostgreSql.Tests;

/// <summary>The PostgreSQL adapter's own rules: schema versions and migrations, registration, tenant isolation against guessed ids, inert hostile strings, killed connections.</summary>
public sealed class PostgreSqlCrmStoreTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly Instant Noon = Instant.FromUtc(2026, 3, 2, 12, 0);
    private readonly FakeClock _clock = new(Noon, Duration.FromMilliseconds(1));

    [Fact]
    public async Task Initialize_CreatesTheCurrentSchema_AndIsIdempotent()
    {
        var cs = await database.NewSchemaAsync();
        await using (var store = new PostgreSqlCrmStore(cs))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.InitializeAsync(CancellationToken.None);
        }

        await using (var again = new PostgreSqlCrmStore(cs))
        {
            await again.InitializeAsync(CancellationToken.None);
        }

        Assert.Equal(9, PostgreSqlCrmStore.SupportedSchemaVersion);
        Assert.Equal((long)PostgreSqlCrmStore.SupportedSchemaVersion, await database.ScalarAsync(cs, "SELECT count(*) FROM crm_schema"));
        Assert.Equal(PostgreSqlCrmStore.SupportedSchemaVersion, await database.ScalarAsync(cs, "SELECT max(version) FROM crm_schema"));
    }

    [Fact]
    public async Task Version1Database_WithData_MigratesToTheCurrentVersion()
    {
        var cs = await database.NewSchemaAsync();
        var tenant = new TenantId("migrate");
        CustomerId id;
        await using (var old = new PostgreSqlCrmStore(cs))
        {
            // Build a version-1 database with the script exactly as it shipped, and store a customer in it.
            await PostgreSqlSchema.MigrateAsync(old.Database, CancellationToken.None, upTo: 1);
            Assert.Equal(1, await database.ScalarAsync(cs, "SELECT max(version) FROM crm_schema"));
            Assert.Equal(0L, await database.ScalarAsync(cs, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'pending_dispatches' AND table_schema = current_schema()"));
            var customer = Customer.Register(tenant, new PersonProfile("Ada", "Lovelace"), _clock);
            id = customer.Id;
            await old.CommitAsync(CustomerCommit.Create(customer), CancellationToken.None);
        }

        await using var store = new PostgreSqlCrmStore(cs);
        var found = await store.FindAsync(tenant, id, CancellationToken.None);
        Assert.NotNull(found);
        Assert.Equal(PostgreSqlCrmStore.SupportedSchemaVersion, await database.ScalarAsync(cs, "SELECT max(version) FROM crm_schema"));
        Assert.Single(await store.ListPendingAsync(tenant, 10, CancellationToken.None));
        Assert.False(await store.PendingDispatches.RemoveAsync(tenant, "nothing-here", CancellationToken.None));
        Assert.Empty(await store.Sales.PageAsync(tenant, null, 10, CancellationToken.None));
        Assert.Empty(await store.Cases.PageAsync(tenant, null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task NewerSchema_IsRefused_BeforeAnythingChanges()
    {
        var cs = await database.NewSchemaAsync();
        await using (var store = new PostgreSqlCrmStore(cs))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        await PostgresDatabase.ExecuteAsync(cs, "INSERT INTO crm_schema (version) VALUES (99)");
        await using var newer = new PostgreSqlCrmStore(cs);
        var e = await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(async () => await newer.CountAsync(new TenantId("t"), CancellationToken.None));
        Assert.Equal("CRM-STORE-004", e.ErrorCode);
        Assert.Contains(database.Name, e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(async () => await newer.InitializeAsync(CancellationToken.None));
        Assert.Equal(PostgreSqlCrmStore.SupportedSchemaVersion + 1L, await database.ScalarAsync(cs, "SELECT count(*) FROM crm_schema"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Host=;Database=crm")]
    [InlineData("Host=localhost")]
    [InlineData("NotAKey=1")]
    public void ConnectionString_IsCheckedWhenRegistered(string connectionString)
    {
        var services = new ServiceCollection();
        var e = Assert.ThrowsAny<ArgumentException>(() => services.AddCrmKernel(k => k.UsePostgreSql(connectionString)));
        Assert.Equal("connectionString", e.ParamName);
    }

    [Fact]
    public async Task UsePostgreSql_RegistersEveryStore_OnOneInstance()
    {
        var cs = await database.NewSchemaAsync();
        var services = new ServiceCollection();
        services.AddCrmKernel(k => k.UseInMemoryStores().UsePostgreSql(cs));
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<PostgreSqlCrmStore>();
        Assert.Same(store, provider.GetRequiredService<ICustomerStore>());
        Assert.Same(store, provider.GetRequiredService<ICrmOutbox>());
        Assert.Same(store, provider.GetRequiredService<ICustomerTouchpointStore>());
        Assert.Same(store.Touchpoints, provider.GetRequiredService<ITouchpointStore>());
        Assert.Same(store.Relationships, provider.GetRequiredService<IRelationshipStore>());
        Assert.Same(store.PendingDispatches, provider.GetRequiredService<Channels.IPendingDispatchStore>());
        var repository = provider.GetRequiredService<CustomerRepository>();
        Assert.True(repository.SupportsBulkImport);
        var tenant = new TenantId("di");
        await repository.SaveAsync(Customer.Register(tenant, new PersonProfile("Grace", "Hopper"), _clock));
        Assert.Equal(1, await repository.CountAsync(tenant));
    }

    [Fact]
    public async Task GuessedIdsOfAnotherTenant_ReadCountUpdateTimelineRelationshipsAndScan_SeeNothing_AndChangeNothing()
    {
        await using var observed = await database.NewStoreAsync();
        var store = observed.Store;
        var (a, b) = (new TenantId("tenant-a"), new TenantId("tenant-b"));
        var customer = Customer.Register(a, new PersonProfile("Ada", "Lovelace"), _clock);
        customer.AddExternalIdentifier(new ExternalIdentifier("shop", "A-1"));
        customer.AddContactPoint(EmailAddress.Parse("ada@example.com"));
        await store.CommitAsync(CustomerCommit.Create(customer), CancellationToken.None);
        var touchpoint = NewTouchpoint(a, customer.Id, "k-1");
        Assert.Equal(1, (await store.Touchpoints.AppendAsync(a, [touchpoint], CancellationToken.None)).Appended);
        var other = Customer.Register(a, new PersonProfile("Charles", "Babbage"), _clock);
        var relationship = Relationship.Create(a, RelationshipId.New(), RelationshipType.Colleague, customer.Id, other.Id, false, Noon, null, 1);
        await store.Relationships.CommitAsync(relationship, 0, CancellationToken.None);

        // Tenant b, knowing (guessing) every id and key of tenant a.
        Assert.Null(await store.FindAsync(b, customer.Id, CancellationToken.None));
        Assert.Null(await store.FindByExternalIdentifierAsync(b, new ExternalIdentifier("shop", "A-1"), CancellationToken.None));
        Assert.Empty(await store.ListByContactPointAsync(b, EmailAddress.Parse("ada@example.com"), CancellationToken.None));
        Assert.Equal(0, await store.CountAsync(b, CancellationToken.None));
        Assert.Empty(await store.PageAsync(b, null, 100, CancellationToken.None));
        Assert.Empty(await store.ListPendingAsync(b, 100, CancellationToken.None));
        Assert.Null(await store.Touchpoints.FindAsync(b, touchpoint.Id, CancellationToken.None));
        Assert.Null(await store.Touchpoints.FindBySourceAsync(b, touchpoint.Source, CancellationToken.None));
        Assert.Equal(0, await store.Touchpoints.CountAsync(b, CancellationToken.None));
        Assert.Empty(await store.Touchpoints.PageTimelineAsync(b, new TimelineFilter([customer.Id]), null, 100, CancellationToken.None));
        Assert.Empty(await store.Touchpoints.StreamRowsByCustomerAsync(b, [customer.Id], null, CancellationToken.None).ToListAsync());
        Assert.Null(await store.Relationships.FindAsync(b, relationship.Id, CancellationToken.None));
        Assert.Empty(await store.Relationships.ListByPartyAsync(b, customer.Id, CancellationToken.None));

        // Updates by guessed id: a customer "update" in b is a conflict (no such customer there) and a's row keeps its version;
        // marking a's events published from b changes nothing; a relationship update from b conflicts.
        var snapshot = (await store.FindAsync(a, customer.Id, CancellationToken.None))!;
        var forged = new CustomerSnapshot
        {
            Id = snapshot.Id, TenantId = b, Profile = new PersonProfile("Mallory", null), CreatedAt = snapshot.CreatedAt, UpdatedAt = snapshot.UpdatedAt, Version = 2,
        };
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.CommitAsync(new CustomerCommit(forged, 1, []), CancellationToken.None));
        var pending = await store.ListPendingAsync(a, 100, CancellationToken.None);
        await store.MarkPublishedAsync(b, pending.Select(e => e.EventId).ToArray(), CancellationToken.None);
        Assert.Equal(pending.Count, (await store.ListPendingAsync(a, 100, CancellationToken.None)).Count);
        var forgedRelationship = Relationship.Create(b, relationship.Id, RelationshipType.Colleague, customer.Id, other.Id, false, Noon, Noon + Duration.FromDays(1), 2);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.Relationships.CommitAsync(forgedRelationship, 1, CancellationToken.None));
        var stored = await store.FindAsync(a, customer.Id, CancellationToken.None);
        Assert.Equal(1, stored!.Version);
        Assert.Equal("Ada", ((PersonProfile)stored.Profile).GivenName);
        Assert.Null((await store.Relationships.FindAsync(a, relationship.Id, CancellationToken.None))!.ValidTo);

        // Metric evaluation in b sees what it sees in a tenant nobody ever wrote to; in a it sees a's purchase.
        var evaluator = new MetricEvaluator(store, store.Touchpoints, new FixedExchangeRateProvider([]));
        var march = new MetricEvaluationRequest(new NodaTime.DateInterval(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 31)), DateTimeZone.Utc, Currency.EUR);
        async Task<string[]> FiguresAsync(TenantId tenant) => [.. (await evaluator.EvaluateAsync(tenant, StandardMetrics.CreateHierarchy(), march)).Results.Select(r => $"{r.Id} = {r.Value}")];
        var inB = await FiguresAsync(b);
        Assert.Equal(await FiguresAsync(new TenantId("never-written")), inB);
        Assert.NotEqual(inB, await FiguresAsync(a));
        observed.AssertEveryStatementRoutable();
    }

    [Fact]
    public async Task Append_OfAFreshBatch_IsOneCopyIntoTheTable_InTheTenantAppendedTo()
    {
        await using var observed = await database.NewStoreAsync();
        var store = observed.Store;
        var (a, b) = (new TenantId("copy-a"), new TenantId("copy-b"));
        var customer = CustomerId.New();
        var batchA = Enumerable.Range(0, 300).Select(i => NewTouchpoint(a, customer, $"k-{i}")).ToArray();
        var batchB = Enumerable.Range(0, 200).Select(i => NewTouchpoint(b, customer, $"k-{i}")).ToArray();
        observed.ClearStatements();

        var resultA = await store.Touchpoints.AppendAsync(a, batchA, CancellationToken.None);
        var resultB = await store.Touchpoints.AppendAsync(b, batchB, CancellationToken.None);

        Assert.Equal((300, 0, 0), (resultA.Appended, resultA.AlreadyPresent.Count, resultA.Conflicts.Count));
        Assert.Equal((200, 0, 0), (resultB.Appended, resultB.AlreadyPresent.Count, resultB.Conflicts.Count));

        // The fast path: no staging table, no INSERT … SELECT.
        Assert.Equal(2, observed.Statements.Count(s => s.StartsWith("COPY touchpoints (tenant_id,", StringComparison.Ordinal)));
        Assert.DoesNotContain(observed.Statements, s => s.Contains("touchpoint_staging", StringComparison.Ordinal));
        Assert.Equal(300, await store.Touchpoints.CountAsync(a, CancellationToken.None));
        Assert.Equal(200, await store.Touchpoints.CountAsync(b, CancellationToken.None));
        Assert.Equal(200L, await database.ScalarAsync(store.Database.DataSource.ConnectionString, "SELECT count(*) FROM touchpoints WHERE tenant_id = 'copy-b'"));
        foreach (var t in batchA.Take(20).Concat(batchB.Take(20)))
        {
            Assert.True((await store.Touchpoints.FindAsync(t.TenantId, t.Id, CancellationToken.None))!.HasSameContent(t));
        }

        observed.AssertEveryStatementRoutable();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(250)]
    [InlineData(499)]
    public async Task Append_OfABatchWithOneReplayAnywhere_FallsBackToStaging_StoresTheRest_AndReportsTheReplay(int position)
    {
        await using var observed = await database.NewStoreAsync();
        var store = observed.Store;
        var tenant = new TenantId("replay");
        var customer = CustomerId.New();
        var earlier = NewTouchpoint(tenant, customer, "earlier");
        await store.Touchpoints.AppendAsync(tenant, [earlier], CancellationToken.None);
        var batch = Enumerable.Range(0, 499).Select(i => NewTouchpoint(tenant, customer, $"k-{i}")).ToList();
        batch.Insert(position, earlier);
        observed.ClearStatements();

        var result = await store.Touchpoints.AppendAsync(tenant, batch, CancellationToken.None);

        Assert.Equal(499, result.Appended);
        Assert.Equal([position], result.AlreadyPresent);
        Assert.Empty(result.Conflicts);
        Assert.Contains(observed.Statements, s => s.StartsWith("COPY touchpoint_staging", StringComparison.Ordinal));
        Assert.Equal(500, await store.Touchpoints.CountAsync(tenant, CancellationToken.None));
        observed.AssertEveryStatementRoutable();
    }

    [Theory]
    [InlineData("occurred_at", "2026-03-02 12:00:00")]
    [InlineData("occurred_at", "2026-13-02T12:00:00.000000000Z")]
    [InlineData("occurred_at", "2026-03-02T12:00:00.000000000+01")]
    [InlineData("channel", "Web")]
    [InlineData("kind", "two words")]
    [InlineData("outcome", "")]
    [InlineData("direction", "sideways")]
    [InlineData("function", "finance")]
    [InlineData("satisfaction_scale", "stars")]
    [InlineData("cost_amount", "12,50")]
    [InlineData("cost_amount", "1e3")]
    [InlineData("cost_amount", "99999999999999999999999999999")]
    [InlineData("cost_currency", "eur")]
    [InlineData("cost_currency", null)]
    public async Task Scan_OfARowTamperedWithOutsideTheAdapter_ThrowsInvalidStoredState_NamingTheTable(string column, string? value)
    {
        await using var observed = await database.NewStoreAsync();
        var store = observed.Store;
        var tenant = new TenantId("tampered");
        var customer = CustomerId.New();
        var touchpoint = Touchpoint.Create(tenant, TouchpointId.New(), Noon, new NewTouchpoint
        {
            CustomerId = customer,
            Channel = new ChannelId("web"),
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Service,
            Kind = TouchpointKind.Complaint,
            OccurredAt = Noon,
            Source = new ExternalIdentifier("desk", "1"),
            Outcome = TouchpointOutcome.Resolved,
            Satisfaction = new NpsScore(3),
            Cost = Money.Of(12.5m, "EUR"),
        });
        await store.Touchpoints.AppendAsync(tenant, [touchpoint], CancellationToken.None);
        var before = await store.Touchpoints.StreamRowsByCustomerAsync(tenant, [customer], null, CancellationToken.None).ToListAsync();
        Assert.Equal(TouchpointScanRow.From(touchpoint), Assert.Single(before).Span[0]);

        await using (var connection = new NpgsqlConnection(store.Database.DataSource.ConnectionString))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand($"UPDATE touchpoints SET {column} = @value WHERE tenant_id = 'tampered'", connection);
            tamper.Parameters.Add(new NpgsqlParameter("value", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        var e = await Assert.ThrowsAsync<Diagnostics.InvalidStoredStateException>(async () => await store.Touchpoints.StreamRowsByCustomerAsync(tenant, [customer], null, CancellationToken.None).ToListAsync());
        Assert.Equal("touchpoints", e.Origin);
        Assert.Contains(customer.ToString(), e.Message, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(value))
        {
            // The message names the customer by id; a short value such as "1e3" can occur inside a GUID's hex digits.
            Assert.DoesNotContain(value, e.Message.Replace(customer.ToString(), "<customer>", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HostileStrings_AreStoredAndReadBackVerbatim_AndTablesStayIntact()
    {
        await using var observed = await database.NewStoreAsync();
        var store = observed.Store;
        var tenant = new TenantId("hostile");
        string[] hostile = ["'; DROP TABLE customers; --", "\" OR 1=1 --", "Robert'); DELETE FROM touchpoints WHERE ('1'='1", "$1 @tenant ::text", "\\'; SELECT pg_sleep(5); --"];
        for (var i = 0; i < hostile.Length; i++)
        {
            var text = hostile[i];
            var customer = Customer.Register(tenant, new PersonProfile(text, text), _clock);
            customer.AddExternalIdentifier(new ExternalIdentifier("erp", text));
            customer.SetCustomAttribute("note", CustomAttributeValue.FromText(text));
            await store.CommitAsync(CustomerCommit.Create(customer), CancellationToken.None);
            var touchpoint = Touchpoint.Create(tenant, TouchpointId.New(), Noon, new NewTouchpoint
            {
                CustomerId = customer.Id,
                Channel = new ChannelId("email"),
                Direction = InteractionDirection.Inbound,
                Function = CrmFunction.Service,
                Kind = TouchpointKind.Complaint,
                OccurredAt = Noon,
                Source = new ExternalIdentifier("helpdesk", text),
                Participants = [TouchpointParticipant.Staff("agent " + text.Trim(), "agent")],
                ProductIds = [text.Trim()],
                CampaignId = text.Trim(),
            });
            Assert.Equal(1, (await store.Touchpoints.AppendAsync(tenant, [touchpoint], CancellationToken.None)).Appended);

            var found = await store.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("erp", text), CancellationToken.None);
            Assert.Equal(customer.Id, found!.Id);
            Assert.Equal(text.Trim(), ((PersonProfile)found.Profile).GivenName);
            Assert.Equal(text, found.CustomAttributes["note"].ToInvariantString());
            var read = await store.Touchpoints.FindBySourceAsync(tenant, new ExternalIdentifier("helpdesk", text), CancellationToken.None);
            Assert.True(read!.HasSameContent(touchpoint));
            Assert.Equal(text.Trim(), read.CampaignId);

            // The channel dispatcher's pending messages: the key, the content, the campaign and the last reason are free text.
            var pending = new Channels.PendingDispatch(
                tenant,
                new Channels.DispatchRequest(customer.Id, new ChannelId("email"), Consent.ConsentPurpose.Service, CrmFunction.Service, new Channels.MessageContent(text, text), "order/" + text.Trim(), campaignId: text),
                1,
                Noon,
                text);
            await store.PendingDispatches.SaveAsync(pending, CancellationToken.None);
            var stored = await store.PendingDispatches.FindAsync(tenant, "order/" + text.Trim(), CancellationToken.None);
            Assert.Equal(text, stored!.Request.Content.Body);
            Assert.Equal(text, stored.Request.CampaignId);
            Assert.Equal(text, stored.LastReason);
        }

        // Slugs (tenants, tags, channels, kinds) cannot even carry such text: their types refuse it.
        Assert.ThrowsAny<ArgumentException>(() => new TenantId(hostile[0]));
        Assert.ThrowsAny<ArgumentException>(() => new CustomerTag(hostile[0]));
        Assert.ThrowsAny<ArgumentException>(() => new ChannelId(hostile[0]));
        Assert.ThrowsAny<ArgumentException>(() => new TouchpointKind(hostile[2]));
        Assert.ThrowsAny<ArgumentException>(() => new RelationshipType(hostile[0], "a", "b", RelationshipCategory.Business));
        Assert.ThrowsAny<ArgumentException>(() => new RelationshipType("ok", hostile[1], "b", RelationshipCategory.Business));
        var streamed = new List<Channels.PendingDispatch>();
        await foreach (var entry in store.PendingDispatches.StreamAsync(tenant, CancellationToken.None))
        {
            streamed.Add(entry);
        }

        Assert.Equal(hostile.Length, streamed.Count);

        Assert.Equal((long)hostile.Length, await store.CountAsync(tenant, CancellationToken.None));
        Assert.Equal((long)hostile.Length, await store.Touchpoints.CountAsync(tenant, CancellationToken.None));
        // customers, customer_identifiers, customer_contact_points, outbox, touchpoints, relationships, pending_dispatches, sales_pipelines, opportunities, service_cases,
        // segment_definitions, segment_snapshots, segment_snapshot_members, ideas, customer_voices, idea_votes, prediction_markets, prediction_market_trades, customer_erasures, customer_merges, customer_merge_redirects
        Assert.Equal(21L, await database.ScalarAsync(await SchemaOf(store), "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'crm_schema'"));
        observed.AssertEveryStatementRoutable();
    }

    [Fact]
    public async Task FailedCommit_ByAnIdentifierConflict_StoresAndPublishesNothing()
    {
        await using var observed = await database.NewStoreAsync();
        var store = observed.Store;
        var tenant = new TenantId("outbox");
        var publisher = new CountingPublisher();
        var repository = new CustomerRepository(store, _clock, publisher, store);
        var first = Customer.Register(tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        first.AddExternalIdentifier(new ExternalIdentifier("shop", "same"));
        await repository.SaveAsync(first);
        var second = Customer.Register(tenant, new PersonProfile("Ada", "Byron"), _clock);
        second.AddExternalIdentifier(new ExternalIdentifier("shop", "same"));
        second.AddContactPoint(EmailAddress.Parse("byron@example.com"));
        var published = publisher.Count;
        var e = await Assert.ThrowsAsync<ExternalIdentifierConflictException>(async () => await repository.SaveAsync(second));
        Assert.Equal("CRM-STORE-003", e.ErrorCode);
        Assert.Equal(published, publisher.Count);
        Assert.Null(await store.FindAsync(tenant, second.Id, CancellationToken.None));
        Assert.Empty(await store.ListByContactPointAsync(tenant, EmailAddress.Parse("byron@example.com"), CancellationToken.None));
        Assert.Empty(await store.ListPendingAsync(tenant, 100, CancellationToken.None));
        Assert.Equal(0L, await database.ScalarAsync(await SchemaOf(store), $"SELECT count(*) FROM outbox WHERE aggregate_id = '{second.Id}'"));
    }

    [Fact]
    public async Task KilledConnections_MidTransaction_LoseNothingAcknowledged()
    {
        await using var observed = await database.NewStoreAsync();
        var store = observed.Store;
        var tenant = new TenantId("killed");
        var repository = new CustomerRepository(store, _clock, null, store);
        var customer = Customer.Register(tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        await repository.SaveAsync(customer);
        var applicationName = new NpgsqlConnectionStringBuilder(store.Database.DataSource.ConnectionString).ApplicationName;
        var acknowledged = 0;
        var failures = 0;
        using var stop = new CancellationTokenSource();

        // A killer terminates the store's busy backends (from another connection) while the writer commits.
        var killer = Task.Run(async () =>
        {
            var kills = 0;
            await using var admin = new NpgsqlConnection(database.ConnectionString);
            await admin.OpenAsync();
            while (!stop.IsCancellationRequested && kills < 40)
            {
                await using var kill = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' AND backend_type = 'client backend'",
                    admin);
                kills += (int)(long)(await kill.ExecuteScalarAsync())!;
                await Task.Delay(3);
            }
        });

        var steps = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            var step = CustomAttributeValue.FromNumber(i);
            while (true)
            {
                try
                {
                    // A killed connection rolls its transaction back, or, if the kill came after the commit, the save is
                    // stored though not acknowledged: each attempt re-reads the truth first.
                    var current = await repository.GetAsync(tenant, customer.Id);
                    if (current.CustomAttributes.TryGetValue("step", out var last) && last == step)
                    {
                        steps.Add(i);
                        break;
                    }

                    current.SetCustomAttribute("step", step);
                    await repository.SaveAsync(current);
                    acknowledged++;
                    steps.Add(i);
                    break;
                }
                catch (Exception e) when (e is NpgsqlException or ConcurrencyConflictException)
                {
                    failures++;
                }
            }
        }

        await stop.CancelAsync();
        await killer;
        var stored = await store.FindAsync(tenant, customer.Id, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 300), steps);
        Assert.Equal(CustomAttributeValue.FromNumber(299), stored!.CustomAttributes["step"]);
        Assert.True(acknowledged > 0);
        Assert.True(failures > 0, "the killer never hit a transaction: the test proved nothing");
        Assert.True(stored.Version >= acknowledged + 1);
    }

    private static async Task<string> SchemaOf(PostgreSqlCrmStore store)
    {
        await Task.CompletedTask;
        return store.Database.DataSource.ConnectionString;
    }

    private Touchpoint NewTouchpoint(TenantId tenant, CustomerId customer, string key) => Touchpoint.Create(tenant, TouchpointId.New(), _clock.GetCurrentInstant(), new NewTouchpoint
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Noon,
        Source = new ExternalIdentifier("shop", key),
    });

    private sealed class CountingPublisher : ICrmEventPublisher
    {
        public int Count { get; private set; }

        public ValueTask PublishAsync(IReadOnlyList<Events.ICrmEvent> events, CancellationToken cancellationToken)
        {
            Count += events.Count;
            return ValueTask.CompletedTask;
        }
    }
}
