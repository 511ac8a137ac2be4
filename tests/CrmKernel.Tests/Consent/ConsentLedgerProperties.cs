using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Testing;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Consent;

/// <summary>The ledger's answer equals a plain model of the rules, for generated ledgers and questions.</summary>
public sealed class ConsentLedgerProperties
{
    public sealed record Question(Customer Customer, ConsentPurpose Purpose, ChannelId Channel, int Point, long SecondsFromCreation);

    public static class Arbitraries
    {
        public static Arbitrary<Question> Questions()
            => (from customer in CrmGenerators.Customer.Where(c => c.ContactPoints.Count > 0 && c.Consent.Count > 0)
                from purpose in CrmGenerators.ConsentPurpose
                from channel in Gen.Elements("email", "sms", "web", "phone").Select(c => new ChannelId(c))
                from point in Gen.Choose(0, 7)
                from seconds in Gen.Elements(-1L, 0L, 1L, 3_600L, 86_400L * 400, 86_400L * 800)
                select new Question(customer, purpose, channel, point, seconds)).ToArbitrary();
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public void Decide_EqualsThePlainModel(Question q)
    {
        var point = q.Customer.ContactPoints[q.Point % q.Customer.ContactPoints.Count].Value;
        var lastCapture = q.Customer.Consent.Entries.Max(e => e.CapturedAt);
        var at = lastCapture + Duration.FromSeconds(q.SecondsFromCreation);

        var answer = q.Customer.MayContact(q.Purpose, q.Channel, point, at);

        var inForce = q.Customer.Consent.Entries
            .Where(e => e.CapturedAt <= at && e.ValidFrom <= at && e.Purpose == q.Purpose && (e.Channel is null || e.Channel == q.Channel) && (e.ContactPoint is null || e.ContactPoint == point))
            .GroupBy(e => (e.Channel, e.ContactPoint, e.Basis))
            .Select(g => g.Last())
            .Where(e => e.ValidUntil is null || at < e.ValidUntil)
            .ToList();
        var expected = inForce.Any(e => e.Status != ConsentStatus.Granted) ? ContactAnswer.Refused
            : inForce.Count > 0 ? ContactAnswer.Allowed
            : ContactAnswer.NoBasis;

        Assert.Equal(expected, answer.Answer);
        Assert.Equal(inForce.OrderBy(e => q.Customer.Consent.Entries.ToList().IndexOf(e)), answer.ApplicableEntries);
        Assert.True(answer.DecidingEntry is null == (expected == ContactAnswer.NoBasis));
        Assert.True(answer.DecidingEntry is null || answer.ApplicableEntries.Contains(answer.DecidingEntry));
    }
}
