using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Merges and unmerges customers inside the caller's write transaction, and reads merge records: one row per merge in
/// <c>customer_merges</c> (its record as <see cref="CustomerMergeDocuments"/> JSON) and one row per touchpoint
/// redirected to the survivor while the merge is active in <c>customer_merge_redirects</c> (appended in O(1), folded
/// into the record's document when the merge is undone).
/// </summary>
internal static class CustomerMergeRows
{
    /// <summary>
    /// Version 10: customer merges. Adds tables only. The partial unique index keeps at most one active merge per merged-away
    /// customer (and finds it by that id); the two others list a customer's merges on either side.
    /// </summary>
    public const string Migration = """
        CREATE TABLE customer_merges (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            survivor_id TEXT NOT NULL,
            merged_id TEXT NOT NULL,
            active INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE UNIQUE INDEX customer_merges_active ON customer_merges (tenant, merged_id) WHERE active = 1;

        CREATE INDEX customer_merges_by_survivor ON customer_merges (tenant, survivor_id);

        CREATE INDEX customer_merges_by_merged ON customer_merges (tenant, merged_id);

        CREATE TABLE customer_merge_redirects (
            tenant TEXT NOT NULL,
            merge_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            touchpoint_id TEXT NOT NULL,
            PRIMARY KEY (tenant, merge_id, seq),
            FOREIGN KEY (tenant, merge_id) REFERENCES customer_merges (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;
        """;

    private static readonly SqlStatement SelectById = new(
        "SELECT document, active FROM customer_merges WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement SelectActive = new(
        "SELECT id, survivor_id, document FROM customer_merges WHERE tenant = $tenant AND merged_id = $merged AND active = 1", "$tenant", "$merged");

    private static readonly SqlStatement SelectSurvivors = new(
        "SELECT merged_id, survivor_id FROM customer_merges WHERE tenant = $tenant AND active = 1 AND merged_id IN (SELECT value FROM json_each($ids))",
        "$tenant", "$ids");

    private static readonly SqlStatement IsMergedAway = new(
        "SELECT count(*) FROM customer_merges WHERE tenant = $tenant AND merged_id = $merged AND active = 1", "$tenant", "$merged");

    private static readonly SqlStatement SelectByCustomer = new(
        """
        SELECT id, document, active FROM customer_merges WHERE tenant = $tenant AND survivor_id = $customer
        UNION
        SELECT id, document, active FROM customer_merges WHERE tenant = $tenant AND merged_id = $customer
        ORDER BY id
        """,
        "$tenant", "$customer");

    private static readonly SqlStatement Insert = new(
        "INSERT INTO customer_merges (tenant, id, survivor_id, merged_id, active, document) VALUES ($tenant, $id, $survivor, $merged, 1, $document)",
        "$tenant", "$id", "$survivor", "$merged", "$document");

    private static readonly SqlStatement MarkUndone = new(
        "UPDATE customer_merges SET active = 0, document = $document WHERE tenant = $tenant AND id = $id", "$tenant", "$id", "$document");

    private static readonly SqlStatement SelectRedirects = new(
        "SELECT touchpoint_id FROM customer_merge_redirects WHERE tenant = $tenant AND merge_id = $merge ORDER BY seq", "$tenant", "$merge");

    private static readonly SqlStatement InsertRedirect = new(
        """
        INSERT INTO customer_merge_redirects (tenant, merge_id, seq, touchpoint_id)
        SELECT $tenant, $merge, coalesce(max(seq), 0) + 1, $touchpoint FROM customer_merge_redirects WHERE tenant = $tenant AND merge_id = $merge
        """,
        "$tenant", "$merge", "$touchpoint");

    private static readonly SqlStatement DeleteRedirects = new(
        "DELETE FROM customer_merge_redirects WHERE tenant = $tenant AND merge_id = $merge", "$tenant", "$merge");

    private static readonly SqlStatement MoveTouchpoints = new(
        "UPDATE touchpoints SET customer_id = $to WHERE tenant = $tenant AND customer_id = $from RETURNING id", "$tenant", "$from", "$to");

    private static readonly SqlStatement MoveTouchpointsBack = new(
        "UPDATE touchpoints SET customer_id = $to WHERE tenant = $tenant AND customer_id = $from AND id IN (SELECT value FROM json_each($ids))",
        "$tenant", "$from", "$to", "$ids");

    private static readonly SqlStatement MoveRelationships = new(
        """
        UPDATE relationships SET
            from_party = CASE WHEN from_party = $from THEN $to ELSE from_party END,
            to_party = CASE WHEN to_party = $from THEN $to ELSE to_party END,
            version = version + 1
        WHERE tenant = $tenant AND (from_party = $from OR to_party = $from) AND from_party <> $to AND to_party <> $to
        RETURNING id
        """,
        "$tenant", "$from", "$to");

    private static readonly SqlStatement MoveRelationshipsBack = new(
        """
        UPDATE relationships SET
            from_party = CASE WHEN from_party = $from THEN $to ELSE from_party END,
            to_party = CASE WHEN to_party = $from THEN $to ELSE to_party END,
            version = version + 1
        WHERE tenant = $tenant AND (from_party = $from OR to_party = $from) AND id IN (SELECT value FROM json_each($ids))
        """,
        "$tenant", "$from", "$to", "$ids");

    /// <summary>Throws <c>CRM-MERGE-003</c> when the customer is merged away.</summary>
    public static async ValueTask EnsureNotMergedAwayAsync(SqliteSession session, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        if (await FindActiveAsync(session, tenantId, customerId, cancellationToken).ConfigureAwait(false) is { } merge)
        {
            throw CustomerMergeException.MergedAway(tenantId, customerId, merge.Id);
        }
    }

    /// <summary>True when the customer is merged away (one probe of the active-merge index; a bulk import skips such an id).</summary>
    public static async ValueTask<bool> IsMergedAwayAsync(SqliteSession session, string tenant, string id, CancellationToken cancellationToken)
    {
        var select = session.Command(IsMergedAway);
        select.Parameters[0].Value = tenant;
        select.Parameters[1].Value = id;
        return (long)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    /// <summary>Stores a merge; the caller commits the transaction (or rolls it back when this throws).</summary>
    public static async ValueTask<CustomerMergeRecord> MergeAsync(SqliteSession session, CustomerMergeCommit commit, CancellationToken cancellationToken)
    {
        var record = commit.Record;
        var tenantId = record.TenantId;
        var tenant = tenantId.Value;
        if (await FindActiveAsync(session, tenantId, record.MergedId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing.SurvivorId == record.SurvivorId ? existing : throw CustomerMergeException.MergedAway(tenantId, record.MergedId, existing.Id);
        }

        await EnsureNotMergedAwayAsync(session, tenantId, record.SurvivorId, cancellationToken).ConfigureAwait(false);
        var survivor = ColumnText.OfId(record.SurvivorId);
        var merged = ColumnText.OfId(record.MergedId);
        var survivorVersion = await CustomerRowWriter.StoredVersionAsync(session, tenant, survivor, cancellationToken).ConfigureAwait(false);
        if (survivorVersion != record.SurvivorBefore.Version)
        {
            throw new ConcurrencyConflictException(CustomerRowWriter.AggregateType, survivor, record.SurvivorBefore.Version, survivorVersion);
        }

        var mergedVersion = await CustomerRowWriter.StoredVersionAsync(session, tenant, merged, cancellationToken).ConfigureAwait(false);
        if (mergedVersion != record.MergedBefore.Version)
        {
            throw new ConcurrencyConflictException(CustomerRowWriter.AggregateType, merged, record.MergedBefore.Version, mergedVersion);
        }

        // The merged customer goes first, so that its identifiers are free for the survivor's merged state.
        await CustomerRowWriter.RemoveAsync(session, tenant, merged, cancellationToken).ConfigureAwait(false);
        await CustomerRowWriter.ReplaceAsync(session, new CustomerCommit(commit.Survivor, record.SurvivorBefore.Version, commit.Events), cancellationToken).ConfigureAwait(false);
        var moved = await ReturnedIdsAsync(session, MoveTouchpoints, tenant, merged, survivor, static text => TouchpointId.Parse(text), cancellationToken).ConfigureAwait(false);
        var relationships = await ReturnedIdsAsync(session, MoveRelationships, tenant, merged, survivor, static text => RelationshipId.Parse(text), cancellationToken).ConfigureAwait(false);
        moved.Sort();
        relationships.Sort();
        var stored = record.WithMoved(moved, relationships);
        var insert = session.Command(Insert);
        insert.Parameters[0].Value = tenant;
        insert.Parameters[1].Value = stored.Id.ToString();
        insert.Parameters[2].Value = survivor;
        insert.Parameters[3].Value = merged;
        insert.Parameters[4].Value = CustomerMergeDocuments.Write(stored);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Stores an unmerge; the caller commits the transaction (or rolls it back when this throws).</summary>
    public static async ValueTask<CustomerMergeRecord> UnmergeAsync(SqliteSession session, CustomerUnmergeCommit commit, CancellationToken cancellationToken)
    {
        var tenantId = commit.Record.TenantId;
        var tenant = tenantId.Value;
        var record = await FindAsync(session, tenantId, commit.Record.Id, cancellationToken).ConfigureAwait(false)
            ?? throw CustomerMergeException.NotFound(tenantId, commit.Record.Id);
        if (!record.IsActive)
        {
            return record;
        }

        if (record.IsRedacted)
        {
            throw CustomerMergeException.Redacted(tenantId, record.Id);
        }

        if (await FindActiveAsync(session, tenantId, record.SurvivorId, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw CustomerMergeException.SurvivorMergedAway(tenantId, record.Id, record.SurvivorId);
        }

        var survivor = ColumnText.OfId(record.SurvivorId);
        var merged = ColumnText.OfId(record.MergedId);
        await CustomerRowWriter.ReplaceAsync(session, new CustomerCommit(commit.Survivor, commit.SurvivorExpectedVersion, commit.Events), cancellationToken).ConfigureAwait(false);
        await CustomerRowWriter.RestoreAsync(session, commit.Merged, cancellationToken).ConfigureAwait(false);
        var touchpoints = IdsJson([.. record.MovedTouchpoints.Select(static t => t.ToString()), .. record.RedirectedTouchpoints.Select(static t => t.ToString())]);
        await MoveBackAsync(session, MoveTouchpointsBack, tenant, survivor, merged, touchpoints, cancellationToken).ConfigureAwait(false);
        if (record.MovedRelationships.Count > 0)
        {
            await MoveBackAsync(session, MoveRelationshipsBack, tenant, survivor, merged, IdsJson([.. record.MovedRelationships.Select(static r => r.ToString())]), cancellationToken).ConfigureAwait(false);
        }

        var undone = record.AsUnmerged(commit.UnmergedAt);
        var update = session.Command(MarkUndone);
        update.Parameters[0].Value = tenant;
        update.Parameters[1].Value = record.Id.ToString();
        update.Parameters[2].Value = CustomerMergeDocuments.Write(undone);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var delete = session.Command(DeleteRedirects);
        delete.Parameters[0].Value = tenant;
        delete.Parameters[1].Value = record.Id.ToString();
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return undone;
    }

    /// <summary>
    /// Appends touchpoints, those addressed to a merged-away customer stored with its survivor (following the chain of
    /// active merges) and noted as redirected in every merge on the way. One lookup per distinct customer of the batch.
    /// </summary>
    public static async ValueTask<TouchpointAppendResult> AppendAsync(SqliteSession session, TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        var routes = new Dictionary<CustomerId, (CustomerId Target, List<CustomerMergeId>? Hops)>();
        Touchpoint[]? routed = null;
        var distinct = new HashSet<CustomerId>();
        foreach (var touchpoint in touchpoints)
        {
            distinct.Add(touchpoint.CustomerId);
        }

        // One query for the whole batch; the merges on the way are read only for ids that are merged away.
        var survivors = await FindSurvivorsAsync(session, tenantId, distinct, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < touchpoints.Count; i++)
        {
            var customer = touchpoints[i].CustomerId;
            if (!routes.TryGetValue(customer, out var route))
            {
                route = (customer, null);
                while (survivors.ContainsKey(customer) && await FindActiveAsync(session, tenantId, route.Target, cancellationToken).ConfigureAwait(false) is { } merge)
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

        var result = await TouchpointRowWriter.AppendAsync(session, tenantId.Value, routed ?? touchpoints, cancellationToken).ConfigureAwait(false);
        if (routed is null)
        {
            return result;
        }

        var insert = session.Command(InsertRedirect);
        insert.Parameters[0].Value = tenantId.Value;
        for (var i = 0; i < touchpoints.Count; i++)
        {
            if (routes[touchpoints[i].CustomerId].Hops is not { } hops || result.AlreadyPresent.Contains(i) || result.Conflicts.Contains(i))
            {
                continue;
            }

            insert.Parameters[2].Value = ColumnText.OfId(touchpoints[i].Id);
            foreach (var merge in hops)
            {
                insert.Parameters[1].Value = merge.ToString();
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    /// <summary>
    /// The active merges leading from a merged-away customer to <paramref name="target"/>; a
    /// <see cref="ConcurrencyConflictException"/> when they no longer do (the caller's read is stale).
    /// </summary>
    public static async ValueTask<List<CustomerMergeId>> RouteAsync(SqliteSession session, TenantId tenantId, CustomerId from, CustomerId target, CancellationToken cancellationToken)
    {
        var hops = new List<CustomerMergeId>();
        var at = from;
        while (await FindActiveAsync(session, tenantId, at, cancellationToken).ConfigureAwait(false) is { } merge)
        {
            hops.Add(merge.Id);
            at = merge.SurvivorId;
        }

        return hops.Count > 0 && at == target
            ? hops
            : throw new ConcurrencyConflictException(CustomerRowWriter.AggregateType, from.ToString(), 0, null);
    }

    /// <summary>Throws <c>CRM-MERGE-003</c>, naming the survivor, when either party of a new relationship is merged away.</summary>
    public static async ValueTask EnsurePartiesNotMergedAwayAsync(SqliteSession session, TenantId tenantId, CustomerId from, CustomerId to, CancellationToken cancellationToken)
    {
        foreach (var party in new[] { from, to })
        {
            if (await FindActiveAsync(session, tenantId, party, cancellationToken).ConfigureAwait(false) is { } merge)
            {
                throw CustomerMergeException.MergedAwayParty(tenantId, party, merge.Id, merge.SurvivorId);
            }
        }
    }

    /// <summary>The current survivors of those ids that are merged away: one query, and one more per level of chained merges.</summary>
    public static async ValueTask<IReadOnlyDictionary<CustomerId, CustomerId>> FindSurvivorsAsync(SqliteSession session, TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, CancellationToken cancellationToken)
    {
        var survivors = new Dictionary<CustomerId, CustomerId>();
        var select = session.Command(SelectSurvivors);
        select.Parameters[0].Value = tenantId.Value;
        IReadOnlyCollection<CustomerId> asking = customerIds;
        var next = new Dictionary<CustomerId, CustomerId>();
        for (var hop = 0; asking.Count > 0 && hop < 64; hop++)
        {
            select.Parameters[1].Value = IdsJson([.. asking.Select(static id => ColumnText.OfId(id))]);
            next.Clear();
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    next[CustomerId.Parse(reader.GetString(0))] = CustomerId.Parse(reader.GetString(1));
                }
            }

            // Re-point every id that resolved to a customer merged away in this round.
            foreach (var key in survivors.Keys.ToList())
            {
                if (next.TryGetValue(survivors[key], out var further))
                {
                    survivors[key] = further;
                }
            }

            foreach (var (merged, survivor) in next)
            {
                if (hop == 0)
                {
                    survivors[merged] = survivor;
                }
            }

            asking = [.. next.Values.Distinct()];
        }

        return survivors;
    }

    /// <summary>Lists a stored touchpoint as redirected in every merge of <paramref name="hops"/>.</summary>
    public static async ValueTask NoteRedirectAsync(SqliteSession session, TenantId tenantId, List<CustomerMergeId> hops, TouchpointId touchpointId, CancellationToken cancellationToken)
    {
        var insert = session.Command(InsertRedirect);
        insert.Parameters[0].Value = tenantId.Value;
        insert.Parameters[2].Value = ColumnText.OfId(touchpointId);
        foreach (var merge in hops)
        {
            insert.Parameters[1].Value = merge.ToString();
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a merge record with the touchpoints redirected so far; null when the tenant has none with that id.</summary>
    public static async ValueTask<CustomerMergeRecord?> FindAsync(SqliteSession session, TenantId tenantId, CustomerMergeId mergeId, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectById);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = mergeId.ToString();
        string document;
        bool active;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            document = reader.GetString(0);
            active = reader.GetInt64(1) == 1;
        }

        return await ReadAsync(session, tenantId, mergeId, document, active, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the active merge that merged a customer away; null when it is not merged away.</summary>
    public static async ValueTask<CustomerMergeRecord?> FindActiveAsync(SqliteSession session, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectActive);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = ColumnText.OfId(customerId);
        string id;
        string document;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            id = reader.GetString(0);
            document = reader.GetString(2);
        }

        return await ReadAsync(session, tenantId, ParseMergeId(id), document, active: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists every merge naming a customer on either side, in merge id order.</summary>
    public static async ValueTask<IReadOnlyList<CustomerMergeRecord>> ListByCustomerAsync(SqliteSession session, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectByCustomer);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = ColumnText.OfId(customerId);
        var rows = new List<(string Id, string Document, bool Active)>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) == 1));
            }
        }

        var records = new List<CustomerMergeRecord>(rows.Count);
        foreach (var (id, document, active) in rows)
        {
            records.Add(await ReadAsync(session, tenantId, ParseMergeId(id), document, active, cancellationToken).ConfigureAwait(false));
        }

        return records;
    }

    private static async ValueTask<CustomerMergeRecord> ReadAsync(SqliteSession session, TenantId tenantId, CustomerMergeId mergeId, string document, bool active, CancellationToken cancellationToken)
    {
        List<TouchpointId>? redirected = null;
        if (active)
        {
            var select = session.Command(SelectRedirects);
            select.Parameters[0].Value = tenantId.Value;
            select.Parameters[1].Value = mergeId.ToString();
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (redirected ??= []).Add(ParseTouchpointId(reader.GetString(0)));
            }
        }

        return CustomerMergeDocuments.Read(tenantId, mergeId, document, redirected);
    }

    private static async ValueTask<List<T>> ReturnedIdsAsync<T>(SqliteSession session, SqlStatement statement, string tenant, string from, string to, Func<string, T> parse, CancellationToken cancellationToken)
    {
        var command = session.Command(statement);
        command.Parameters[0].Value = tenant;
        command.Parameters[1].Value = from;
        command.Parameters[2].Value = to;
        var ids = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(parse(reader.GetString(0)));
        }

        return ids;
    }

    private static async ValueTask MoveBackAsync(SqliteSession session, SqlStatement statement, string tenant, string from, string to, string ids, CancellationToken cancellationToken)
    {
        var command = session.Command(statement);
        command.Parameters[0].Value = tenant;
        command.Parameters[1].Value = from;
        command.Parameters[2].Value = to;
        command.Parameters[3].Value = ids;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string IdsJson(string[] ids) => System.Text.Json.JsonSerializer.Serialize(ids, SqliteJsonContext.Default.StringArray);

    private static CustomerMergeId ParseMergeId(string text)
        => CustomerMergeId.TryParse(text, out var id) ? id : throw new InvalidStoredStateException("customer_merges", text, "id is not a merge id.");

    private static TouchpointId ParseTouchpointId(string text)
        => TouchpointId.TryParse(text, out var id) ? id : throw new InvalidStoredStateException("customer_merge_redirects", text, "touchpoint_id is not a touchpoint id.");
}
