using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Api;

public sealed class CrmKernelServiceCollectionExtensionsTests
{
    [Fact]
    public void AddCrmKernel_RegistersTheSystemClockAndTzdb_ByDefault()
    {
        using var provider = new ServiceCollection().AddCrmKernel(_ => { }).BuildServiceProvider();
        Assert.Same(SystemClock.Instance, provider.GetRequiredService<IClock>());
        Assert.Same(DateTimeZoneProviders.Tzdb, provider.GetRequiredService<IDateTimeZoneProvider>());
    }

    [Fact]
    public void UseClock_ReplacesTheClock()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        using var provider = new ServiceCollection().AddCrmKernel(b => b.UseClock(clock)).BuildServiceProvider();
        Assert.Same(clock, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public void AddCrmKernel_Twice_KeepsOneRegistrationAndTheChosenClock()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var services = new ServiceCollection();
        services.AddCrmKernel(b => b.UseClock(clock));
        services.AddCrmKernel();
        Assert.Single(services, d => d.ServiceType == typeof(IClock));
        using var provider = services.BuildServiceProvider();
        Assert.Same(clock, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public void Builder_ExposesTheServiceCollection()
    {
        var services = new ServiceCollection();
        Assert.Same(services, services.AddCrmKernel().Services);
    }
}
