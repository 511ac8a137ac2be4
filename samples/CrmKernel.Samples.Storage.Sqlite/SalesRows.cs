using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The <c>sales_pipelines</c> and <c>opportunities</c> tables: each row holds the kernel's document of the record
/// (<see cref="SalesDocuments"/>) and the key columns it is found by (tenant, id, version; for deals also customer,
/// pipeline and status). A write replaces the row only if its stored version is still the expected one; a deal's events
/// are appended to the outbox in the same transaction.
/// </summary>
internal static class SalesRows
{
    /// <summary>Version 7 of the schema: the two tables and the per-customer index, keys starting with the tenant.</summary>
    public const string Migration = """
        CREATE TABLE sales_pipelines (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE opportunities (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            pipeline_id TEXT NOT NULL,
            status TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX opportunities_by_customer ON opportunities (tenant, customer_id, id);
        """;

    private static readonly SqlStatement InsertPipeline = new(
        "INSERT INTO sales_pipelines (tenant, id, version, document) VALUES ($tenant, $id, $version, $document) ON CONFLICT (tenant, id) DO NOTHING",
        "$tenant", "$id", "$version", "$document");

    private static readonly SqlStatement UpdatePipeline = new(
        "UPDATE sales_pipelines SET version = $version, document = $document WHERE tenant = $tenant AND id = $id AND version = $expected",
        "$tenant", "$id", "$version", "$document", "$expected");

    private static readonly SqlStatement PipelineVersion = new("SELECT version FROM sales_pipelines WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement SelectPipeline = new("SELECT id, document FROM sales_pipelines WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement SelectPipelines = new("SELECT id, document FROM sales_pipelines WHERE tenant = $tenant ORDER BY id", "$tenant");

    private static readonly SqlStatement InsertOpportunity = new(
        """
        INSERT INTO opportunities (tenant, id, customer_id, pipeline_id, status, version, document)
        VALUES ($tenant, $id, $customer_id, $pipeline_id, $status, $version, $document)
        ON CONFLICT (tenant, id) DO NOTHING
        """,
        "$tenant", "$id", "$customer_id", "$pipeline_id", "$status", "$version", "$document");

    private static readonly SqlStatement UpdateOpportunity = new(
        """
        UPDATE opportunities SET status = $status, version = $version, document = $document
        WHERE tenant = $tenant AND id = $id AND version = $expected AND customer_id = $customer_id AND pipeline_id = $pipeline_id
        """,
        "$tenant", "$id", "$customer_id", "$pipeline_id", "$status", "$version", "$document", "$expected");

    private static readonly SqlStatement OpportunityVersion = new("SELECT version FROM opportunities WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement SelectOpportunity = new("SELECT id, document, customer_id, pipeline_id, status FROM opportunities WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    /// <summary>A keyset page in id order; <c>$after</c> is the empty text for the first page (it sorts before every id).</summary>
    private static readonly SqlStatement PageOpportunities = new(
        "SELECT id, document, customer_id, pipeline_id, status FROM opportunities WHERE tenant = $tenant AND id > $after ORDER BY id LIMIT $limit", "$tenant", "$after", "$limit");

    private static readonly SqlStatement PageCustomerOpportunities = new(
        """
        SELECT id, document, customer_id, pipeline_id, status FROM opportunities INDEXED BY opportunities_by_customer
        WHERE tenant = $tenant AND customer_id = $customer_id AND id > $after ORDER BY id LIMIT $limit
        """,
        "$tenant", "$customer_id", "$after", "$limit");

    /// <summary>Stores a pipeline at its version inside the caller's write transaction.</summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <paramref name="expectedVersion"/>, or the pipeline's is not the next one.</exception>
    public static async ValueTask CommitPipelineAsync(SqliteSession session, SalesPipeline pipeline, long expectedVersion, CancellationToken cancellationToken)
    {
        var (tenant, id) = (pipeline.TenantId.Value, pipeline.Id.ToString());
        if (expectedVersion < 0 || pipeline.Version != expectedVersion + 1)
        {
            throw await ConflictAsync(session, PipelineVersion, "sales-pipeline", tenant, id, expectedVersion, cancellationToken).ConfigureAwait(false);
        }

        var command = session.Command(expectedVersion == 0 ? InsertPipeline : UpdatePipeline);
        var p = command.Parameters;
        p[0].Value = tenant;
        p[1].Value = id;
        p[2].Value = pipeline.Version;
        p[3].Value = SalesDocuments.Write(pipeline);
        if (expectedVersion != 0)
        {
            p[4].Value = expectedVersion;
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw await ConflictAsync(session, PipelineVersion, "sales-pipeline", tenant, id, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores a deal's new state and appends its events to the outbox, inside the caller's write transaction.</summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the commit's expected version.</exception>
    public static async ValueTask CommitOpportunityAsync(SqliteSession session, OpportunityCommit commit, CancellationToken cancellationToken)
    {
        var (tenant, id) = (commit.TenantId.Value, commit.OpportunityId.ToString());
        var command = session.Command(commit.IsInsert ? InsertOpportunity : UpdateOpportunity);
        var p = command.Parameters;
        p[0].Value = tenant;
        p[1].Value = id;
        p[2].Value = commit.CustomerId.ToString();
        p[3].Value = commit.PipelineId.ToString();
        p[4].Value = commit.Status.ToString();
        p[5].Value = commit.NewVersion;
        p[6].Value = commit.Document;
        if (!commit.IsInsert)
        {
            p[7].Value = commit.ExpectedVersion;
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw await ConflictAsync(session, OpportunityVersion, "opportunity", tenant, id, commit.ExpectedVersion, cancellationToken).ConfigureAwait(false);
        }

        await OutboxRows.AppendAsync(session, commit.Events, cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<SalesPipeline?> FindPipelineAsync(SqliteSession session, TenantId tenantId, SalesPipelineId pipelineId, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectPipeline);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = pipelineId.ToString();
        var rows = await ReadAsync(select, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : SalesDocuments.ReadPipeline(tenantId, pipelineId, rows[0].Document);
    }

    public static async ValueTask<IReadOnlyList<SalesPipeline>> ListPipelinesAsync(SqliteSession session, TenantId tenantId, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectPipelines);
        select.Parameters[0].Value = tenantId.Value;
        var rows = await ReadAsync(select, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => SalesDocuments.ReadPipeline(tenantId, SalesPipelineId.Parse(r.Id), r.Document))];
    }

    public static async ValueTask<Opportunity?> FindOpportunityAsync(SqliteSession session, TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectOpportunity);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = opportunityId.ToString();
        var rows = await ReadDealsAsync(select, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : Rebuild(tenantId, rows[0]);
    }

    public static async ValueTask<IReadOnlyList<Opportunity>> PageAsync(SqliteSession session, TenantId tenantId, CustomerId? customerId, OpportunityId? after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(customerId is null ? PageOpportunities : PageCustomerOpportunities);
        var p = select.Parameters;
        var i = 0;
        p[i++].Value = tenantId.Value;
        if (customerId is { } customer)
        {
            p[i++].Value = customer.ToString();
        }

        p[i++].Value = after?.ToString() ?? string.Empty;
        p[i].Value = limit;
        var rows = await ReadDealsAsync(select, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => Rebuild(tenantId, r))];
    }

    /// <summary>Rebuilds a deal from its row, the key columns checked against the document (a row whose text is not an id fails the same way).</summary>
    private static Opportunity Rebuild(TenantId tenantId, (string Id, string Document, string Customer, string Pipeline, string Status) row)
    {
        if (!OpportunityId.TryParse(row.Id, out var id) || !CustomerId.TryParse(row.Customer, out var customer) || !SalesPipelineId.TryParse(row.Pipeline, out var pipeline))
        {
            throw new CrmKernel.Diagnostics.InvalidStoredStateException("opportunities", row.Id, "id, customer_id or pipeline_id is not a non-empty GUID in \"D\" format.");
        }

        return SalesDocuments.ReadOpportunity(tenantId, id, customer, pipeline, row.Status, row.Document);
    }

    private static async ValueTask<List<(string Id, string Document, string Customer, string Pipeline, string Status)>> ReadDealsAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<(string, string, string, string, string)>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return rows;
    }

    private static async ValueTask<List<(string Id, string Document)>> ReadAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<(string, string)>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private static async ValueTask<ConcurrencyConflictException> ConflictAsync(SqliteSession session, SqlStatement versionOf, string aggregate, string tenant, string id, long expectedVersion, CancellationToken cancellationToken)
    {
        var select = session.Command(versionOf);
        select.Parameters[0].Value = tenant;
        select.Parameters[1].Value = id;
        var stored = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return new ConcurrencyConflictException(aggregate, id, expectedVersion, stored is long version ? version : null);
    }
}
