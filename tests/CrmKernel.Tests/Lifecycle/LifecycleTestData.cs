using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Lifecycle;

internal static class LifecycleTestData
{
    public static readonly TenantId Tenant = new("lifecycle");
    public static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);
    public static readonly LifecycleModel Model = DefaultLifecycleModel.Create();

    public static Customer NewCustomer(IClock? clock = null)
        => Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), clock ?? new FakeClock(Start));

    public static NewTouchpoint Details(CustomerId customer, TouchpointKind kind, Instant at, SatisfactionScore? score = null, string? key = null) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = kind,
        OccurredAt = at,
        Source = new ExternalIdentifier("test", key ?? Guid.NewGuid().ToString("N")),
        Satisfaction = score,
    };

    public static Touchpoint Touch(Customer customer, TouchpointKind kind, Instant at, SatisfactionScore? score = null)
        => Touchpoint.Create(customer.TenantId, TouchpointId.New(), at, Details(customer.Id, kind, at, score));

    /// <summary>Applies touchpoints in order and returns the customer.</summary>
    public static Customer Walk(Customer customer, params (TouchpointKind Kind, Instant At, SatisfactionScore? Score)[] steps)
    {
        foreach (var (kind, at, score) in steps)
        {
            customer.ApplyTouchpoint(Model, Touch(customer, kind, at, score));
        }

        return customer;
    }

    public static Instant Day(int day) => Start.Plus(Duration.FromDays(day));
}
