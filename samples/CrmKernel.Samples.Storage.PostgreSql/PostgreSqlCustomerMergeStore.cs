using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The merge store of a <see cref="PostgreSqlCrmStore"/>'s database: merges two customers and undoes the merge, each in
/// one transaction (customer rows, touchpoints and relationships re-pointed, the merge record and the outbox events).
/// One row per merge holds the kernel's document (<see cref="CustomerMergeDocuments"/>); touchpoints redirected while a
/// merge is active get one row each. Every key is led by <c>tenant_id</c> (Citus-ready). Obtain it from
/// <see cref="PostgreSqlCrmStore.Merges"/>; application code uses <c>CustomerMergeService</c> over it.
/// </summary>
/// <remarks>
/// Both customers' rows are locked in id order (<c>FOR UPDATE</c>) before a merge checks their versions, so two merges
/// racing on one customer never deadlock: the second sees the first's result and conflicts. Thread-safe.
/// </remarks>
public sealed class PostgreSqlCustomerMergeStore : ICustomerMergeStore
{
    /// <summary>
    /// Schema version 6: the merge tables, every key led by <c>tenant_id</c>. The partial unique index keeps at most one
    /// active merge per merged-away customer (and finds it by that id); the other lists a customer's merges as survivor.
    /// </summary>
    internal const string Migration = """
        CREATE TABLE customer_merges (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            survivor_id uuid NOT NULL,
            merged_id uuid NOT NULL,
            active boolean NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );

        CREATE UNIQUE INDEX customer_merges_active ON customer_merges (tenant_id, merged_id) WHERE active;

        CREATE INDEX customer_merges_by_survivor ON customer_merges (tenant_id, survivor_id);

        CREATE INDEX customer_merges_by_merged ON customer_merges (tenant_id, merged_id);

        CREATE TABLE customer_merge_redirects (
            tenant_id text COLLATE "C" NOT NULL,
            merge_id uuid NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            touchpoint_id uuid NOT NULL,
            PRIMARY KEY (tenant_id, merge_id, seq)
        );
        """;

    private const string ShareCustomer = "SELECT 1 FROM customers WHERE tenant_id = @tenant AND id = @id FOR SHARE";

    private const string LockCustomers = "SELECT id, version FROM customers WHERE tenant_id = @tenant AND id = ANY(@ids) ORDER BY id FOR UPDATE";

    // A record's redirected touchpoints come in the same statement, so a read sees the record and its redirects at one snapshot.
    private const string Redirects = "ARRAY(SELECT r.touchpoint_id FROM customer_merge_redirects r WHERE r.tenant_id = m.tenant_id AND r.merge_id = m.id ORDER BY r.seq)";

    private const string SelectById = $"SELECT m.id, m.document, m.active, {Redirects} FROM customer_merges m WHERE m.tenant_id = @tenant AND m.id = @id";

    private const string LockById = $"{SelectById} FOR UPDATE";

    private const string SelectActive = $"SELECT m.id, m.document, m.active, {Redirects} FROM customer_merges m WHERE m.tenant_id = @tenant AND m.merged_id = @merged AND m.active";

    // Held while a touchpoint is redirected through the merge, so an unmerge (FOR UPDATE) waits for the append.
    private const string ShareActive = $"{SelectActive} FOR SHARE";

    private const string SelectSurvivors = "SELECT merged_id, survivor_id FROM customer_merges WHERE tenant_id = @tenant AND active AND merged_id = ANY(@ids)";

    private const string IsMergedAway = "SELECT count(*) FROM customer_merges WHERE tenant_id = @tenant AND merged_id = @merged AND active";

    private const string SelectByCustomer = $"""
        SELECT m.id, m.document, m.active, {Redirects} FROM customer_merges m WHERE m.tenant_id = @tenant AND (m.survivor_id = @customer OR m.merged_id = @customer)
        ORDER BY m.id
        """;

    private const string Insert = """
        INSERT INTO customer_merges (tenant_id, id, survivor_id, merged_id, active, document)
        VALUES (@tenant, @id, @survivor, @merged, true, @document)
        """;

    private const string MarkUndone = "UPDATE customer_merges SET active = false, document = @document WHERE tenant_id = @tenant AND id = @id";

    private const string InsertRedirects = """
        INSERT INTO customer_merge_redirects (tenant_id, merge_id, touchpoint_id)
        SELECT @tenant, m, t FROM unnest(@merges, @touchpoints) WITH ORDINALITY AS n(m, t, ord) ORDER BY ord
        """;

    private const string DeleteRedirects = "DELETE FROM customer_merge_redirects WHERE tenant_id = @tenant AND merge_id = @merge";

    private const string MoveTouchpoints = "UPDATE touchpoints SET customer_id = @to WHERE tenant_id = @tenant AND customer_id = @from RETURNING id";

    private const string MoveTouchpointsBack = "UPDATE touchpoints SET customer_id = @to WHERE tenant_id = @tenant AND customer_id = @from AND id = ANY(@ids)";

    private const string MoveRelationships = """
        UPDATE relationships SET
            from_party = CASE WHEN from_party = @from THEN @to ELSE from_party END,
            to_party = CASE WHEN to_party = @from THEN @to ELSE to_party END,
            version = version + 1
        WHERE tenant_id = @tenant AND (from_party = @from OR to_party = @from) AND from_party <> @to AND to_party <> @to
        RETURNING id
        """;

    private const string MoveRelationshipsBack = """
        UPDATE relationships SET
            from_party = CASE WHEN from_party = @from THEN @to ELSE from_party END,
            to_party = CASE WHEN to_party = @from THEN @to ELSE to_party END,
            version = version + 1
        WHERE tenant_id = @tenant AND (from_party = @from OR to_party = @from) AND id = ANY(@ids)
        """;

    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlCustomerMergeStore(PostgreSqlCrmStore store) => _store = store;

    private PostgreSqlDatabase Db => _store.Database;

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken) => _store.FindAsync(tenantId, customerId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken) => _store.FindByExternalIdentifierAsync(tenantId, identifier, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken) => _store.ListByContactPointAsync(tenantId, contactPoint, cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => _store.CountAsync(tenantId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken) => _store.PageAsync(tenantId, after, limit, cancellationToken);

    /// <inheritdoc />
    public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken) => _store.CommitAsync(commit, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord> CommitMergeAsync(CustomerMergeCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.WriteAsync((c, t, ct) => MergeAsync(c, t, commit, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord> CommitUnmergeAsync(CustomerUnmergeCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.WriteAsync((c, t, ct) => UnmergeAsync(c, t, commit, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord?> FindMergeAsync(TenantId tenantId, CustomerMergeId mergeId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(mergeId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => FindAsync(c, null, tenantId, mergeId, forUpdate: false, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord?> FindActiveMergeAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => FindActiveAsync(Db, c, null, tenantId, customerId, share: false, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerMergeRecord>> ListMergesByCustomerAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => ListByCustomerAsync(Db, c, tenantId, customerId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendTouchpointsAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        foreach (var touchpoint in touchpoints)
        {
            Preconditions.Check(touchpoint is not null && touchpoint.TenantId == tenantId, "Every touchpoint must belong to the tenant appended to.", nameof(touchpoints));
            TouchpointRows.CheckOrderable(touchpoint!, nameof(touchpoints));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (touchpoints.Count == 0)
        {
            return ValueTask.FromResult(new TouchpointAppendResult(0, [], []));
        }

        return _store.WriteAsync((c, t, ct) => AppendAsync(c, t, tenantId, touchpoints, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendRedirectedWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, CustomerCommit? commit, CancellationToken cancellationToken)
        => _store.AppendRedirectedWithCustomerAsync(tenantId, touchpoints, addressedTo, commit, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<CustomerId, CustomerId>> FindSurvivorsAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(customerIds);
        StoreArguments.CheckBatch(customerIds.Count, StoreLimits.MaxAppendBatch, nameof(customerIds));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => FindSurvivorsAsync(c, null, tenantId, customerIds, ct), cancellationToken);
    }

    /// <summary>Throws <c>CRM-MERGE-003</c> when the customer is merged away (the customer store calls it on a refused write).</summary>
    internal static async ValueTask EnsureNotMergedAwayAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        if (await FindActiveAsync(db, connection, transaction, tenantId, customerId, share: false, cancellationToken).ConfigureAwait(false) is { } merge)
        {
            throw CustomerMergeException.MergedAway(tenantId, customerId, merge.Id);
        }
    }

    /// <summary>True when the customer is merged away (one probe of the active-merge index; a bulk import skips such an id).</summary>
    internal static async ValueTask<bool> IsMergedAwayAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, transaction, IsMergedAway).With("tenant", tenantId.Value).With("merged", customerId.Value);
        return (long)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    private async ValueTask<CustomerMergeRecord> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerMergeCommit commit, CancellationToken cancellationToken)
    {
        var record = commit.Record;
        var tenantId = record.TenantId;
        var tenant = tenantId.Value;
        var versions = new Dictionary<Guid, long>(2);
        await using (var lockRows = Db.Command(connection, transaction, LockCustomers).With("tenant", tenant).With("ids", new[] { record.SurvivorId.Value, record.MergedId.Value }))
        await using (var reader = await lockRows.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions[reader.GetGuid(0)] = reader.GetInt64(1);
            }
        }

        if (await FindActiveAsync(Db, connection, transaction, tenantId, record.MergedId, share: false, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing.SurvivorId == record.SurvivorId ? existing : throw CustomerMergeException.MergedAway(tenantId, record.MergedId, existing.Id);
        }

        await EnsureNotMergedAwayAsync(Db, connection, transaction, tenantId, record.SurvivorId, cancellationToken).ConfigureAwait(false);
        long? survivorVersion = versions.TryGetValue(record.SurvivorId.Value, out var s) ? s : null;
        if (survivorVersion != record.SurvivorBefore.Version)
        {
            throw new ConcurrencyConflictException(CustomerRows.AggregateType, record.SurvivorId.ToString(), record.SurvivorBefore.Version, survivorVersion);
        }

        long? mergedVersion = versions.TryGetValue(record.MergedId.Value, out var m) ? m : null;
        if (mergedVersion != record.MergedBefore.Version)
        {
            throw new ConcurrencyConflictException(CustomerRows.AggregateType, record.MergedId.ToString(), record.MergedBefore.Version, mergedVersion);
        }

        // The merged customer goes first, so that its identifiers are free for the survivor's merged state.
        await CustomerRows.RemoveAsync(Db, connection, transaction, tenantId, record.MergedId, record.MergedBefore.Version, cancellationToken).ConfigureAwait(false);
        await CustomerRows.CommitAsync(Db, connection, transaction, new CustomerCommit(commit.Survivor, record.SurvivorBefore.Version, commit.Events), cancellationToken).ConfigureAwait(false);
        var moved = await ReturnedIdsAsync(connection, transaction, MoveTouchpoints, tenant, record.MergedId.Value, record.SurvivorId.Value, cancellationToken).ConfigureAwait(false);
        var relationships = await ReturnedIdsAsync(connection, transaction, MoveRelationships, tenant, record.MergedId.Value, record.SurvivorId.Value, cancellationToken).ConfigureAwait(false);
        var stored = record.WithMoved(
            [.. moved.Select(static id => new TouchpointId(id)).Order()],
            [.. relationships.Select(static id => new RelationshipId(id)).Order()]);
        await using (var insert = Db.Command(connection, transaction, Insert)
            .With("tenant", tenant).With("id", stored.Id.Value).With("survivor", stored.SurvivorId.Value).With("merged", stored.MergedId.Value)
            .With("document", CustomerMergeDocuments.Write(stored)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return stored;
    }

    private async ValueTask<CustomerMergeRecord> UnmergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerUnmergeCommit commit, CancellationToken cancellationToken)
    {
        var tenantId = commit.Record.TenantId;
        var tenant = tenantId.Value;
        var record = await FindAsync(connection, transaction, tenantId, commit.Record.Id, forUpdate: true, cancellationToken).ConfigureAwait(false)
            ?? throw CustomerMergeException.NotFound(tenantId, commit.Record.Id);
        if (!record.IsActive)
        {
            return record;
        }

        if (record.IsRedacted)
        {
            throw CustomerMergeException.Redacted(tenantId, record.Id);
        }

        if (await FindActiveAsync(Db, connection, transaction, tenantId, record.SurvivorId, share: false, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw CustomerMergeException.SurvivorMergedAway(tenantId, record.Id, record.SurvivorId);
        }

        await CustomerRows.CommitAsync(Db, connection, transaction, new CustomerCommit(commit.Survivor, commit.SurvivorExpectedVersion, commit.Events), cancellationToken).ConfigureAwait(false);
        await CustomerRows.RestoreAsync(Db, connection, transaction, commit.Merged, cancellationToken).ConfigureAwait(false);
        Guid[] touchpoints = [.. record.MovedTouchpoints.Select(static t => t.Value), .. record.RedirectedTouchpoints.Select(static t => t.Value)];
        await MoveBackAsync(connection, transaction, MoveTouchpointsBack, tenant, record.SurvivorId.Value, record.MergedId.Value, touchpoints, cancellationToken).ConfigureAwait(false);
        if (record.MovedRelationships.Count > 0)
        {
            await MoveBackAsync(connection, transaction, MoveRelationshipsBack, tenant, record.SurvivorId.Value, record.MergedId.Value, [.. record.MovedRelationships.Select(static r => r.Value)], cancellationToken).ConfigureAwait(false);
        }

        var undone = record.AsUnmerged(commit.UnmergedAt);
        await using (var update = Db.Command(connection, transaction, MarkUndone).With("tenant", tenant).With("id", record.Id.Value).With("document", CustomerMergeDocuments.Write(undone)))
        {
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var delete = Db.Command(connection, transaction, DeleteRedirects).With("tenant", tenant).With("merge", record.Id.Value))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return undone;
    }

    private async ValueTask<TouchpointAppendResult> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        var routes = new Dictionary<CustomerId, (CustomerId Target, List<CustomerMergeId>? Hops)>();
        Touchpoint[]? routed = null;
        var distinct = new HashSet<CustomerId>();
        foreach (var touchpoint in touchpoints)
        {
            distinct.Add(touchpoint.CustomerId);
        }

        // One query for the whole batch; the merges on the way are read (FOR SHARE) only for ids that are merged away.
        var survivors = await FindSurvivorsAsync(connection, transaction, tenantId, distinct, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < touchpoints.Count; i++)
        {
            var customer = touchpoints[i].CustomerId;
            if (!routes.TryGetValue(customer, out var route))
            {
                route = (customer, null);
                while (survivors.ContainsKey(customer) && await FindActiveAsync(Db, connection, transaction, tenantId, route.Target, share: true, cancellationToken).ConfigureAwait(false) is { } merge)
                {
                    (route.Hops ??= []).Add(merge.Id);
                    route.Target = merge.SurvivorId;
                }

                routes[customer] = route;
            }

            if (route.Hops is not null)
            {
                routed ??= [.. touchpoints];
                routed[i] = touchpoints[i].WithCustomer(route.Target);
            }
        }

        var result = await TouchpointRows.AppendAsync(Db, connection, transaction, tenantId, routed ?? touchpoints, cancellationToken).ConfigureAwait(false);
        if (routed is null)
        {
            return result;
        }

        var merges = new List<Guid>();
        var ids = new List<Guid>();
        for (var i = 0; i < touchpoints.Count; i++)
        {
            if (routes[touchpoints[i].CustomerId].Hops is not { } hops || result.AlreadyPresent.Contains(i) || result.Conflicts.Contains(i))
            {
                continue;
            }

            foreach (var merge in hops)
            {
                merges.Add(merge.Value);
                ids.Add(touchpoints[i].Id.Value);
            }
        }

        if (merges.Count > 0)
        {
            await using var insert = Db.Command(connection, transaction, InsertRedirects).With("tenant", tenantId.Value).With("merges", merges.ToArray()).With("touchpoints", ids.ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// The active merges leading from a merged-away customer to <paramref name="target"/>, their rows held FOR SHARE until
    /// the transaction ends; a <see cref="ConcurrencyConflictException"/> when they no longer lead there.
    /// </summary>
    internal static async ValueTask<List<CustomerMergeId>> RouteAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, CustomerId from, CustomerId target, CancellationToken cancellationToken)
    {
        var hops = new List<CustomerMergeId>();
        var at = from;
        while (await FindActiveAsync(db, connection, transaction, tenantId, at, share: true, cancellationToken).ConfigureAwait(false) is { } merge)
        {
            hops.Add(merge.Id);
            at = merge.SurvivorId;
        }

        if (hops.Count == 0 || at != target)
        {
            throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, from.ToString(), 0, null);
        }

        // The survivor's row FOR SHARE: a merge of the survivor (which locks it FOR UPDATE) waits for this commit and then
        // moves these touchpoints with the rest.
        await using var share = db.Command(connection, transaction, ShareCustomer).With("tenant", tenantId.Value).With("id", target.Value);
        await share.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return hops;
    }

    /// <summary>
    /// Throws <c>CRM-MERGE-003</c>, naming the survivor, when either party of a new relationship is merged away. The
    /// parties' rows are held FOR SHARE first, so a merge of either (which locks them FOR UPDATE) waits for this commit
    /// and then re-points the new relationship, or has committed and is seen here.
    /// </summary>
    internal static async ValueTask EnsurePartiesNotMergedAwayAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, CustomerId from, CustomerId to, CancellationToken cancellationToken)
    {
        foreach (var party in new[] { from, to })
        {
            await using (var share = db.Command(connection, transaction, ShareCustomer).With("tenant", tenantId.Value).With("id", party.Value))
            {
                await share.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (await FindActiveAsync(db, connection, transaction, tenantId, party, share: true, cancellationToken).ConfigureAwait(false) is { } merge)
            {
                throw CustomerMergeException.MergedAwayParty(tenantId, party, merge.Id, merge.SurvivorId);
            }
        }
    }

    /// <summary>Lists each redirected touchpoint in every merge of its route, in one statement.</summary>
    internal static async ValueTask NoteRedirectsAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, Dictionary<CustomerId, List<CustomerMergeId>> routes, CancellationToken cancellationToken)
    {
        var merges = new List<Guid>();
        var ids = new List<Guid>();
        for (var i = 0; i < touchpoints.Count; i++)
        {
            if (routes.TryGetValue(addressedTo[i], out var hops))
            {
                foreach (var merge in hops)
                {
                    merges.Add(merge.Value);
                    ids.Add(touchpoints[i].Id.Value);
                }
            }
        }

        await using var insert = db.Command(connection, transaction, InsertRedirects).With("tenant", tenantId.Value).With("merges", merges.ToArray()).With("touchpoints", ids.ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current survivors of those ids that are merged away: one query, and one more per level of chained merges.</summary>
    private async ValueTask<IReadOnlyDictionary<CustomerId, CustomerId>> FindSurvivorsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, CancellationToken cancellationToken)
    {
        var survivors = new Dictionary<CustomerId, CustomerId>();
        IReadOnlyCollection<CustomerId> asking = customerIds;
        var next = new Dictionary<CustomerId, CustomerId>();
        for (var hop = 0; asking.Count > 0 && hop < 64; hop++)
        {
            next.Clear();
            await using (var select = Db.Command(connection, transaction, SelectSurvivors).With("tenant", tenantId.Value).With("ids", asking.Select(static id => id.Value).ToArray()))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    next[new CustomerId(reader.GetGuid(0))] = new CustomerId(reader.GetGuid(1));
                }
            }

            foreach (var key in survivors.Keys.ToList())
            {
                if (next.TryGetValue(survivors[key], out var further))
                {
                    survivors[key] = further;
                }
            }

            if (hop == 0)
            {
                foreach (var (merged, survivor) in next)
                {
                    survivors[merged] = survivor;
                }
            }

            asking = [.. next.Values.Distinct()];
        }

        return survivors;
    }

    private async ValueTask<CustomerMergeRecord?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, TenantId tenantId, CustomerMergeId mergeId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var select = Db.Command(connection, transaction, forUpdate ? LockById : SelectById).With("tenant", tenantId.Value).With("id", mergeId.Value);
        var records = await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    private static async ValueTask<CustomerMergeRecord?> FindActiveAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, TenantId tenantId, CustomerId customerId, bool share, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, transaction, share ? ShareActive : SelectActive).With("tenant", tenantId.Value).With("merged", customerId.Value);
        var records = await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    private static async ValueTask<IReadOnlyList<CustomerMergeRecord>> ListByCustomerAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectByCustomer).With("tenant", tenantId.Value).With("customer", customerId.Value);
        return await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads rows of (id, document, active, redirected touchpoints) into records; the redirects count only while active.</summary>
    private static async ValueTask<List<CustomerMergeRecord>> ReadAsync(NpgsqlCommand select, TenantId tenantId, CancellationToken cancellationToken)
    {
        var rows = new List<CustomerMergeRecord>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var redirected = reader.GetBoolean(2) ? reader.GetFieldValue<Guid[]>(3).Select(static id => new TouchpointId(id)).ToList() : null;
            rows.Add(CustomerMergeDocuments.Read(tenantId, new CustomerMergeId(reader.GetGuid(0)), reader.GetString(1), redirected));
        }

        return rows;
    }

    private async ValueTask<List<Guid>> ReturnedIdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string tenant, Guid from, Guid to, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        await using var command = Db.Command(connection, transaction, sql).With("tenant", tenant).With("from", from).With("to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private async ValueTask MoveBackAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string tenant, Guid from, Guid to, Guid[] ids, CancellationToken cancellationToken)
    {
        await using var command = Db.Command(connection, transaction, sql).With("tenant", tenant).With("from", from).With("to", to).With("ids", ids);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
