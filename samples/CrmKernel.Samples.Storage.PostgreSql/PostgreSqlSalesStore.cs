using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The sales pipeline and opportunity stores of a <see cref="PostgreSqlCrmStore"/>'s database: one row per record, keyed
/// by tenant and id, holding the kernel's document (<see cref="SalesDocuments"/>) beside the columns it is found by, with
/// optimistic concurrency on its version; a deal's events go to the outbox in the same transaction. Obtain it from
/// <see cref="PostgreSqlCrmStore.Sales"/>; application code uses <c>OpportunityService</c> over it.
/// </summary>
public sealed class PostgreSqlSalesStore : IOpportunityStore, ISalesPipelineStore
{
    /// <summary>Schema version 3: the two tables, every key led by <c>tenant_id</c> (Citus-ready).</summary>
    internal const string Migration = """
        CREATE TABLE sales_pipelines (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            version bigint NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );

        CREATE TABLE opportunities (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            customer_id uuid NOT NULL,
            pipeline_id uuid NOT NULL,
            status text NOT NULL,
            version bigint NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );

        CREATE INDEX opportunities_by_customer ON opportunities (tenant_id, customer_id, id);
        """;

    private const string SelectPipeline = "SELECT id, document FROM sales_pipelines WHERE tenant_id = @tenant AND id = @id";

    private const string SelectPipelines = "SELECT id, document FROM sales_pipelines WHERE tenant_id = @tenant ORDER BY id";

    private const string PipelineVersion = "SELECT version FROM sales_pipelines WHERE tenant_id = @tenant AND id = @id";

    private const string InsertPipeline = """
        INSERT INTO sales_pipelines (tenant_id, id, version, document) VALUES (@tenant, @id, @version, @document)
        ON CONFLICT (tenant_id, id) DO NOTHING
        """;

    private const string UpdatePipeline = "UPDATE sales_pipelines SET version = @version, document = @document WHERE tenant_id = @tenant AND id = @id AND version = @expected";

    private const string SelectOpportunity = "SELECT id, document, customer_id, pipeline_id, status FROM opportunities WHERE tenant_id = @tenant AND id = @id";

    private const string PageOpportunities = "SELECT id, document, customer_id, pipeline_id, status FROM opportunities WHERE tenant_id = @tenant AND id > @after ORDER BY id LIMIT @limit";

    private const string PageCustomerOpportunities = """
        SELECT id, document, customer_id, pipeline_id, status FROM opportunities WHERE tenant_id = @tenant AND customer_id = @customer AND id > @after ORDER BY id LIMIT @limit
        """;

    private const string OpportunityVersion = "SELECT version FROM opportunities WHERE tenant_id = @tenant AND id = @id";

    private const string InsertOpportunity = """
        INSERT INTO opportunities (tenant_id, id, customer_id, pipeline_id, status, version, document)
        VALUES (@tenant, @id, @customer, @pipeline, @status, @version, @document)
        ON CONFLICT (tenant_id, id) DO NOTHING
        """;

    private const string UpdateOpportunity = """
        UPDATE opportunities SET status = @status, version = @version, document = @document
        WHERE tenant_id = @tenant AND id = @id AND version = @expected AND customer_id = @customer AND pipeline_id = @pipeline
        """;

    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlSalesStore(PostgreSqlCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<Opportunity?> FindAsync(TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(opportunityId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, SelectOpportunity).With("tenant", tenantId.Value).With("id", opportunityId.Value);
                var rows = Rebuild(tenantId, await ReadDealsAsync(select, ct).ConfigureAwait(false));
                return rows.Count == 0 ? null : rows[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Opportunity>> PageAsync(TenantId tenantId, OpportunityId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<Opportunity>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, PageOpportunities)
                    .With("tenant", tenantId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                return Rebuild(tenantId, await ReadDealsAsync(select, ct).ConfigureAwait(false));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Opportunity>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, OpportunityId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<Opportunity>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, PageCustomerOpportunities)
                    .With("tenant", tenantId.Value).With("customer", customerId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                return Rebuild(tenantId, await ReadDealsAsync(select, ct).ConfigureAwait(false));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(OpportunityCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                var db = _store.Database;
                await using (var write = db.Command(c, t, commit.IsInsert ? InsertOpportunity : UpdateOpportunity)
                    .With("tenant", commit.TenantId.Value)
                    .With("id", commit.OpportunityId.Value)
                    .With("customer", commit.CustomerId.Value)
                    .With("pipeline", commit.PipelineId.Value)
                    .With("status", commit.Status.ToString())
                    .With("version", commit.NewVersion)
                    .With("document", commit.Document))
                {
                    if (!commit.IsInsert)
                    {
                        write.With("expected", commit.ExpectedVersion);
                    }

                    if (await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                    {
                        throw await ConflictAsync(c, t, OpportunityVersion, "opportunity", commit.TenantId, commit.OpportunityId.Value, commit.ExpectedVersion, ct).ConfigureAwait(false);
                    }
                }

                await CustomerRows.AppendEventsAsync(db, c, t, commit.TenantId, commit.Events, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SalesPipeline?> FindAsync(TenantId tenantId, SalesPipelineId pipelineId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(pipelineId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, SelectPipeline).With("tenant", tenantId.Value).With("id", pipelineId.Value);
                var rows = await ReadAsync(select, ct).ConfigureAwait(false);
                return rows.Count == 0 ? null : SalesDocuments.ReadPipeline(tenantId, pipelineId, rows[0].Document);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SalesPipeline>> ListAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<SalesPipeline>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, SelectPipelines).With("tenant", tenantId.Value);
                var rows = await ReadAsync(select, ct).ConfigureAwait(false);
                return [.. rows.Select(r => SalesDocuments.ReadPipeline(tenantId, new SalesPipelineId(r.Id), r.Document))];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(SalesPipeline pipeline, long expectedVersion, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(pipeline);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                var changed = 0;
                if (expectedVersion >= 0 && pipeline.Version == expectedVersion + 1)
                {
                    await using var write = _store.Database.Command(c, t, expectedVersion == 0 ? InsertPipeline : UpdatePipeline)
                        .With("tenant", pipeline.TenantId.Value)
                        .With("id", pipeline.Id.Value)
                        .With("version", pipeline.Version)
                        .With("document", SalesDocuments.Write(pipeline));
                    if (expectedVersion != 0)
                    {
                        write.With("expected", expectedVersion);
                    }

                    changed = await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                if (changed != 1)
                {
                    throw await ConflictAsync(c, t, PipelineVersion, "sales-pipeline", pipeline.TenantId, pipeline.Id.Value, expectedVersion, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds deals from their rows, the key columns checked against each document.</summary>
    private static IReadOnlyList<Opportunity> Rebuild(TenantId tenantId, List<(Guid Id, string Document, Guid Customer, Guid Pipeline, string Status)> rows)
        => [.. rows.Select(r => SalesDocuments.ReadOpportunity(tenantId, new OpportunityId(r.Id), new CustomerId(r.Customer), new SalesPipelineId(r.Pipeline), r.Status, r.Document))];

    private static async ValueTask<List<(Guid Id, string Document, Guid Customer, Guid Pipeline, string Status)>> ReadDealsAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<(Guid, string, Guid, Guid, string)>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetGuid(3), reader.GetString(4)));
        }

        return rows;
    }

    private static async ValueTask<List<(Guid Id, string Document)>> ReadAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<(Guid, string)>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return rows;
    }

    private async ValueTask<ConcurrencyConflictException> ConflictAsync(NpgsqlConnection c, NpgsqlTransaction t, string versionOf, string aggregate, TenantId tenantId, Guid id, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var select = _store.Database.Command(c, t, versionOf).With("tenant", tenantId.Value).With("id", id);
        var stored = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
        return new ConcurrencyConflictException(aggregate, id.ToString(), expectedVersion, stored);
    }
}
