using System.Globalization;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Storage;

/// <summary>The touchpoints the storage adapters' benchmarks (SQLite, PostgreSQL) write and read: every field in use.</summary>
internal static class AdapterTouchpoints
{
    /// <summary>Realistic touchpoints: several channels and kinds, some with participants, products, scores and amounts.</summary>
    public static Touchpoint[] Generate(TenantId tenant, int count, int customers, int seed)
    {
#pragma warning disable CA5394 // Benchmark data, not security: a seeded generator keeps runs comparable.
        var random = new Random(seed);
        var customerIds = Enumerable.Range(0, customers).Select(_ => CustomerId.New()).ToArray();
        var channels = new[] { "email", "web", "phone", "store:london", "sms", "partner/acme" }.Select(c => new ChannelId(c)).ToArray();
        var kinds = new[] { TouchpointKind.Purchase, TouchpointKind.Enquiry, TouchpointKind.Complaint, TouchpointKind.CampaignContact, TouchpointKind.Response, new TouchpointKind("warranty-claim") };
        var start = Instant.FromUtc(2025, 1, 1, 0, 0);
        var recorded = Instant.FromUtc(2026, 3, 1, 9, 0);
        var touchpoints = new Touchpoint[count];
        for (var i = 0; i < count; i++)
        {
            var details = new NewTouchpoint
            {
                CustomerId = customerIds[random.Next(customers)],
                Channel = channels[random.Next(channels.Length)],
                Direction = random.Next(2) == 0 ? InteractionDirection.Inbound : InteractionDirection.Outbound,
                Function = (CrmFunction)random.Next(1, 5),
                Kind = kinds[random.Next(kinds.Length)],
                OccurredAt = start + Duration.FromSeconds(random.Next(365 * 86_400)) + Duration.FromNanoseconds(random.Next(1_000_000_000)),
                Source = new ExternalIdentifier("bench", "key-" + i.ToString(CultureInfo.InvariantCulture)),
                Participants = random.Next(4) == 0 ? [TouchpointParticipant.Staff("agent-" + random.Next(50).ToString(CultureInfo.InvariantCulture), "agent")] : [],
                Outcome = random.Next(2) == 0 ? TouchpointOutcome.Completed : null,
                Satisfaction = random.Next(4) == 0 ? new NpsScore(random.Next(11)) : null,
                Sentiment = random.Next(4) == 0 ? new Sentiment(random.Next(-100, 101) / 100m) : null,
                Cost = random.Next(3) != 0 ? Money.Of(random.Next(0, 10_000) / 100m, "EUR") : null,
                Revenue = random.Next(3) == 0 ? Money.Of(random.Next(-5_000, 100_000) / 100m, "EUR") : null,
                ProductIds = [.. Enumerable.Range(0, random.Next(3)).Select(_ => "sku-" + random.Next(1_000).ToString(CultureInfo.InvariantCulture))],
                CampaignId = random.Next(5) == 0 ? "spring-2026" : null,
            };
            touchpoints[i] = Touchpoint.Create(tenant, TouchpointId.New(), recorded + Duration.FromNanoseconds(i * 1_000L), details);
        }

        return touchpoints;
#pragma warning restore CA5394
    }

}
