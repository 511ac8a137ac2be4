using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Services.Sales;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Sales;

/// <summary>The rules the model-based property does not reach: limits, pipeline revisions, stored state that breaks a rule, DI.</summary>
public sealed class OpportunityTests
{
    private static readonly Instant At = SalesTestData.Start;

    private static Opportunity NewDeal() => Opportunity.Open(OpportunityId.New(), SalesTestData.Customer, SalesTestData.Pipeline, "Deal", "owner", Currency.EUR, new LocalDate(2026, 6, 30), At, "rep");

    [Fact]
    public void AddLineItem_BeyondTheLimit_IsRefusedAndChangesNothing()
    {
        var deal = NewDeal();
        for (var i = 0; i < Opportunity.MaxLineItems; i++)
        {
            deal.AddLineItem("sku-" + i, 1m, new Money(1m, Currency.EUR), 0m, At);
        }

        var refused = Assert.Throws<SalesRuleException>(() => deal.AddLineItem("one-more", 1m, new Money(1m, Currency.EUR), 0m, At));

        Assert.Equal(CrmErrorCodes.OpportunityLimitExceeded, refused.ErrorCode);
        Assert.Equal(Opportunity.MaxLineItems, deal.LineItems.Count);
        Assert.Equal(new Money(Opportunity.MaxLineItems, Currency.EUR), deal.Amount);
        Assert.DoesNotContain("one-more", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LineItem_Total_AppliesQuantityAndDiscount()
    {
        var item = new OpportunityLineItem(1, "seat", 3m, new Money(19.99m, Currency.EUR), 0.25m);
        Assert.Equal(new Money(44.9775m, Currency.EUR), item.Total);
        Assert.Throws<ArgumentException>(() => new OpportunityLineItem(1, "seat", 0m, new Money(1m, Currency.EUR), 0m));
        Assert.Throws<ArgumentException>(() => new OpportunityLineItem(1, "seat", 1m, new Money(-1m, Currency.EUR), 0m));
        Assert.Throws<ArgumentException>(() => new OpportunityLineItem(1, "seat", 1m, new Money(1m, Currency.EUR), 1.01m));
        Assert.Equal("productId", Assert.Throws<InputLimitExceededException>(() => new OpportunityLineItem(1, new string('p', OpportunityLineItem.MaxProductIdLength + 1), 1m, new Money(1m, Currency.EUR), 0m)).ParamName);
    }

    [Fact]
    public void Revise_MayAddRenameAndReorder_ButNeverDropAStage()
    {
        var pipeline = SalesTestData.Pipeline;
        var revised = pipeline.Revise("Renamed", [new SalesStage("legal", "Legal", 0.95m, ForecastCategory.Commit), .. pipeline.Stages.Reverse()]);
        Assert.Equal(2, revised.Version);
        Assert.Equal(0, revised.PositionOf("Legal"));

        var refused = Assert.Throws<SalesRuleException>(() => pipeline.Revise("Shorter", pipeline.Stages.Skip(1)));
        Assert.Equal(CrmErrorCodes.SalesStageRemoved, refused.ErrorCode);
        Assert.Contains("qualify", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_And_Stage_RefuseWhatNoProcessHas()
    {
        Assert.Throws<ArgumentException>(() => SalesPipeline.Define(SalesTestData.Tenant, SalesPipelineId.New(), "Empty", []));
        Assert.Throws<ArgumentException>(() => SalesPipeline.Define(SalesTestData.Tenant, SalesPipelineId.New(), "Twice", [.. SalesTestData.Stages(), new SalesStage("QUALIFY", "Again", 0.2m, ForecastCategory.Pipeline)]));
        Assert.Throws<ArgumentException>(() => new SalesStage("won", "Won", 1m, ForecastCategory.Closed));
        Assert.Throws<ArgumentException>(() => new SalesStage("late", "Late", 1.5m, ForecastCategory.Commit));
        Assert.Throws<ArgumentException>(() => new SalesStage("not a slug!", "Bad", 0.5m, ForecastCategory.Commit));
    }

    [Fact]
    public void Rehydrate_RefusesAHistoryTheRulesDoNotAllow()
    {
        var deal = NewDeal();
        deal.AddLineItem("sku", 1m, new Money(10m, Currency.EUR), 0m, At);
        var won = deal.CloseWon(At + Duration.FromDays(1), "rep", "signed");
        var reopened = new OpportunityStageChange(won.ToStage, "propose", OpportunityStatus.Won, OpportunityStatus.Open, At + Duration.FromDays(2), "rep", "regret");

        Assert.Throws<ArgumentException>(() => Opportunity.Rehydrate(deal.TenantId, deal.Id, deal.CustomerId, deal.PipelineId, deal.Name, deal.Owner, deal.Currency, deal.ExpectedCloseDate, deal.StageProbability, deal.StageForecastCategory, deal.LineItems, deal.ContactRoles, [.. deal.History, reopened], 1));
        Assert.Throws<ArgumentException>(() => Opportunity.Rehydrate(deal.TenantId, deal.Id, deal.CustomerId, deal.PipelineId, deal.Name, deal.Owner, Currency.USD, deal.ExpectedCloseDate, deal.StageProbability, deal.StageForecastCategory, deal.LineItems, deal.ContactRoles, deal.History, 1));
        var fine = Opportunity.Rehydrate(deal.TenantId, deal.Id, deal.CustomerId, deal.PipelineId, deal.Name, deal.Owner, deal.Currency, deal.ExpectedCloseDate, deal.StageProbability, deal.StageForecastCategory, deal.LineItems, deal.ContactRoles, deal.History, 1);
        Assert.Equal(OpportunityStatus.Won, fine.Status);
        Assert.Empty(fine.PendingEvents);
    }

    [Fact]
    public void SalesDocuments_ReadOfACorruptDocument_FailsLoudlyNamingTheDeal()
    {
        var deal = NewDeal();
        var document = OpportunityCommit.Create(deal).Document.Replace("\"toStatus\":\"Open\"", "\"toStatus\":\"Won\"", StringComparison.Ordinal);

        var e = Assert.Throws<InvalidStoredStateException>(() => SalesDocuments.ReadOpportunity(deal.TenantId, deal.Id, document));
        Assert.Equal(CrmErrorCodes.InvalidStoredState, e.ErrorCode);
        Assert.Contains(deal.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidStoredStateException>(() => SalesDocuments.ReadOpportunity(deal.TenantId, OpportunityId.New(), OpportunityCommit.Create(deal).Document));
    }

    [Fact]
    public async Task AddCrmKernel_WithInMemoryStores_ResolvesTheSalesService()
    {
        await using var provider = new ServiceCollection()
            .AddCrmKernel(kernel => kernel.UseInMemoryStores().UseClock(new FakeClock(At)))
            .BuildServiceProvider();
        var sales = provider.GetRequiredService<OpportunityService>();

        Assert.Same(sales, provider.GetRequiredService<OpportunityService>());
        Assert.Same(provider.GetRequiredService<IOpportunityStore>(), provider.GetRequiredService<ISalesPipelineStore>());
        var pipeline = await sales.DefinePipelineAsync(SalesTestData.Tenant, "New business", SalesTestData.Stages());
        Assert.Equal(pipeline.Id, Assert.Single(await sales.ListPipelinesAsync(SalesTestData.Tenant)).Id);
    }
}
