using CrmKernel.Cases;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Cases;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Cases;

/// <summary>The case service's own rules: DI registration, the configurable reopen window, argument checks before any read.</summary>
public sealed class CaseServiceTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 3, 2, 9, 0);
    private static readonly TenantId Tenant = new("case-service");

    [Fact]
    public async Task AddCrmKernel_WithInMemoryStores_ResolvesTheCaseService_WithTheDefaultWindow()
    {
        await using var provider = new ServiceCollection()
            .AddCrmKernel(kernel => kernel.UseInMemoryStores().UseClock(new FakeClock(At)))
            .BuildServiceProvider();
        var cases = provider.GetRequiredService<CaseService>();

        Assert.Same(cases, provider.GetRequiredService<CaseService>());
        Assert.IsType<InMemoryCaseStore>(provider.GetRequiredService<ICaseStore>());
        Assert.Equal(Duration.FromDays(7), cases.ReopenWindow);
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), new FakeClock(At));
        await provider.GetRequiredService<CustomerRepository>().SaveAsync(customer);
        var opened = await cases.OpenAsync(Tenant, customer.Id, "Question", "general", CasePriority.Low, "agent");
        Assert.Equal(opened.Id, Assert.Single(await cases.StreamActiveAsync(Tenant).ToListAsync()).Id);
    }

    [Fact]
    public async Task ReopenWindow_ComesFromTheOptions()
    {
        var clock = new FakeClock(At);
        var (service, customer) = await ServiceAsync(clock, new CaseServiceOptions { ReopenWindow = Duration.FromHours(1) });
        var c = await service.OpenAsync(Tenant, customer, "Question", "general", CasePriority.Low, "agent");
        await service.StartAsync(Tenant, c.Id, "agent", "go");
        await service.ResolveAsync(Tenant, c.Id, "agent");
        clock.Advance(Duration.FromMinutes(61));
        Assert.Equal(CrmErrorCodes.CaseCannotReopen, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.ReopenAsync(Tenant, c.Id, "customer", "late"))).ErrorCode);
        Assert.Equal(1, await service.CloseExpiredAsync(Tenant));
    }

    [Fact]
    public async Task UnknownCases_UnresolvedCases_AndNegativeWindows_AreRefused()
    {
        var (service, customer) = await ServiceAsync(new FakeClock(At));
        Assert.Equal(CrmErrorCodes.CaseNotFound, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.StartAsync(Tenant, CaseId.New(), "agent", "go"))).ErrorCode);
        Assert.Null(await service.FindAsync(Tenant, CaseId.New()));
        var open = await service.OpenAsync(Tenant, customer, "Question", "general", CasePriority.Low, "agent");
        Assert.Equal(CrmErrorCodes.CaseTransitionRefused, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.RecordResolutionAsync(Tenant, open.Id))).ErrorCode);
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await service.OpenAsync(Tenant, CustomerId.New(), "Question", "general", CasePriority.Low, "agent"));

        var outbox = new InMemoryCrmOutbox();
        var touchpoints = new InMemoryTouchpointStore();
        Assert.Throws<ArgumentOutOfRangeException>(() => new CaseService(new InMemoryCaseStore(outbox), touchpoints, new CustomerRepository(new InMemoryCustomerStore(outbox), SystemClock.Instance), new TouchpointIngestion(touchpoints, SystemClock.Instance), SystemClock.Instance, new CaseServiceOptions { ReopenWindow = Duration.FromTicks(-1) }));
    }

    private static async Task<(CaseService Service, CustomerId Customer)> ServiceAsync(FakeClock clock, CaseServiceOptions? options = null)
    {
        var outbox = new InMemoryCrmOutbox();
        var customers = new InMemoryCustomerStore(outbox);
        var touchpoints = new InMemoryTouchpointStore();
        var repository = new CustomerRepository(customers, clock);
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), clock);
        await repository.SaveAsync(customer);
        return (new CaseService(new InMemoryCaseStore(outbox), touchpoints, repository, new TouchpointIngestion(touchpoints, clock), clock, options), customer.Id);
    }
}
