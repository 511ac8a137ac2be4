using CrmKernel.Lifecycle;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Observability;

public sealed class DefaultLifecycleOptionsTests
{
    [Fact]
    public void UseDefaultLifecycleModel_BuildsTheModelEveryLifecycleServiceUses_FromValidatedOptions()
    {
        using var provider = new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().UseDefaultLifecycleModel(o => o.LapseAfter = Duration.FromDays(90)))
            .BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var model = provider.GetRequiredService<LifecycleModel>();

        Assert.Same(model, provider.GetRequiredService<LifecycleService>().Model);
        Assert.Same(model, provider.GetRequiredService<TouchpointIngestion>().LifecycleModel);
    }

    [Fact]
    public void BadThresholds_FailAtStart_NamingEachSetting()
    {
        using var provider = new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().UseDefaultLifecycleModel(o =>
            {
                o.LapseAfter = Duration.Zero;
                o.LoyaltyWindow = Duration.FromDays(-1);
                o.LoyaltyPurchases = 1;
            }))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("DefaultLifecycleOptions.LapseAfter", error.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultLifecycleOptions.LoyaltyWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultLifecycleOptions.LoyaltyPurchases", error.Message, StringComparison.Ordinal);
    }
}
