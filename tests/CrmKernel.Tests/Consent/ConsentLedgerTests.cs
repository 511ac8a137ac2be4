using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Storage;
using CrmKernel.Tests.Customers;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Consent;

public sealed class ConsentLedgerTests
{
    private static readonly ChannelId Email = new("email");
    private static readonly ChannelId Sms = new("sms");
    private readonly FakeClock _clock = CustomerTestData.Clock();
    private readonly Customer _customer;
    private readonly EmailAddress _home = CustomerTestData.Email("home");
    private readonly EmailAddress _work = CustomerTestData.Email("work");

    public ConsentLedgerTests()
    {
        _customer = CustomerTestData.Person(_clock);
        _customer.AddContactPoint(_home);
        _customer.AddContactPoint(_work);
    }

    private Instant Now => _clock.GetCurrentInstant();

    private ConsentEntry Entry(ConsentPurpose purpose, ConsentStatus status, LawfulBasis basis = LawfulBasis.Consent, ChannelId? channel = null, ContactPoint? point = null, Instant? capturedAt = null, Instant? validFrom = null, Instant? validUntil = null)
        => new(purpose, channel, point, status, basis, "test", capturedAt ?? Now, "form v1", validFrom, validUntil);

    [Fact]
    public void NeverAsked_HasNoBasis_AndIsNotAllowed()
    {
        var answer = _customer.MayContact(ConsentPurpose.Marketing, Email, _home, Now);

        Assert.Equal(ContactAnswer.NoBasis, answer.Answer);
        Assert.False(answer.IsAllowed);
        Assert.Null(answer.DecidingEntry);
        Assert.Empty(answer.ApplicableEntries);
    }

    [Fact]
    public void Grant_Allows_WithTheEntryBehindIt()
    {
        var grant = _customer.GrantConsent(ConsentPurpose.Marketing, Email, _home, "web-form:signup", "form v3");

        var answer = _customer.MayContact(ConsentPurpose.Marketing, Email, _home, Now);

        Assert.Equal(ContactAnswer.Allowed, answer.Answer);
        Assert.Same(grant, answer.DecidingEntry);
        Assert.Equal([grant], answer.ApplicableEntries);
        Assert.Equal(ContactAnswer.NoBasis, _customer.MayContact(ConsentPurpose.Marketing, Sms, _home, Now).Answer);
        Assert.Equal(ContactAnswer.NoBasis, _customer.MayContact(ConsentPurpose.Marketing, Email, _work, Now).Answer);
        Assert.Equal(ContactAnswer.NoBasis, _customer.MayContact(ConsentPurpose.Service, Email, _home, Now).Answer);
    }

    [Fact]
    public void Decline_Refuses()
    {
        var decline = _customer.DeclineConsent(ConsentPurpose.Marketing, null, null, "call-centre");

        var answer = _customer.MayContact(ConsentPurpose.Marketing, Email, _home, Now);

        Assert.Equal(ContactAnswer.Refused, answer.Answer);
        Assert.Same(decline, answer.DecidingEntry);
    }

    [Fact]
    public void Withdraw_RefusesFromThen_AndKeepsTheGrantInTheHistory()
    {
        var grant = _customer.GrantConsent(ConsentPurpose.Marketing, Email, null, "web-form");
        var grantedAt = Now;
        var withdrawal = _customer.WithdrawConsent(ConsentPurpose.Marketing, Email, null, "preference-centre");

        Assert.Equal([grant, withdrawal], _customer.Consent.Entries);
        Assert.Equal(ContactAnswer.Refused, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, Now).Answer);
        Assert.Equal(ContactAnswer.Allowed, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, grantedAt).Answer);
        Assert.Equal(ContactAnswer.NoBasis, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, grant.CapturedAt - Duration.FromSeconds(1)).Answer);
    }

    [Fact]
    public void ServiceUnderContract_IsAllowed_WhereMarketingIsDeclined()
    {
        _customer.DeclineConsent(ConsentPurpose.Marketing, null, null, "web-form");
        var contract = Entry(ConsentPurpose.Service, ConsentStatus.Granted, LawfulBasis.Contract);
        _customer.RecordConsent(contract);

        Assert.Equal(ContactAnswer.Refused, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, Now).Answer);
        var service = _customer.MayContact(ConsentPurpose.Service, Email, _home, Now);
        Assert.Equal(ContactAnswer.Allowed, service.Answer);
        Assert.Same(contract, service.DecidingEntry);
    }

    [Fact]
    public void BroadRefusal_BeatsNarrowGrant_AndNarrowRefusal_BeatsBroadGrant()
    {
        var narrowGrant = _customer.GrantConsent(ConsentPurpose.Marketing, Email, _home, "web-form");
        var broadDecline = _customer.DeclineConsent(ConsentPurpose.Marketing, null, null, "call-centre");

        var answer = _customer.MayContact(ConsentPurpose.Marketing, Email, _home, Now);
        Assert.Equal(ContactAnswer.Refused, answer.Answer);
        Assert.Same(broadDecline, answer.DecidingEntry);
        Assert.Equal([narrowGrant, broadDecline], answer.ApplicableEntries);

        var other = CustomerTestData.Person(_clock);
        other.AddContactPoint(_home);
        other.AddContactPoint(_work);
        other.GrantConsent(ConsentPurpose.Marketing, null, null, "web-form");
        var narrowDecline = other.DeclineConsent(ConsentPurpose.Marketing, Email, _work, "unsubscribe-link");

        Assert.Same(narrowDecline, other.MayContact(ConsentPurpose.Marketing, Email, _work, Now).DecidingEntry);
        Assert.Equal(ContactAnswer.Allowed, other.MayContact(ConsentPurpose.Marketing, Email, _home, Now).Answer);
        Assert.Equal(ContactAnswer.Allowed, other.MayContact(ConsentPurpose.Marketing, Sms, _work, Now).Answer);
    }

    [Fact]
    public void LaterEntryOfTheSameScope_Supersedes_AndRegrantingAfterWithdrawalAllowsAgain()
    {
        _customer.GrantConsent(ConsentPurpose.Marketing, null, null, "web-form");
        _customer.WithdrawConsent(ConsentPurpose.Marketing, null, null, "web-form");
        _customer.GrantConsent(ConsentPurpose.Marketing, null, null, "web-form");

        Assert.Equal(ContactAnswer.Allowed, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, Now).Answer);
        Assert.Equal(3, _customer.Consent.Count);
    }

    [Fact]
    public void Validity_LapsesAtItsEnd_AndAFutureWithdrawalLeavesTheGrantUntilThen()
    {
        var until = Now + Duration.FromDays(30);
        _customer.GrantConsent(ConsentPurpose.Marketing, Email, null, "web-form", validUntil: until);
        Assert.Equal(ContactAnswer.Allowed, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, until - Duration.Epsilon).Answer);
        Assert.Equal(ContactAnswer.NoBasis, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, until).Answer);

        var effective = Now + Duration.FromDays(10);
        _customer.RecordConsent(Entry(ConsentPurpose.Marketing, ConsentStatus.Withdrawn, channel: Email, validFrom: effective));
        Assert.Equal(ContactAnswer.Allowed, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, effective - Duration.Epsilon).Answer);
        Assert.Equal(ContactAnswer.Refused, _customer.MayContact(ConsentPurpose.Marketing, Email, _home, effective).Answer);
    }

    [Fact]
    public void RecordConsent_RaisesOneConsentChangedEvent_WhoseJsonRoundTrips()
    {
        var pending = _customer.PendingEvents.Count;
        var entry = Entry(ConsentPurpose.Marketing, ConsentStatus.Granted, LawfulBasis.LegitimateInterest, Email, _home, validUntil: Now + Duration.FromDays(1));
        _customer.RecordConsent(entry);

        var raised = Assert.IsType<ConsentChanged>(_customer.PendingEvents[^1]);
        Assert.Equal(pending + 1, _customer.PendingEvents.Count);
        Assert.Same(entry, raised.Entry);
        var read = Assert.IsType<ConsentChanged>(CustomerEventJson.FromEnvelope(CustomerEventJson.ToEnvelope(raised, 1)));
        Assert.Equal(entry, read.Entry);
        Assert.Equal(raised.EventId, read.EventId);

        var broad = Entry(ConsentPurpose.Service, ConsentStatus.Declined);
        _customer.RecordConsent(broad);
        var readBroad = Assert.IsType<ConsentChanged>(CustomerEventJson.FromEnvelope(CustomerEventJson.ToEnvelope(_customer.PendingEvents[^1], 2)));
        Assert.Equal(broad, readBroad.Entry);
    }

    [Fact]
    public void ContactPointNotHeld_IsRefused_AndChangesNothing()
    {
        var before = _customer.PendingEvents.Count;
        var error = Assert.Throws<ConsentRuleException>(() => _customer.GrantConsent(ConsentPurpose.Marketing, Email, CustomerTestData.Email("stranger"), "web-form"));

        Assert.Equal(CrmErrorCodes.ConsentContactPointNotHeld, error.ErrorCode);
        Assert.Equal(_customer.Id, error.CustomerId);
        Assert.DoesNotContain("stranger", error.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public void WithdrawWithoutGrant_IsRefused_AndChangesNothing()
    {
        _customer.DeclineConsent(ConsentPurpose.Marketing, Email, null, "web-form");
        var before = _customer.PendingEvents.Count;

        Assert.Equal(CrmErrorCodes.ConsentNotGranted, Assert.Throws<ConsentRuleException>(() => _customer.WithdrawConsent(ConsentPurpose.Marketing, Email, null, "web-form")).ErrorCode);
        Assert.Equal(CrmErrorCodes.ConsentNotGranted, Assert.Throws<ConsentRuleException>(() => _customer.WithdrawConsent(ConsentPurpose.Sales, null, null, "web-form")).ErrorCode);
        Assert.Equal(before, _customer.PendingEvents.Count);
        Assert.Equal(1, _customer.Consent.Count);
    }

    [Fact]
    public void EntryCapturedBeforeTheCurrentOne_IsOutOfOrder_AndChangesNothing()
    {
        var earlier = Now;
        _customer.GrantConsent(ConsentPurpose.Marketing, null, null, "web-form");
        var before = _customer.PendingEvents.Count;

        var error = Assert.Throws<ConsentRuleException>(() => _customer.RecordConsent(Entry(ConsentPurpose.Marketing, ConsentStatus.Declined, capturedAt: earlier - Duration.FromSeconds(1))));

        Assert.Equal(CrmErrorCodes.ConsentOutOfOrder, error.ErrorCode);
        Assert.Equal(before, _customer.PendingEvents.Count);
        Assert.Equal(1, _customer.Consent.Count);

        // Another scope (another basis) is not ordered against it.
        _customer.RecordConsent(Entry(ConsentPurpose.Marketing, ConsentStatus.Granted, LawfulBasis.LegitimateInterest, capturedAt: earlier - Duration.FromSeconds(1)));
        Assert.Equal(2, _customer.Consent.Count);
    }

    [Fact]
    public void EntryCapturedInTheFuture_IsAnArgumentError()
    {
        var error = Assert.Throws<ArgumentException>(() => _customer.RecordConsent(Entry(ConsentPurpose.Marketing, ConsentStatus.Granted, capturedAt: Now + Duration.FromHours(1))));
        Assert.Equal("entry", error.ParamName);
        AssertUnchanged(_customer.PendingEvents.Count);
    }

    [Fact]
    public void FullLedger_IsRefused()
    {
        var clock = new FakeClock(CustomerTestData.Start, Duration.FromMilliseconds(1));
        var customer = CustomerTestData.Person(clock);
        for (var i = 0; i < Customer.MaxConsentEntries; i++)
        {
            customer.GrantConsent(ConsentPurpose.Marketing, null, null, "bulk");
        }

        Assert.Equal(CrmErrorCodes.ConsentLedgerFull, Assert.Throws<ConsentRuleException>(() => customer.GrantConsent(ConsentPurpose.Marketing, null, null, "bulk")).ErrorCode);
        Assert.Equal(Customer.MaxConsentEntries, customer.Consent.Count);
    }

    [Fact]
    public void Decide_RejectsBadArguments()
    {
        Assert.Throws<ArgumentException>(() => _customer.MayContact(default, Email, _home, Now));
        Assert.Throws<ArgumentException>(() => _customer.MayContact(ConsentPurpose.Marketing, default, _home, Now));
        Assert.Throws<ArgumentNullException>(() => _customer.MayContact(ConsentPurpose.Marketing, Email, null!, Now));
    }

    [Fact]
    public void ConsentHistory_IsReadOnly()
    {
        _customer.GrantConsent(ConsentPurpose.Marketing, null, null, "web-form");
        Assert.False(_customer.Consent.Entries is List<ConsentEntry>);
        Assert.Throws<NotSupportedException>(() => ((IList<ConsentEntry>)_customer.Consent.Entries).Clear());
    }

    private void AssertUnchanged(int pendingBefore)
    {
        Assert.Equal(pendingBefore, _customer.PendingEvents.Count);
        Assert.Equal(0, _customer.Consent.Count);
    }
}
