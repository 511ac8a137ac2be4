using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// Customers, their lookup rows and their outbox events. Every statement names the tenant (<c>tenant_id = @tenant</c>, or
/// the tenant as the first inserted value), and the only joins are between a lookup table and <c>customers</c> on
/// <c>(tenant_id, id)</c>: rows that Citus places on the same shard.
/// </summary>
internal static class CustomerRows
{
    public const string AggregateType = "customer";
    private const string Table = "customers";
    private const string Columns = "c.id, c.version, c.created_at, c.updated_at, c.state";

    private const string SelectById = $"SELECT {Columns} FROM customers c WHERE c.tenant_id = @tenant AND c.id = @id";

    private const string SelectByIdentifier = $"""
        SELECT {Columns} FROM customer_identifiers i
        JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
        WHERE i.tenant_id = @tenant AND i.source = @source AND i.key = @key
        """;

    private const string SelectByContactPoint = $"""
        SELECT {Columns} FROM customer_contact_points p
        JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
        WHERE p.tenant_id = @tenant AND p.kind = @kind AND p.value = @value
        ORDER BY c.id
        """;

    private const string SelectPage = $"SELECT {Columns} FROM customers c WHERE c.tenant_id = @tenant AND c.id > @after ORDER BY c.id LIMIT @limit";

    private const string Count = "SELECT count(*) FROM customers WHERE tenant_id = @tenant";

    private const string Version = "SELECT version FROM customers WHERE tenant_id = @tenant AND id = @id";

    private const string Insert = """
        INSERT INTO customers (tenant_id, id, version, kind, lifecycle_stage, created_at, updated_at, state)
        VALUES (@tenant, @id, @version, @kind, @stage, @created, @updated, @state)
        ON CONFLICT (tenant_id, id) DO NOTHING
        """;

    private const string Update = """
        UPDATE customers SET version = @version, kind = @kind, lifecycle_stage = @stage, created_at = @created, updated_at = @updated, state = @state
        WHERE tenant_id = @tenant AND id = @id AND version = @expected
        """;

    private const string DeleteRow = "DELETE FROM customers WHERE tenant_id = @tenant AND id = @id AND version = @expected";

    private const string DeleteIdentifiers = "DELETE FROM customer_identifiers WHERE tenant_id = @tenant AND customer_id = @id";

    private const string InsertIdentifiers = """
        INSERT INTO customer_identifiers (tenant_id, source, key, customer_id)
        SELECT @tenant, s, k, @id FROM unnest(@sources, @keys) AS n(s, k)
        ON CONFLICT (tenant_id, source, key) DO NOTHING
        """;

    private const string IdentifierHolder = """
        SELECT source, key, customer_id FROM customer_identifiers
        WHERE tenant_id = @tenant AND customer_id <> @id AND (source, key) IN (SELECT s, k FROM unnest(@sources, @keys) AS n(s, k))
        LIMIT 1
        """;

    private const string DeleteContactPoints = "DELETE FROM customer_contact_points WHERE tenant_id = @tenant AND customer_id = @id";

    private const string InsertContactPoints = """
        INSERT INTO customer_contact_points (tenant_id, kind, value, customer_id)
        SELECT @tenant, k, v, @id FROM unnest(@kinds, @values) AS n(k, v)
        ON CONFLICT DO NOTHING
        """;

    private const string InsertEvents = """
        INSERT INTO outbox (tenant_id, event_id, aggregate_type, aggregate_id, aggregate_version, event_type, occurred_at, payload)
        SELECT @tenant, e, t, a, v, y, o, p FROM unnest(@ids, @types, @aggregates, @versions, @eventTypes, @occurred, @payloads) WITH ORDINALITY AS n(e, t, a, v, y, o, p, ord)
        ORDER BY ord
        ON CONFLICT (tenant_id, event_id) DO NOTHING
        """;

    public static async ValueTask<CustomerSnapshot?> FindAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, CustomerId id, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectById).With("tenant", tenantId.Value).With("id", id.Value);
        var rows = await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public static async ValueTask<CustomerSnapshot?> FindByIdentifierAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectByIdentifier)
            .With("tenant", tenantId.Value).With("source", identifier.Source).With("key", identifier.Key);
        var rows = await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public static async ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, ContactPoint point, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectByContactPoint)
            .With("tenant", tenantId.Value).With("kind", point.Kind.ToString()).With("value", point.NormalizedValue);
        return await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectPage)
            .With("tenant", tenantId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
        return await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<long> CountAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, CancellationToken cancellationToken)
    {
        await using var count = db.Command(connection, null, Count).With("tenant", tenantId.Value);
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Stores a commit inside <paramref name="transaction"/>, or throws the kernel's conflict exceptions (the caller rolls
    /// back). The row, the lookup rows and the events go to the server as one batch, in one round trip, so the customer's
    /// row lock is held for as short a time as possible: concurrent writers of one customer then meet fewer conflicts.
    /// </summary>
    public static async ValueTask CommitAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerCommit commit, CancellationToken cancellationToken)
    {
        var state = commit.Customer;
        var tenant = state.TenantId.Value;
        await using var batch = new NpgsqlBatch(connection, transaction);
        var row = db.Add(batch, commit.IsInsert ? Insert : Update);
        BindRow(row, commit);
        if (!commit.IsInsert)
        {
            db.Add(batch, DeleteIdentifiers).With("tenant", tenant).With("id", state.Id.Value);
            db.Add(batch, DeleteContactPoints).With("tenant", tenant).With("id", state.Id.Value);
        }

        NpgsqlBatchCommand? identifiers = null;
        if (state.ExternalIdentifiers.Count > 0)
        {
            identifiers = db.Add(batch, InsertIdentifiers).With("tenant", tenant).With("id", state.Id.Value)
                .WithTextArray("sources", state.ExternalIdentifiers.Select(static i => i.Source).ToArray())
                .WithTextArray("keys", state.ExternalIdentifiers.Select(static i => i.Key).ToArray());
        }

        if (state.ContactPoints.Count > 0)
        {
            db.Add(batch, InsertContactPoints).With("tenant", tenant).With("id", state.Id.Value)
                .WithTextArray("kinds", state.ContactPoints.Select(static c => c.Value.Kind.ToString()).ToArray())
                .WithTextArray("values", state.ContactPoints.Select(static c => c.Value.NormalizedValue).ToArray());
        }

        // The events go in the same batch, so a stale or repeated commit reaches them too: their ids are then taken, which
        // must not abort the transaction before the row's result is seen (ON CONFLICT DO NOTHING, counted below).
        NpgsqlBatchCommand? events = null;
        if (commit.Events.Count > 0)
        {
            events = db.Add(batch, InsertEvents);
            BindEvents(events, state.TenantId, commit.Events);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (row.RecordsAffected != 1 || (events is not null && events.RecordsAffected != commit.Events.Count))
        {
            var stored = await StoredVersionAsync(db, connection, transaction, state.TenantId, state.Id, cancellationToken).ConfigureAwait(false);
            throw new ConcurrencyConflictException(AggregateType, state.Id.ToString(), commit.ExpectedVersion, stored);
        }

        if (identifiers is not null && identifiers.RecordsAffected != state.ExternalIdentifiers.Count)
        {
            await ThrowIdentifierConflictAsync(db, connection, transaction, state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inserts new customers; a stored id is reported present, an identifier conflict rolls back that customer alone (a savepoint).</summary>
    public static async ValueTask<BulkImportResult> ImportAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CustomerCommit> batch, CancellationToken cancellationToken)
    {
        var inserted = 0;
        var present = new List<int>();
        var rejected = new List<BulkImportRejection>();
        for (var i = 0; i < batch.Count; i++)
        {
            var state = batch[i].Customer;
            if (await PostgreSqlCustomerMergeStore.IsMergedAwayAsync(db, connection, transaction, state.TenantId, state.Id, cancellationToken).ConfigureAwait(false))
            {
                // A merged-away customer's id is taken while the merge is active: the row counts as stored.
                present.Add(i);
                continue;
            }

            var guarded = state.ExternalIdentifiers.Count > 0;
            if (guarded)
            {
                await transaction.SaveAsync("import_row", cancellationToken).ConfigureAwait(false);
            }

            if (!await TryWriteRowAsync(db, connection, transaction, batch[i], cancellationToken).ConfigureAwait(false))
            {
                present.Add(i);
                continue;
            }

            try
            {
                await WriteLookupsAsync(db, connection, transaction, state, replace: false, cancellationToken).ConfigureAwait(false);
            }
            catch (ExternalIdentifierConflictException e) when (guarded)
            {
                await transaction.RollbackAsync("import_row", cancellationToken).ConfigureAwait(false);
                rejected.Add(new BulkImportRejection(i, state.Id, e.ErrorCode));
                continue;
            }

            await AppendEventsAsync(db, connection, transaction, state.TenantId, batch[i].Events, cancellationToken).ConfigureAwait(false);
            inserted++;
        }

        return new BulkImportResult(inserted, present, rejected);
    }

    /// <summary>
    /// Deletes a customer (its row and lookup rows) if it is still at <paramref name="expectedVersion"/>: a merge removes
    /// the merged-away customer so. The caller rolls back on the conflict.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The customer is not stored at that version.</exception>
    public static async ValueTask RemoveAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, CustomerId id, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var row = db.Add(batch, DeleteRow).With("tenant", tenantId.Value).With("id", id.Value).With("expected", expectedVersion);
        db.Add(batch, DeleteIdentifiers).With("tenant", tenantId.Value).With("id", id.Value);
        db.Add(batch, DeleteContactPoints).With("tenant", tenantId.Value).With("id", id.Value);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (row.RecordsAffected != 1)
        {
            var stored = await StoredVersionAsync(db, connection, transaction, tenantId, id, cancellationToken).ConfigureAwait(false);
            throw new ConcurrencyConflictException(AggregateType, id.ToString(), expectedVersion, stored);
        }
    }

    /// <summary>Inserts a customer at its own version with its lookup rows (an unmerge restores the merged-away customer so).</summary>
    /// <exception cref="ConcurrencyConflictException">The customer is stored already.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer of the tenant holds one of the identifiers.</exception>
    public static async ValueTask RestoreAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerSnapshot state, CancellationToken cancellationToken)
    {
        await using (var insert = db.Command(connection, transaction, Insert)
            .With("tenant", state.TenantId.Value)
            .With("id", state.Id.Value)
            .With("version", state.Version)
            .With("kind", state.Profile.Kind == PartyKind.Person ? "person" : "organization")
            .WithText("stage", state.LifecycleStage?.Value)
            .With("created", InstantText.Of(state.CreatedAt))
            .With("updated", InstantText.Of(state.UpdatedAt))
            .With("state", CustomerSnapshotJson.Write(state), NpgsqlDbType.Jsonb))
        {
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                var stored = await StoredVersionAsync(db, connection, transaction, state.TenantId, state.Id, cancellationToken).ConfigureAwait(false);
                throw new ConcurrencyConflictException(AggregateType, state.Id.ToString(), 0, stored);
            }
        }

        await WriteLookupsAsync(db, connection, transaction, state, replace: false, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<bool> TryWriteRowAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerCommit commit, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var row = db.Add(batch, commit.IsInsert ? Insert : Update);
        BindRow(row, commit);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return row.RecordsAffected == 1;
    }

    private static void BindRow(NpgsqlBatchCommand write, CustomerCommit commit)
    {
        var state = commit.Customer;
        write.With("tenant", state.TenantId.Value)
            .With("id", state.Id.Value)
            .With("version", commit.NewVersion)
            .With("kind", state.Profile.Kind == PartyKind.Person ? "person" : "organization")
            .WithText("stage", state.LifecycleStage?.Value)
            .With("created", InstantText.Of(state.CreatedAt))
            .With("updated", InstantText.Of(state.UpdatedAt))
            .With("state", CustomerSnapshotJson.Write(state), NpgsqlDbType.Jsonb);
        if (!commit.IsInsert)
        {
            write.With("expected", commit.ExpectedVersion);
        }
    }

    private static async ValueTask ThrowIdentifierConflictAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerSnapshot state, CancellationToken cancellationToken)
    {
        await using var holder = db.Command(connection, transaction, IdentifierHolder)
            .With("tenant", state.TenantId.Value).With("id", state.Id.Value)
            .WithTextArray("sources", state.ExternalIdentifiers.Select(static i => i.Source).ToArray())
            .WithTextArray("keys", state.ExternalIdentifiers.Select(static i => i.Key).ToArray());
        await using var reader = await holder.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var identifier = new ExternalIdentifier(reader.GetString(0), reader.GetString(1));
            throw new ExternalIdentifierConflictException(state.Id, new CustomerId(reader.GetGuid(2)), identifier);
        }

        // The identifier was listed twice on this customer: nothing is held by another.
    }

    private static async ValueTask WriteLookupsAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerSnapshot state, bool replace, CancellationToken cancellationToken)
    {
        var tenant = state.TenantId.Value;
        if (replace)
        {
            await using var deleteIdentifiers = db.Command(connection, transaction, DeleteIdentifiers).With("tenant", tenant).With("id", state.Id.Value);
            await deleteIdentifiers.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var deletePoints = db.Command(connection, transaction, DeleteContactPoints).With("tenant", tenant).With("id", state.Id.Value);
            await deletePoints.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (state.ExternalIdentifiers.Count > 0)
        {
            var sources = state.ExternalIdentifiers.Select(static i => i.Source).ToArray();
            var keys = state.ExternalIdentifiers.Select(static i => i.Key).ToArray();
            int insertedCount;
            await using (var insert = db.Command(connection, transaction, InsertIdentifiers)
                .With("tenant", tenant).With("id", state.Id.Value).WithTextArray("sources", sources).WithTextArray("keys", keys))
            {
                insertedCount = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (insertedCount != sources.Length)
            {
                await ThrowIdentifierConflictAsync(db, connection, transaction, state, cancellationToken).ConfigureAwait(false);
            }
        }

        if (state.ContactPoints.Count > 0)
        {
            await using var insert = db.Command(connection, transaction, InsertContactPoints)
                .With("tenant", tenant).With("id", state.Id.Value)
                .WithTextArray("kinds", state.ContactPoints.Select(static c => c.Value.Kind.ToString()).ToArray())
                .WithTextArray("values", state.ContactPoints.Select(static c => c.Value.NormalizedValue).ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async ValueTask AppendEventsAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, IReadOnlyList<CrmEventEnvelope> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        BindEvents(db.Add(batch, InsertEvents), tenantId, events);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void BindEvents(NpgsqlBatchCommand insert, TenantId tenantId, IReadOnlyList<CrmEventEnvelope> events)
    {
        var ids = new Guid[events.Count];
        var types = new string[events.Count];
        var aggregates = new string[events.Count];
        var versions = new long[events.Count];
        var eventTypes = new string[events.Count];
        var occurred = new string[events.Count];
        var payloads = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            ids[i] = e.EventId;
            types[i] = e.AggregateType;
            aggregates[i] = e.AggregateId;
            versions[i] = e.AggregateVersion;
            eventTypes[i] = e.EventType;
            occurred[i] = InstantText.Of(e.OccurredAt);
            payloads[i] = e.Payload;
        }

        insert.With("tenant", tenantId.Value)
            .With("ids", ids)
            .WithTextArray("types", types)
            .WithTextArray("aggregates", aggregates)
            .With("versions", versions)
            .WithTextArray("eventTypes", eventTypes)
            .WithTextArray("occurred", occurred)
            .WithTextArray("payloads", payloads);
    }

    private static async ValueTask<long?> StoredVersionAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, TenantId tenantId, CustomerId id, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, transaction, Version).With("tenant", tenantId.Value).With("id", id.Value);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    private static async ValueTask<List<CustomerSnapshot>> ReadAsync(NpgsqlCommand select, TenantId tenantId, CancellationToken cancellationToken)
    {
        var rows = new List<CustomerSnapshot>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var guid = reader.GetGuid(0);
            if (guid == Guid.Empty)
            {
                throw new InvalidStoredStateException(Table, guid.ToString(), "id is the empty GUID.");
            }

            var id = new CustomerId(guid);
            var version = reader.GetInt64(1);
            if (version < 1)
            {
                throw new InvalidStoredStateException(Table, id.ToString(), "version is below 1.");
            }

            if (!InstantText.TryParse(reader.GetString(2), out var createdAt) || !InstantText.TryParse(reader.GetString(3), out var updatedAt))
            {
                throw new InvalidStoredStateException(Table, id.ToString(), "created_at or updated_at is not an ISO-8601 UTC instant with nine fractional digits.");
            }

            rows.Add(CustomerSnapshotJson.Read(Table, tenantId, id, version, createdAt, updatedAt, reader.GetString(4)));
        }

        return rows;
    }
}
