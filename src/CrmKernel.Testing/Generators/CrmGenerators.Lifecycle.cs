using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Kinds = CrmKernel.Touchpoints.TouchpointKind;
using CustomerAggregate = CrmKernel.Customers.Customer;

namespace CrmKernel.Testing;

public static partial class CrmGenerators
{
    /// <summary>
    /// Lifecycle walks: short sequences of touchpoint kinds (with satisfaction scores), gaps in minutes (some long enough
    /// to lapse), to apply to a customer with <see cref="WithLifecycle"/>. Generated customers
    /// (<see cref="Customer"/>, <see cref="CustomerOf"/>) already carry one, so storage kits round-trip lifecycle history.
    /// </summary>
    public static Gen<IReadOnlyList<(TouchpointKind Kind, SatisfactionScore? Score, long GapMinutes)>> LifecycleWalk => LifecycleGenerators.Walk;

    /// <summary>
    /// Applies a lifecycle walk to <paramref name="customer"/> under the default model, starting at its creation. Long gaps
    /// lapse the customer on its next touchpoint; no final evaluation is run, so a lapse may still be due afterwards.
    /// </summary>
    /// <param name="customer">A customer with no lifecycle history.</param>
    /// <param name="walk">The steps.</param>
    /// <returns>The same customer, moved through its lifecycle.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CustomerAggregate WithLifecycle(CustomerAggregate customer, IReadOnlyList<(TouchpointKind Kind, SatisfactionScore? Score, long GapMinutes)> walk)
    {
        Preconditions.NotNull(customer);
        Preconditions.NotNull(walk);
        var at = customer.CreatedAt;
        var step = 0;
        foreach (var (kind, score, gap) in walk)
        {
            at += Duration.FromMinutes(gap);
            var details = new NewTouchpoint
            {
                CustomerId = customer.Id,
                Channel = new ChannelId("web"),
                Direction = InteractionDirection.Inbound,
                Function = CrmFunction.Sales,
                Kind = kind,
                OccurredAt = at,
                Source = new Primitives.ExternalIdentifier("generated", $"{customer.Id}-{step++}"),
                Satisfaction = score,
            };
            customer.ApplyTouchpoint(LifecycleGenerators.Model, Touchpoint.Create(customer.TenantId, Primitives.TouchpointId.New(), at, details));
        }

        return customer;
    }

    private static class LifecycleGenerators
    {
        internal static readonly LifecycleModel Model = DefaultLifecycleModel.Create();

        private static readonly Gen<SatisfactionScore?> Score = Gen.Frequency(
            (3, Gen.Constant<SatisfactionScore?>(null)),
            (1, Gen.Choose(1, 5).Select(static v => (SatisfactionScore?)new CsatScore(v))),
            (1, Gen.Choose(0, 10).Select(static v => (SatisfactionScore?)new NpsScore(v))));

        private static readonly Gen<TouchpointKind> Kind = Gen.Frequency(
            (6, Gen.Constant(Kinds.Purchase)),
            (2, Gen.Constant(Kinds.Complaint)),
            (2, Gen.Constant(Kinds.Resolution)),
            (3, Gen.Constant(Kinds.Feedback)),
            (1, Gen.Constant(Kinds.Referral)),
            (1, Gen.Constant(Kinds.Cancellation)));

        private static readonly Gen<long> Gap = Gen.Frequency(
            (5, Gen.Choose(1, 10 * 24 * 60).Select(static m => (long)m)),
            (1, Gen.Choose(150, 250).Select(static d => d * 24L * 60)));

        internal static readonly Gen<IReadOnlyList<(TouchpointKind Kind, SatisfactionScore? Score, long GapMinutes)>> Walk =
            (from kind in Kind from score in Score from gap in Gap select (kind, score, gap))
            .ListOf()
            .Select(static l => (IReadOnlyList<(TouchpointKind, SatisfactionScore?, long)>)[.. l.Take(12)]);
    }
}
