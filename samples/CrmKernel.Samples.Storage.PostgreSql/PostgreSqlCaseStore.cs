using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The service case store of a <see cref="PostgreSqlCrmStore"/>'s database: one row per case, keyed by tenant and id,
/// holding the kernel's document (<see cref="CaseDocuments"/>) beside the columns it is found by (customer, status), with
/// optimistic concurrency on its version; the cases of one commit (a merge's two) and their events go to the database in
/// one transaction. Obtain it from <see cref="PostgreSqlCrmStore.Cases"/>; application code uses <c>CaseService</c> over it.
/// </summary>
public sealed class PostgreSqlCaseStore : ICaseStore
{
    /// <summary>Schema version 4: the case table and its indexes, every key led by <c>tenant_id</c> (Citus-ready).</summary>
    internal const string Migration = """
        CREATE TABLE service_cases (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            customer_id uuid NOT NULL,
            status text NOT NULL,
            version bigint NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );

        CREATE INDEX service_cases_by_customer ON service_cases (tenant_id, customer_id, id);
        CREATE INDEX service_cases_by_status ON service_cases (tenant_id, status, id);
        """;

    private const string Select = "SELECT id, document, customer_id, status FROM service_cases WHERE tenant_id = @tenant AND id = @id";

    private const string Page = "SELECT id, document, customer_id, status FROM service_cases WHERE tenant_id = @tenant AND id > @after ORDER BY id LIMIT @limit";

    private const string PageByCustomer = """
        SELECT id, document, customer_id, status FROM service_cases WHERE tenant_id = @tenant AND customer_id = @customer AND id > @after ORDER BY id LIMIT @limit
        """;

    private const string PageByStatus = """
        SELECT id, document, customer_id, status FROM service_cases WHERE tenant_id = @tenant AND status = @status AND id > @after ORDER BY id LIMIT @limit
        """;

    private const string VersionOf = "SELECT version FROM service_cases WHERE tenant_id = @tenant AND id = @id";

    private const string Insert = """
        INSERT INTO service_cases (tenant_id, id, customer_id, status, version, document)
        VALUES (@tenant, @id, @customer, @status, @version, @document)
        ON CONFLICT (tenant_id, id) DO NOTHING
        """;

    private const string Update = """
        UPDATE service_cases SET status = @status, version = @version, document = @document
        WHERE tenant_id = @tenant AND id = @id AND version = @expected AND customer_id = @customer
        """;

    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlCaseStore(PostgreSqlCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<ServiceCase?> FindAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(caseId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, Select).With("tenant", tenantId.Value).With("id", caseId.Value);
                var rows = Rebuild(tenantId, await ReadAsync(select, ct).ConfigureAwait(false));
                return rows.Count == 0 ? null : rows[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageAsync(TenantId tenantId, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<ServiceCase>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, Page)
                    .With("tenant", tenantId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                return Rebuild(tenantId, await ReadAsync(select, ct).ConfigureAwait(false));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<ServiceCase>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, PageByCustomer)
                    .With("tenant", tenantId.Value).With("customer", customerId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                return Rebuild(tenantId, await ReadAsync(select, ct).ConfigureAwait(false));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageByStatusAsync(TenantId tenantId, CaseStatus status, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.Defined(status);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<ServiceCase>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, PageByStatus)
                    .With("tenant", tenantId.Value).With("status", status.ToString()).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                return Rebuild(tenantId, await ReadAsync(select, ct).ConfigureAwait(false));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(CaseCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                var db = _store.Database;
                foreach (var w in commit.Writes)
                {
                    await using var write = db.Command(c, t, w.IsInsert ? Insert : Update)
                        .With("tenant", commit.TenantId.Value)
                        .With("id", w.CaseId.Value)
                        .With("customer", w.CustomerId.Value)
                        .With("status", w.Status.ToString())
                        .With("version", w.NewVersion)
                        .With("document", w.Document);
                    if (!w.IsInsert)
                    {
                        write.With("expected", w.ExpectedVersion);
                    }

                    if (await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                    {
                        await using var select = db.Command(c, t, VersionOf).With("tenant", commit.TenantId.Value).With("id", w.CaseId.Value);
                        var stored = await select.ExecuteScalarAsync(ct).ConfigureAwait(false) as long?;
                        throw new ConcurrencyConflictException("service-case", w.CaseId.ToString(), w.ExpectedVersion, stored);
                    }
                }

                await CustomerRows.AppendEventsAsync(db, c, t, commit.TenantId, commit.Events, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds cases from their rows, the key columns checked against each document.</summary>
    private static IReadOnlyList<ServiceCase> Rebuild(TenantId tenantId, List<(Guid Id, string Document, Guid Customer, string Status)> rows)
        => [.. rows.Select(r => CaseDocuments.Read(tenantId, new CaseId(r.Id), new CustomerId(r.Customer), r.Status, r.Document))];

    private static async ValueTask<List<(Guid Id, string Document, Guid Customer, string Status)>> ReadAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<(Guid, string, Guid, string)>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3)));
        }

        return rows;
    }
}
