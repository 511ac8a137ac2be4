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

    /// <summary>
    /// Every send is decided as an independent model says: a plain list of what the test recorded and the rules of
    /// docs/consent.md written out here (captured by the send; covering purpose, channel or any, point or any; per scope
    /// the last entry whose validity has started; valid-from inclusive, valid-until exclusive, no end is open; any refusal
    /// beats any grant; no grant is no basis), never the ledger's own predicates.
    /// </summary>
    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 150)]
    public void NoMessageIsEverSent_WithoutAnApplicableGrantOrLawfulBasis(Scenario scenario) => Run(async () =>
    {
        await using var h = new DispatchHarness();
        var customers = new List<Customer>();
        var ledgers = new List<List<ModelEntry>>();
        for (var i = 0; i < 4; i++)
        {
            var customer = Customer.Register(Tenant, new PersonProfile("P", $"{i}"), h.Clock);
            customer.AddContactPoint(EmailAddress.Parse($"c{i}a@example.com"));
            customer.AddContactPoint(EmailAddress.Parse($"c{i}b@example.com"));
            customers.Add(customer);
            ledgers.Add([]);
        }

        var now = h.Clock.GetCurrentInstant();
        foreach (var step in scenario.Consent)
        {
            var customer = customers[step.Customer];
            var validFrom = step.ValidHours is null ? now : now - Duration.FromHours(2);
            Instant? validUntil = step.ValidHours is { } hours ? now + Duration.FromHours(hours) : null; // 0 ends exactly at the send; -1 has lapsed
            var entry = new ConsentEntry(
                step.Purpose,
                step.Channel is null ? null : new ChannelId(step.Channel),
                step.Point is { } p ? customer.ContactPoints[p].Value : null,
                step.Status,
                step.Basis,
                "generated",
                now,
                validFrom: validFrom,
                validUntil: validUntil);
            if (entry.Status == ConsentStatus.Withdrawn && customer.Consent.Entries.LastOrDefault(e => e.HasSameScope(entry))?.Status != ConsentStatus.Granted)
            {
                continue;
            }

            customer.RecordConsent(entry);
            ledgers[step.Customer].Add(new ModelEntry(step.Purpose, step.Channel, step.Point, step.Status, step.Basis, now, validFrom, validUntil));
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
            var result = await h.Dispatcher.DispatchAsync(Tenant, new DispatchRequest(customer.Id, Email, send.Purpose, CrmFunction.Marketing, Content, $"m{i}", recipient));
            results.Add(result);
            if (send.Point is { } point)
            {
                var expected = ModelAllows(ledgers[send.Customer], send.Purpose, Email.Value, point, now);
                Assert.True(expected == (result.Outcome == DispatchOutcome.Sent), $"send {i}: the model says {(expected ? "allowed" : "refused")}, the dispatcher {result}");
            }

            if (result.Outcome == DispatchOutcome.Refused)
            {
                Assert.True(result.Refusal is DispatchRefusal.ConsentRefused or DispatchRefusal.NoLawfulBasis, result.ToString());
            }
        }

        var sent = results.Select((r, i) => (r, i)).Where(x => x.r.Outcome == DispatchOutcome.Sent).ToList();
        Assert.Equal(sent.Count, h.Channel.Calls.Count);
        foreach (var (message, (_, i)) in h.Channel.Calls.Zip(sent))
        {
            var send = scenario.Sends[i];
            var customer = customers[send.Customer];
            Assert.Equal(customer.Id, message.CustomerId);
            var point = customer.ContactPoints.Select(c => c.Value).ToList().IndexOf(message.Recipient);
            Assert.True(ModelAllows(ledgers[send.Customer], message.Purpose, message.Channel.Value, point, now), $"send {i} went out although the model refuses it");
        }
    });

    /// <summary>A grant valid from 13:00 to 15:00 allows a send at exactly 13:00 and one tick before 15:00, not one tick before 13:00 nor at exactly 15:00.</summary>
    [Fact]
    public async Task ConsentAtSendTime_ValidFromIsInclusive_ValidUntilIsExclusive()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync();
        var start = Noon + Duration.FromHours(1);
        var end = Noon + Duration.FromHours(3);
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Marketing, Email, null, ConsentStatus.Granted, LawfulBasis.Consent, "web", Noon, validFrom: start, validUntil: end));
        await h.Customers.SaveAsync(customer);

        var outcomes = new List<(Instant At, DispatchResult Result)>();
        foreach (var at in new[] { start - Duration.Epsilon, start, end - Duration.Epsilon, end })
        {
            h.Clock.Reset(at);
            outcomes.Add((at, await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, $"at-{at.ToUnixTimeTicks()}"))));
        }

        Assert.Equal(
            [DispatchOutcome.Refused, DispatchOutcome.Sent, DispatchOutcome.Sent, DispatchOutcome.Refused],
            outcomes.Select(o => o.Result.Outcome));
        Assert.Equal(DispatchRefusal.NoLawfulBasis, outcomes[0].Result.Refusal);
        Assert.Equal(DispatchRefusal.NoLawfulBasis, outcomes[3].Result.Refusal);
    }

    /// <summary>A grant with no end is open: it still allows a send a century later.</summary>
    [Fact]
    public async Task ConsentAtSendTime_WithoutAnEnd_IsOpen()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);

        h.Clock.Reset(Noon + Duration.FromDays(36_500));
        var result = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        Assert.Equal(DispatchOutcome.Sent, result.Outcome);
    }

    /// <summary>
    /// Changes at the very instant of a send count: a withdrawal captured at exactly the send's instant refuses it (a
    /// tick earlier the grant still allowed it), and a new grant captured at that same instant after the withdrawal
    /// allows the next send at it (per scope the last recorded entry is in force).
    /// </summary>
    [Fact]
    public async Task ConsentAtSendTime_ChangesAtTheSameInstant_Count()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        var change = Noon + Duration.FromHours(1);

        h.Clock.Reset(change - Duration.Epsilon);
        var before = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "before"));
        h.Clock.Reset(change);
        customer = await h.Customers.GetAsync(Tenant, customer.Id);
        var email = customer.ContactPoints[0].Value;
        customer.WithdrawConsent(ConsentPurpose.Marketing, Email, email, "unsubscribe");
        await h.Customers.SaveAsync(customer);
        var withdrawn = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "withdrawn"));
        customer = await h.Customers.GetAsync(Tenant, customer.Id);
        customer.GrantConsent(ConsentPurpose.Marketing, Email, email, "web-form");
        await h.Customers.SaveAsync(customer);
        var regranted = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "regranted"));

        Assert.Equal(DispatchOutcome.Sent, before.Outcome);
        Assert.Equal((DispatchOutcome.Refused, DispatchRefusal.ConsentRefused), (withdrawn.Outcome, withdrawn.Refusal));
        Assert.Equal(DispatchOutcome.Sent, regranted.Outcome);
        Assert.Equal(["before", "regranted"], h.Channel.Calls.Select(c => c.IdempotencyKey));
    }

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

    // The model: the rules of docs/consent.md, over a plain list of what the test recorded, in recording order.
    private static bool ModelAllows(IReadOnlyList<ModelEntry> ledger, ConsentPurpose purpose, string channel, int point, Instant at)
    {
        var inForce = new Dictionary<(ConsentPurpose, string?, int?, LawfulBasis), ModelEntry>();
        foreach (var e in ledger)
        {
            var covers = e.Purpose == purpose && (e.Channel is null || e.Channel == channel) && (e.Point is null || e.Point == point);
            if (covers && e.CapturedAt <= at && e.ValidFrom <= at)
            {
                inForce[(e.Purpose, e.Channel, e.Point, e.Basis)] = e; // a later entry of the scope supersedes an earlier one
            }
        }

        var applicable = inForce.Values.Where(e => e.ValidUntil is not { } until || at < until).ToList();
        return !applicable.Any(e => e.Status is ConsentStatus.Declined or ConsentStatus.Withdrawn)
               && applicable.Any(e => e.Status == ConsentStatus.Granted);
    }

    private sealed record ModelEntry(ConsentPurpose Purpose, string? Channel, int? Point, ConsentStatus Status, LawfulBasis Basis, Instant CapturedAt, Instant ValidFrom, Instant? ValidUntil);

    private static void Run(Func<Task> body) => Task.Run(body).GetAwaiter().GetResult();
}
