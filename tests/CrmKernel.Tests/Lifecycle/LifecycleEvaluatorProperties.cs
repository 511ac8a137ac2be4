using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Lifecycle;

public sealed class LifecycleEvaluatorProperties
{
    /// <summary>
    /// Over generated customers (with generated lifecycle walks) and any evaluation instant: the bulk evaluator records only
    /// transitions the model allows, leaves nothing due, and a second run at the same instant changes nothing.
    /// </summary>
    [Property(MaxTest = 100)]
    public bool EvaluateAsync_IsIdempotent_AndLeavesNothingDue(PositiveInt count, int seed)
    {
        var tenant = new TenantId("prop-" + Guid.NewGuid().ToString("N")[..8]);
        var clock = new FakeClock(Instant.FromUtc(2030, 1, 1, 0, 0));
        var outbox = new InMemoryCrmOutbox();
        var store = new InMemoryCustomerStore(outbox);
        var customers = CrmGenerators.CustomerOf(tenant).Sample(size: 20, numberOfSamples: (count.Get % 25) + 1);
        new CustomerRepository(store, clock, null, outbox).ImportAsync(tenant, customers).AsTask().GetAwaiter().GetResult();
        // FsCheck's integers stay small; a seeded draw spreads the instant over the generated customers' whole range (1990–2033).
        var asOf = Instant.FromUtc(1990, 1, 1, 0, 0) + Duration.FromDays(new Random(seed).Next(16_000));
        var model = LifecycleTestData.Model;
        var evaluator = new LifecycleEvaluator(new CustomerRepository(store, clock, outbox: outbox), model);

        var first = evaluator.EvaluateAsync(tenant, asOf).AsTask().GetAwaiter().GetResult();
        var second = evaluator.EvaluateAsync(tenant, asOf).AsTask().GetAwaiter().GetResult();

        var stored = store.PageAsync(tenant, null, 1_000, default).AsTask().GetAwaiter().GetResult().Select(s => Customer.Rehydrate(s, clock)).ToList();
        return first.Examined == customers.Length
               && second == new LifecycleEvaluationResult(customers.Length, 0, 0)
               && stored.All(c => c.Lifecycle.History.All(model.Allows))
               && stored.All(c => c.Lifecycle.Replay() == c.Lifecycle.Stage)
               && stored.All(c => c.EvaluateLifecycle(model, asOf).Count == 0);
    }
}
