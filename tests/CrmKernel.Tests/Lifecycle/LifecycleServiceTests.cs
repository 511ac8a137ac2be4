using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using static CrmKernel.Lifecycle.DefaultLifecycleModel;
using static CrmKernel.Tests.Lifecycle.LifecycleTestData;

namespace CrmKernel.Tests.Lifecycle;

public sealed class LifecycleServiceTests
{
    private readonly FakeClock _clock = new(Start, Duration.FromMilliseconds(1));
    private readonly InMemoryCrmOutbox _outbox = new();
    private readonly InMemoryCustomerStore _customers;
    private readonly InMemoryTouchpointStore _touchpoints = new();
    private readonly Publisher _publisher = new();

    public LifecycleServiceTests() => _customers = new InMemoryCustomerStore(_outbox);

    private TouchpointIngestion Ingestion(LifecycleModel? model = null)
        => new(_touchpoints, _clock, model ?? Model, _customers, new InMemoryCustomerTouchpointStore(_customers, _touchpoints), _publisher, _outbox);

    private LifecycleService Service(LifecycleModel? model = null) => new(new CustomerRepository(_customers, _clock, _publisher, _outbox), model ?? Model);

    private LifecycleEvaluator Evaluator(LifecycleModel? model = null) => new(new CrmKernel.Services.Customers.CustomerRepository(_customers, _clock, _publisher, _outbox), model ?? Model);

    private async Task<Customer> SavedAsync()
    {
        var customer = NewCustomer(_clock);
        await new CustomerRepository(_customers, _clock, null, _outbox).SaveAsync(customer);
        return customer;
    }

    private async Task<CustomerSnapshot> StoredAsync(CustomerId id) => (await _customers.FindAsync(Tenant, id, default))!;

    [Fact]
    public void AddCrmKernel_RegistersTheLifecycleServices_AndUseLifecycleModelReplacesTheModel()
    {
        using var provider = new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(_clock)).BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<LifecycleService>());
        Assert.NotNull(provider.GetRequiredService<TouchpointIngestion>().LifecycleModel);
        Assert.NotNull(provider.GetRequiredService<LifecycleEvaluator>());
        Assert.NotNull(provider.GetRequiredService<ICustomerTouchpointStore>());
        Assert.Equal(Prospect, provider.GetRequiredService<LifecycleModel>().InitialStage);

        var custom = new LifecycleModelBuilder(new LifecycleStage("trial")).Build();
        using var other = new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseLifecycleModel(custom)).BuildServiceProvider();
        Assert.Same(custom, other.GetRequiredService<LifecycleService>().Model);
    }

    [Fact]
    public async Task RecordAsync_ThroughDependencyInjection_UsesOneStoreForCustomersAndTouchpoints()
    {
        using var provider = new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(_clock)).BuildServiceProvider();
        var customer = NewCustomer(_clock);
        await provider.GetRequiredService<CustomerRepository>().SaveAsync(customer);
        var result = await provider.GetRequiredService<TouchpointIngestion>().RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));
        Assert.Equal(FirstTimeCustomer, Assert.Single(result.Transitions).Transition.To);
        Assert.NotNull(await provider.GetRequiredService<ITouchpointStore>().FindAsync(Tenant, result.Touchpoint!.Id, default));
        Assert.Equal(FirstTimeCustomer, (await provider.GetRequiredService<ICustomerStore>().FindAsync(Tenant, customer.Id, default))!.LifecycleStage);
    }

    [Fact]
    public async Task RecordAsync_PublishesTheStageChangeAfterCommit_AndClearsTheOutbox()
    {
        var customer = await SavedAsync();
        await _outbox.MarkPublishedAsync(Tenant, [.. (await _outbox.ListPendingAsync(Tenant, 100, default)).Select(e => e.EventId)], default);

        var result = await Ingestion().RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));

        var changed = Assert.IsType<LifecycleStageChanged>(Assert.Single(_publisher.Published));
        Assert.Equal(result.Transitions[0].Transition, changed.Transition);
        Assert.Empty(await _outbox.ListPendingAsync(Tenant, 100, default));
        Assert.Equal(2, (await StoredAsync(customer.Id)).Version);
    }

    [Fact]
    public async Task RecordAsync_WhenPublishingFails_KeepsTheCommitAndTheEventInTheOutbox()
    {
        var customer = await SavedAsync();
        _publisher.Fail = true;
        var result = await Ingestion().RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));

        Assert.Equal(FirstTimeCustomer, (await StoredAsync(customer.Id)).LifecycleStage);
        var pending = await _outbox.ListPendingAsync(Tenant, 100, default);
        var envelope = Assert.Single(pending, e => e.EventType == nameof(LifecycleStageChanged));
        var read = Assert.IsType<LifecycleStageChanged>(CustomerEventJson.FromEnvelope(envelope));
        Assert.Equal(result.Transitions[0].Transition, read.Transition);
    }

    [Fact]
    public async Task RecordAsync_ForAnUnknownCustomer_WhenRefused_StoresNothing()
    {
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await Ingestion().RecordAsync(Tenant, Details(CustomerId.New(), TouchpointKind.Purchase, Day(1)), UnknownCustomerPolicy.Refuse));
        Assert.Equal(0, await _touchpoints.CountAsync(Tenant, default));
    }

    [Fact]
    public async Task RecordAsync_RefusingUnknownCustomers_WithoutTheAtomicCapability_IsNotSupported_AndStoresNothing()
    {
        var customer = await SavedAsync();
        var plain = new TouchpointIngestion(_touchpoints, _clock);
        await Assert.ThrowsAsync<NotSupportedException>(async () => await plain.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)), UnknownCustomerPolicy.Refuse));
        Assert.Equal(0, await _touchpoints.CountAsync(Tenant, default));
        Assert.Equal(1, (await StoredAsync(customer.Id)).Version);
    }

    [Fact]
    public async Task RecordAsync_AConflictingTouchpoint_ThrowsAndStoresNothing()
    {
        var customer = await SavedAsync();
        await Ingestion().RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1), key: "k"));
        var e = await Assert.ThrowsAsync<TouchpointConflictException>(async () => await Ingestion().RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(2), key: "k")));
        Assert.Equal(CrmErrorCodes.TouchpointConflict, e.ErrorCode);
        Assert.Equal(1, (await StoredAsync(customer.Id)).LifecycleFacts!.PurchaseCount);
    }

    [Fact]
    public async Task RecordAsync_AfterAConcurrentChange_RetriesFromAFreshRead()
    {
        var customer = await SavedAsync();
        var ingestion = Ingestion();
        await ingestion.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));

        // Another writer changes the customer between reads: the pipeline always starts from a fresh read, so both changes survive.
        var other = Customer.Rehydrate(await StoredAsync(customer.Id), _clock);
        other.Tag(new CustomerTag("vip"));
        await new CustomerRepository(_customers, _clock).SaveAsync(other);
        await ingestion.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(2)));

        var stored = await StoredAsync(customer.Id);
        Assert.Contains(new CustomerTag("vip"), stored.Tags);
        Assert.Equal(RepeatCustomer, stored.LifecycleStage);
    }

    [Fact]
    public async Task ApplyCommandAsync_StoresAndPublishes_OrRefusesAnIllegalTransitionChangingNothing()
    {
        var customer = await SavedAsync();
        var ingestion = Ingestion();
        var before = await StoredAsync(customer.Id);
        var outbox = (await _outbox.ListPendingAsync(Tenant, 100, default)).Count;

        var e = await Assert.ThrowsAsync<IllegalLifecycleTransitionException>(async () => await Service().ApplyCommandAsync(Tenant, customer.Id, MarkFormer, "agent-1", "asked"));
        Assert.Equal((Prospect, Former, MarkFormer), (e.From, e.To, e.Rule));
        Assert.Same(before, await StoredAsync(customer.Id));
        Assert.Equal(outbox, (await _outbox.ListPendingAsync(Tenant, 100, default)).Count);

        await ingestion.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));
        var transition = await Service().ApplyCommandAsync(Tenant, customer.Id, MarkFormer, "agent-1", "asked");
        Assert.Equal(Former, transition.To);
        Assert.Equal(Former, (await StoredAsync(customer.Id)).LifecycleStage);
        Assert.Equal(transition, Assert.IsType<LifecycleStageChanged>(_publisher.Published[^1]).Transition);
    }

    [Fact]
    public async Task EvaluateAsync_LapsesExactlyTheDueCustomers_AndASecondRunChangesNothing()
    {
        var ingestion = Ingestion();
        var ids = new List<(CustomerId Id, int LastPurchaseDay)>();
        for (var i = 0; i < 40; i++)
        {
            var customer = await SavedAsync();
            await ingestion.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(i * 5)));
            ids.Add((customer.Id, i * 5));
        }

        var prospect = await SavedAsync();
        var asOf = Day(100 + 180);
        _publisher.Clear();

        var first = await Evaluator().EvaluateAsync(Tenant, asOf);
        var second = await Evaluator().EvaluateAsync(Tenant, asOf);

        var expected = ids.Count(c => c.LastPurchaseDay <= 100);
        Assert.Equal(new LifecycleEvaluationResult(41, expected, 0), first);
        Assert.Equal(new LifecycleEvaluationResult(41, 0, 0), second);
        Assert.Equal(expected, _publisher.Published.OfType<LifecycleStageChanged>().Count());
        foreach (var (id, day) in ids)
        {
            var stored = await StoredAsync(id);
            Assert.Equal(day <= 100 ? Lapsed : FirstTimeCustomer, stored.LifecycleStage);
            if (day <= 100)
            {
                Assert.Equal(Day(day + 180), stored.LifecycleHistory[^1].At);
            }
        }

        Assert.Null((await StoredAsync(prospect.Id)).LifecycleStage);
    }

    [Fact]
    public async Task EvaluateAsync_PagesThroughMoreThanOnePage()
    {
        var repository = new CustomerRepository(_customers, _clock, null, _outbox);
        var customers = new List<Customer>();
        for (var i = 0; i < LifecycleEvaluator.PageSize + 7; i++)
        {
            var customer = NewCustomer(_clock);
            customer.ApplyTouchpoint(Model, Touch(customer, TouchpointKind.Purchase, Day(1)));
            customers.Add(customer);
        }

        await repository.ImportAsync(Tenant, customers);
        var result = await Evaluator().EvaluateAsync(Tenant, Day(181));
        Assert.Equal(new LifecycleEvaluationResult(LifecycleEvaluator.PageSize + 7, LifecycleEvaluator.PageSize + 7, 0), result);
    }

    [Fact]
    public async Task EvaluateAsync_SkipsCustomersWhoseStageTheModelDoesNotDeclare()
    {
        var customer = await SavedAsync();
        await Ingestion().RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));
        var other = new LifecycleModelBuilder(new LifecycleStage("elsewhere")).Build();
        Assert.Equal(new LifecycleEvaluationResult(1, 0, 1), await Evaluator(other).EvaluateAsync(Tenant, Day(500)));
    }

    [Fact]
    public async Task EvaluateNowAsync_UsesTheClock()
    {
        var customer = await SavedAsync();
        await Ingestion().RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));
        _clock.Reset(Day(181) - Duration.FromMilliseconds(1));
        Assert.Equal(0, (await Evaluator().EvaluateNowAsync(Tenant)).Changed);
        _clock.Reset(Day(181));
        Assert.Equal(1, (await Evaluator().EvaluateNowAsync(Tenant)).Changed);
    }

    [Fact]
    public async Task StreamTransitionsAsync_ReturnsTheTenantsTransitionsInThePeriod()
    {
        var ingestion = Ingestion();
        var a = await SavedAsync();
        var b = await SavedAsync();
        await ingestion.RecordAsync(Tenant, Details(a.Id, TouchpointKind.Purchase, Day(1)));
        await ingestion.RecordAsync(Tenant, Details(a.Id, TouchpointKind.Purchase, Day(40)));
        await ingestion.RecordAsync(Tenant, Details(b.Id, TouchpointKind.Purchase, Day(10)));

        var january = new Interval(Day(0), Day(31));
        var transitions = new List<CustomerStageTransition>();
        await foreach (var t in Service().StreamTransitionsAsync(Tenant, january))
        {
            transitions.Add(t);
        }

        Assert.Equal(2, transitions.Count);
        Assert.All(transitions, t => Assert.Equal(FirstTimeCustomer, t.Transition.To));
        Assert.Equal(new[] { a.Id, b.Id }.Order(), transitions.Select(t => t.CustomerId).Order());
    }

    [Fact]
    public async Task Services_RefuseDefaultIds()
    {
        var customer = await SavedAsync();
        var ingestion = Ingestion();
        await Assert.ThrowsAsync<ArgumentException>("tenantId", async () => await ingestion.RecordAsync(default, Details(customer.Id, TouchpointKind.Purchase, Day(1))));
        await Assert.ThrowsAsync<ArgumentException>("details", async () => await ingestion.RecordAsync(Tenant, Details(default, TouchpointKind.Purchase, Day(1))));
        await Assert.ThrowsAsync<ArgumentException>("customerId", async () => await Service().ApplyCommandAsync(Tenant, default, MarkFormer, "a", "b"));
        await Assert.ThrowsAsync<ArgumentException>("tenantId", async () => await Service().ApplyCommandAsync(default, customer.Id, MarkFormer, "a", "b"));
        await Assert.ThrowsAsync<ArgumentException>("tenantId", async () => await Evaluator().EvaluateAsync(default, Day(1)));
        Assert.Throws<ArgumentException>("tenantId", () => Service().StreamTransitionsAsync(default, new Interval(null, null)));
        Assert.Equal(0, await _touchpoints.CountAsync(Tenant, default));
    }

    private sealed class Publisher : ICrmEventPublisher
    {
        private readonly List<ICrmEvent> _published = [];

        public bool Fail { get; set; }

        public IReadOnlyList<ICrmEvent> Published => _published;

        public void Clear() => _published.Clear();

        public ValueTask PublishAsync(IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("told to fail");
            }

            _published.AddRange(events);
            return ValueTask.CompletedTask;
        }
    }
}
