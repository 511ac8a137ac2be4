using CrmKernel.Cases;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The <c>service_cases</c> table: each row holds the kernel's document of a case (<see cref="CaseDocuments"/>) and the
/// key columns it is found by (tenant, id, customer, status, version). A write replaces the row only if its stored
/// version is still the expected one; the cases of one commit (a merge's two) and their events are written in the
/// caller's transaction, so a conflict on either stores nothing.
/// </summary>
internal static class CaseRows
{
    /// <summary>Version 8 of the schema: the table, and the per-customer and per-status indexes, keys starting with the tenant.</summary>
    public const string Migration = """
        CREATE TABLE service_cases (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            status TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX service_cases_by_customer ON service_cases (tenant, customer_id, id);
        CREATE INDEX service_cases_by_status ON service_cases (tenant, status, id);
        """;

    private static readonly SqlStatement Insert = new(
        """
        INSERT INTO service_cases (tenant, id, customer_id, status, version, document)
        VALUES ($tenant, $id, $customer_id, $status, $version, $document)
        ON CONFLICT (tenant, id) DO NOTHING
        """,
        "$tenant", "$id", "$customer_id", "$status", "$version", "$document");

    private static readonly SqlStatement Update = new(
        """
        UPDATE service_cases SET status = $status, version = $version, document = $document
        WHERE tenant = $tenant AND id = $id AND version = $expected AND customer_id = $customer_id
        """,
        "$tenant", "$id", "$customer_id", "$status", "$version", "$document", "$expected");

    private static readonly SqlStatement VersionOf = new("SELECT version FROM service_cases WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement Select = new("SELECT id, document, customer_id, status FROM service_cases WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    /// <summary>A keyset page in id order; <c>$after</c> is the empty text for the first page (it sorts before every id).</summary>
    private static readonly SqlStatement Page = new(
        "SELECT id, document, customer_id, status FROM service_cases WHERE tenant = $tenant AND id > $after ORDER BY id LIMIT $limit", "$tenant", "$after", "$limit");

    private static readonly SqlStatement PageByCustomer = new(
        """
        SELECT id, document, customer_id, status FROM service_cases INDEXED BY service_cases_by_customer
        WHERE tenant = $tenant AND customer_id = $key AND id > $after ORDER BY id LIMIT $limit
        """,
        "$tenant", "$key", "$after", "$limit");

    private static readonly SqlStatement PageByStatus = new(
        """
        SELECT id, document, customer_id, status FROM service_cases INDEXED BY service_cases_by_status
        WHERE tenant = $tenant AND status = $key AND id > $after ORDER BY id LIMIT $limit
        """,
        "$tenant", "$key", "$after", "$limit");

    /// <summary>Stores the commit's cases and appends its events to the outbox, inside the caller's write transaction.</summary>
    /// <exception cref="ConcurrencyConflictException">A stored version is not the expected one (the caller's transaction is rolled back).</exception>
    public static async ValueTask CommitAsync(SqliteSession session, CaseCommit commit, CancellationToken cancellationToken)
    {
        var tenant = commit.TenantId.Value;
        foreach (var write in commit.Writes)
        {
            var id = write.CaseId.ToString();
            var command = session.Command(write.IsInsert ? Insert : Update);
            var p = command.Parameters;
            p[0].Value = tenant;
            p[1].Value = id;
            p[2].Value = write.CustomerId.ToString();
            p[3].Value = write.Status.ToString();
            p[4].Value = write.NewVersion;
            p[5].Value = write.Document;
            if (!write.IsInsert)
            {
                p[6].Value = write.ExpectedVersion;
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                var select = session.Command(VersionOf);
                select.Parameters[0].Value = tenant;
                select.Parameters[1].Value = id;
                var stored = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                throw new ConcurrencyConflictException("service-case", id, write.ExpectedVersion, stored is long version ? version : null);
            }
        }

        await OutboxRows.AppendAsync(session, commit.Events, cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<ServiceCase?> FindAsync(SqliteSession session, TenantId tenantId, CaseId caseId, CancellationToken cancellationToken)
    {
        var select = session.Command(Select);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = caseId.ToString();
        var rows = await ReadAsync(select, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : Rebuild(tenantId, rows[0]);
    }

    /// <summary>One keyset page: the tenant's cases, or those of a customer or a status (<paramref name="key"/> is the customer id or status text).</summary>
    public static async ValueTask<IReadOnlyList<ServiceCase>> PageAsync(SqliteSession session, TenantId tenantId, CaseIndex index, string? key, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(index switch
        {
            CaseIndex.Customer => PageByCustomer,
            CaseIndex.Status => PageByStatus,
            _ => Page,
        });
        var p = select.Parameters;
        var i = 0;
        p[i++].Value = tenantId.Value;
        if (index != CaseIndex.Tenant)
        {
            p[i++].Value = key;
        }

        p[i++].Value = after?.ToString() ?? string.Empty;
        p[i].Value = limit;
        var rows = await ReadAsync(select, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => Rebuild(tenantId, r))];
    }

    /// <summary>Rebuilds a case from its row, the key columns checked against the document (a row whose text is not an id fails the same way).</summary>
    private static ServiceCase Rebuild(TenantId tenantId, (string Id, string Document, string Customer, string Status) row)
    {
        if (!CaseId.TryParse(row.Id, out var id) || !CustomerId.TryParse(row.Customer, out var customer))
        {
            throw new CrmKernel.Diagnostics.InvalidStoredStateException("service_cases", row.Id, "id or customer_id is not a non-empty GUID in \"D\" format.");
        }

        return CaseDocuments.Read(tenantId, id, customer, row.Status, row.Document);
    }

    private static async ValueTask<List<(string Id, string Document, string Customer, string Status)>> ReadAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<(string, string, string, string)>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }
}

/// <summary>Which rows a case page walks.</summary>
internal enum CaseIndex
{
    Tenant,
    Customer,
    Status,
}
