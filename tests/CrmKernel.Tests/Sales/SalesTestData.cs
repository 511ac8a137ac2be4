using CrmKernel.Primitives;
using CrmKernel.Sales;
using NodaTime;

namespace CrmKernel.Tests.Sales;

/// <summary>A four-stage pipeline and the parties the sales tests use.</summary>
internal static class SalesTestData
{
    public static readonly TenantId Tenant = new("sales-tests");
    public static readonly Instant Start = Instant.FromUtc(2026, 3, 2, 9, 0);
    public static readonly CustomerId Customer = CustomerId.New();
    public static readonly CustomerId[] Contacts = [CustomerId.New(), CustomerId.New(), CustomerId.New()];
    public static readonly string[] Roles = ["decision-maker", "champion"];

    /// <summary>The pipeline's keys, then one it does not have.</summary>
    public static readonly string[] StageKeys = ["qualify", "propose", "negotiate", "verbal", "nowhere"];
    public static readonly decimal[] Probabilities = [0.1m, 0.4m, 0.7m, 0.9m];
    public static readonly ForecastCategory[] Categories = [ForecastCategory.Pipeline, ForecastCategory.BestCase, ForecastCategory.Commit, ForecastCategory.Commit];

    public static readonly SalesPipeline Pipeline = SalesPipeline.Define(Tenant, SalesPipelineId.New(), "New business", Stages());

    public static IEnumerable<SalesStage> Stages()
    {
        for (var i = 0; i < Probabilities.Length; i++)
        {
            yield return new SalesStage(StageKeys[i], StageKeys[i].ToUpperInvariant(), Probabilities[i], Categories[i]);
        }
    }
}
