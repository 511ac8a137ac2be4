using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Services.Channels;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Channels.DispatchHarness;

namespace CrmKernel.Tests.Channels;

/// <summary>The laws of dispatch, over generated ledgers, failures and schedules.</summary>
public sealed class ChannelDispatcherProperties
{
    public sealed record ConsentStep(int Customer, ConsentPurpose Purpose, string? Channel, int? Point, ConsentStatus Status, LawfulBasis Basis, int? ValidHours);

    public sealed record SendStep(int Customer, ConsentPurpose Purpose, int? Point);

    public sealed record Scenario(IReadOnlyList<ConsentStep> Consent, IReadOnlyList<SendStep> Sends);

    public sealed record RetryStep(int Key, DeliveryStatus? Failure, bool RetryAll);

    public sealed record CapScenario(int MaxContacts, int WindowHours, IReadOnlyList<int> GapsInHours);

    public static class Arbitraries
    {
        private static readonly Gen<ConsentPurpose> Purposes = Gen.Elements(ConsentPurpose.Marketing, ConsentPurpose.Service);

        public static Arbitrary<Scenario> Scenario()
        {
            var consent =
                from customer in Gen.Choose(0, 3)
                from purpose in Purposes
                from channel in Gen.Elements<string?>(null, "test-email", "sms")
                from point in Gen.Elements<int?>(null, 0, 1)
                from status in Gen.Elements(ConsentStatus.Granted, ConsentStatus.Granted, ConsentStatus.Declined, ConsentStatus.Withdrawn)
                from basis in Gen.Elements(LawfulBasis.Consent, LawfulBasis.Contract, LawfulBasis.LegitimateInterest)
                from valid in Gen.Elements<int?>(null, null, 0, 1, -1)
                select new ConsentStep(customer, purpose, channel, point, status, basis, valid);
            var send =
                from customer in Gen.Choose(0, 3)
                from purpose in Purposes
                from point in Gen.Elements<int?>(null, 0, 1)
                select new SendStep(customer, purpose, point);
            return (from c in consent.ListOf() from s in send.ListOf() select new Scenario([.. c.Take(12)], [.. s.Take(12)])).ToArbitrary();
        }

        public static Arbitrary<RetryStep[]> RetrySteps()
            => (from key in Gen.Choose(0, 3)
                from failure in Gen.Elements<DeliveryStatus?>(null, null, DeliveryStatus.FailedRetryable, DeliveryStatus.FailedPermanent)
                from retry in Gen.Elements(false, false, true)
                select new RetryStep(key, failure, retry)).ArrayOf().ToArbitrary();

        public static Arbitrary<CapScenario> Caps()
            => (from max in Gen.Choose(1, 3)
                from window in Gen.Choose(1, 96)
                from gaps in Gen.Choose(0, 30).ListOf()
                select new CapScenario(max, window, [.. gaps.Take(25)])).ToArbitrary();
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 150)]
    public void NoMessageIsEverSent_WithoutAnApplicableGrantOrLawfulBasis(Scenario scenario) => Run(async () =>
    {
        await using var h = new DispatchHarness();
        var customers = new List<Customer>();
        for (var i = 0; i < 4; i++)
        {
            var customer = Customer.Register(Tenant, new PersonProfile("P", $"{i}"), h.Clock);
            customer.AddContactPoint(EmailAddress.Parse($"c{i}a@example.com"));
            customer.AddContactPoint(EmailAddress.Parse($"c{i}b@example.com"));
            customers.Add(customer);
        }

        foreach (var step in scenario.Consent)
        {
            var customer = customers[step.Customer];
            var entry = new ConsentEntry(
                step.Purpose,
                step.Channel is null ? null : new ChannelId(step.Channel),
                step.Point is { } p ? customer.ContactPoints[p].Value : null,
                step.Status,
                step.Basis,
                "generated",
                h.Clock.GetCurrentInstant(),
                validFrom: step.ValidHours is null ? null : h.Clock.GetCurrentInstant() - Duration.FromHours(2),
                validUntil: step.ValidHours is { } hours ? h.Clock.GetCurrentInstant() + Duration.FromHours(hours) : null); // -1 and 0 have lapsed by now
            if (entry.Status == ConsentStatus.Withdrawn && customer.Consent.Entries.LastOrDefault(e => e.HasSameScope(entry))?.Status != ConsentStatus.Granted)
            {
                continue;
            }

            customer.RecordConsent(entry);
        }

        foreach (var customer in customers)
        {
            await h.Customers.SaveAsync(customer);
        }

        var results = new List<DispatchResult>();
        for (var i = 0; i < scenario.Sends.Count; i++)
        {
            var send = scenario.Sends[i];
            var customer = customers[send.Customer];
            var recipient = send.Point is { } p ? customer.ContactPoints[p].Value : null;
            results.Add(await h.Dispatcher.DispatchAsync(Tenant, new DispatchRequest(customer.Id, Email, send.Purpose, CrmFunction.Marketing, Content, $"m{i}", recipient)));
        }

        var now = h.Clock.GetCurrentInstant();
        foreach (var message in h.Channel.Calls)
        {
            var customer = customers.Single(c => c.Id == message.CustomerId);
            var permission = customer.MayContact(message.Purpose, message.Channel, message.Recipient, now);
            Assert.True(permission.IsAllowed, $"sent although {permission}");
            Assert.Contains(permission.ApplicableEntries, e => e.Permits && e.IsValidAt(now) && e.Covers(message.Purpose, message.Channel, message.Recipient));
        }

        Assert.Equal(results.Count(r => r.Outcome == DispatchOutcome.Sent), h.Channel.Calls.Count);
        Assert.All(results.Where(r => r.Outcome == DispatchOutcome.Refused), r => Assert.NotNull(r.Refusal));
    });

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 150)]
    public void ARetryWithTheSameKey_SendsAtMostOnce(RetryStep[] steps) => Run(async () =>
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        var successes = new Dictionary<string, int>(StringComparer.Ordinal);
        DeliveryStatus? nextFailure = null;
        h.Channel.Respond = message =>
        {
            switch (nextFailure)
            {
                case DeliveryStatus.FailedRetryable:
                    return DeliveryResult.Retryable("scripted");
                case DeliveryStatus.FailedPermanent:
                    return DeliveryResult.Permanent("scripted");
                default:
                    successes[message.IdempotencyKey] = successes.GetValueOrDefault(message.IdempotencyKey) + 1;
                    return null;
            }
        };

        foreach (var step in steps)
        {
            nextFailure = step.Failure;
            if (step.RetryAll)
            {
                await foreach (var _ in h.Dispatcher.RetryPendingAsync(Tenant))
                {
                }
            }
            else
            {
                await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, $"key-{step.Key}"));
            }

            h.Clock.AdvanceSeconds(1);
        }

        Assert.All(successes, s => Assert.Equal(1, s.Value));
        var delivered = (await h.TouchpointsOfAsync(customer.Id)).Where(t => t.Outcome == TouchpointOutcome.Delivered).Select(t => t.Source.Key).ToList();
        Assert.Equal(successes.Keys.Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal));
        Assert.All(await h.PendingAsync(), p => Assert.DoesNotContain(p.DispatchKey, successes.Keys));
    });

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 150)]
    public void FrequencyCaps_AreNeverExceeded(CapScenario scenario) => Run(async () =>
    {
        var window = Duration.FromHours(scenario.WindowHours);
        var policy = new ContactPolicy(DateTimeZone.Utc, frequencyCaps: [new FrequencyCap(Email, scenario.MaxContacts, window)]);
        await using var h = new DispatchHarness(policy);
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        var sent = 0;
        for (var i = 0; i < scenario.GapsInHours.Count; i++)
        {
            h.Clock.AdvanceHours(scenario.GapsInHours[i]);
            var result = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, $"n{i}"));
            sent += result.Outcome == DispatchOutcome.Sent ? 1 : 0;
            Assert.True(result.Outcome is DispatchOutcome.Sent || result.Refusal == DispatchRefusal.FrequencyCap, result.ToString());
        }

        var times = (await h.TouchpointsOfAsync(customer.Id)).Where(t => t.Outcome == TouchpointOutcome.Delivered).Select(t => t.OccurredAt).ToList();
        Assert.Equal(sent, times.Count);
        foreach (var t in times)
        {
            Assert.True(times.Count(o => o > t - window && o <= t) <= scenario.MaxContacts, $"more than {scenario.MaxContacts} in the window ending {t}");
        }

        // The cap is not over-eager either: the first message is always sent.
        Assert.True(scenario.GapsInHours.Count == 0 || sent >= 1);
    });

    private static void Run(Func<Task> body) => Task.Run(body).GetAwaiter().GetResult();
}
