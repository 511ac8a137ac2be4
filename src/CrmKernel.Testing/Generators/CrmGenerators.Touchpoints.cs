using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using CustomerIdValue = CrmKernel.Primitives.CustomerId;
using MoneyValue = CrmKernel.Primitives.Money;

namespace CrmKernel.Testing;

public static partial class CrmGenerators
{
    /// <summary>Channel ids such as <c>email</c>, <c>web</c>, <c>store:london</c>.</summary>
    public static Gen<ChannelId> ChannelId => TouchpointGenerators.Channel;

    /// <summary>Touchpoint kinds, the well-known ones and a host-defined one.</summary>
    public static Gen<TouchpointKind> TouchpointKind => TouchpointGenerators.Kind;

    /// <summary>Survey answers on every scale, across each scale's whole range.</summary>
    public static Gen<SatisfactionScore> SatisfactionScore => TouchpointGenerators.Satisfaction;

    /// <summary>
    /// Contacts to record for one of <paramref name="customers"/>, with every field exercised: participants,
    /// outcomes, every satisfaction scale, sentiment, cost and revenue in one currency, products, campaigns,
    /// occurred-at instants with nanoseconds, and a unique source key.
    /// </summary>
    /// <param name="customers">The customers the contacts are with (at least one).</param>
    public static Gen<NewTouchpoint> NewTouchpointFor(IReadOnlyList<CustomerIdValue> customers) => TouchpointGenerators.For(customers);

    private static class TouchpointGenerators
    {
        private static readonly Instant Earliest = Instant.FromUtc(2020, 1, 1, 0, 0);

        internal static readonly Gen<ChannelId> Channel = Gen.Elements("email", "web", "phone", "store:london", "partner/acme", "sms", "social:x").Select(static c => new ChannelId(c));

        internal static readonly Gen<TouchpointKind> Kind = Gen.Elements(
            Touchpoints.TouchpointKind.Purchase, Touchpoints.TouchpointKind.Enquiry, Touchpoints.TouchpointKind.Complaint, Touchpoints.TouchpointKind.Resolution,
            Touchpoints.TouchpointKind.CampaignContact, Touchpoints.TouchpointKind.Response, Touchpoints.TouchpointKind.Idea, Touchpoints.TouchpointKind.Feedback,
            new Touchpoints.TouchpointKind("warranty-claim"));

        internal static readonly Gen<SatisfactionScore> Satisfaction = Gen.OneOf(
            Gen.Choose(1, 5).Select(static v => (SatisfactionScore)new CsatScore(v)),
            Gen.Choose(0, 10).Select(static v => (SatisfactionScore)new NpsScore(v)),
            Gen.Choose(1, 5).Select(static v => (SatisfactionScore)new CesScore(v)),
            Gen.Choose(1, 7).Select(static v => (SatisfactionScore)new Ces2Score(v)));

        private static readonly Gen<Instant> Occurred =
            Gen.Choose(0, 200_000_000).SelectMany(static s => Gen.Choose(0, 999_999_999).Select(n => Earliest.Plus(Duration.FromSeconds(s)).PlusNanoseconds(n)));

        private static Gen<T?> Maybe<T>(Gen<T> gen)
            where T : class
            => Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(static v => (T?)v)));

        internal static Gen<NewTouchpoint> For(IReadOnlyList<CustomerIdValue> customers)
        {
            Preconditions.NotNull(customers);
            Preconditions.Check(customers.Count > 0, "At least one customer is needed.", nameof(customers));

            return from customer in Gen.Elements(customers.ToArray())
                   from channel in Channel
                   from direction in Gen.Elements(InteractionDirection.Inbound, InteractionDirection.Outbound)
                   from function in Gen.Elements(CrmFunction.Marketing, CrmFunction.Sales, CrmFunction.Service, CrmFunction.Innovation)
                   from kind in Kind
                   from occurred in Occurred
                   from outcome in Gen.Elements<TouchpointOutcome?>(null, TouchpointOutcome.Completed, TouchpointOutcome.Resolved, TouchpointOutcome.NoResponse, new TouchpointOutcome("left-voicemail"))
                   from satisfaction in Maybe(Satisfaction)
                   from sentiment in Gen.Elements<Sentiment?>(null, new Sentiment(-1m), new Sentiment(0.25m), new Sentiment(1m))
                   from currency in Gen.Elements("EUR", "GBP", "JPY")
                   from cost in Gen.Frequency((1, Gen.Constant<decimal?>(null)), (2, Gen.Choose(0, 50_000).Select(static c => (decimal?)(c / 100m))))
                   from revenue in Gen.Frequency((1, Gen.Constant<decimal?>(null)), (2, Gen.Choose(-10_000, 500_000).Select(static c => (decimal?)(c / 100m))))
                   from products in Gen.Elements("sku-1", "sku-2", "gift card", "ПРОДУКТ-7").ListOf().Select(static l => l.Take(3).ToArray())
                   from campaign in Gen.Elements<string?>(null, "spring-2026", "win-back/q3")
                   from staff in Gen.Elements(0, 0, 1, 2)
                   select new NewTouchpoint
                   {
                       CustomerId = customer,
                       Channel = channel,
                       Direction = direction,
                       Function = function,
                       Kind = kind,
                       OccurredAt = occurred,
                       Source = new ExternalIdentifier("gen", Guid.NewGuid().ToString("N")),
                       Participants = [.. Enumerable.Range(0, staff).Select(i => TouchpointParticipant.Staff($"agent-{i}", i == 0 ? "agent" : "supervisor"))],
                       Outcome = outcome,
                       Satisfaction = satisfaction,
                       Sentiment = sentiment,
                       Cost = cost is null ? null : MoneyValue.Of(cost.Value, currency),
                       Revenue = revenue is null ? null : MoneyValue.Of(revenue.Value, currency),
                       ProductIds = products,
                       CampaignId = campaign,
                   };
        }
    }
}
