using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Storage;
using NodaTime;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>What the SQLite sales store does beyond the conformance kit: its key columns, and a hand-edited row failing loudly.</summary>
public sealed class SqliteSalesStoreTests : IDisposable
{
    private static readonly TenantId Tenant = new("acme");
    private static readonly Instant At = Instant.FromUtc(2026, 3, 2, 9, 0);

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task KeyColumns_FollowTheDeal_AndAHandEditedDocumentFailsLoudly()
    {
        var pipeline = SalesPipeline.Define(Tenant, SalesPipelineId.New(), "New business", [new SalesStage("qualify", "Qualify", 0.1m, ForecastCategory.Pipeline)]);
        var deal = Opportunity.Open(OpportunityId.New(), CustomerId.New(), pipeline, "Deal", "owner", Currency.EUR, new LocalDate(2026, 6, 30), At, "rep");
        deal.AddLineItem("sku", 1m, new Money(10m, Currency.EUR), 0m, At);
        deal.CloseLost(At, "rep", "no budget");
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.Sales.CommitAsync(pipeline, 0, default);
        await store.Sales.CommitAsync(OpportunityCommit.Create(deal), default);

        Assert.Equal($"{deal.CustomerId}|{pipeline.Id}|Lost|1", _database.Scalar($"SELECT customer_id || '|' || pipeline_id || '|' || status || '|' || version FROM opportunities WHERE id = '{deal.Id}'"));
        Assert.Equal(3L, _database.Scalar("SELECT count(*) FROM outbox WHERE aggregate_type = 'opportunity'"));

        // A DBA turns the lost deal into a won one in the document only (a valid history on its own): the row disagrees
        // with its status column, and the read refuses it rather than returning either.
        _database.Execute($"UPDATE opportunities SET document = replace(document, '\"toStatus\":\"Lost\"', '\"toStatus\":\"Won\"') WHERE id = '{deal.Id}'");
        var e = await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await store.Sales.FindAsync(Tenant, deal.Id, default));
        Assert.Equal(CrmErrorCodes.InvalidStoredState, e.ErrorCode);
        Assert.Contains(deal.Id.ToString(), e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await store.Sales.PageByCustomerAsync(Tenant, deal.CustomerId, null, 10, default));

        // A status the kernel has never written fails the same way.
        _database.Execute($"UPDATE opportunities SET status = 'Won', document = replace(document, '\"toStatus\":\"Won\"', '\"toStatus\":\"Reopened\"') WHERE id = '{deal.Id}'");
        await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await store.Sales.FindAsync(Tenant, deal.Id, default));
    }
}
