using CrmKernel.Consent;
using CrmKernel.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using CustomerAggregate = CrmKernel.Customers.Customer;

namespace CrmKernel.Testing;

public static partial class CrmGenerators
{
    /// <summary>Consent purposes, the well-known ones and a host-defined one.</summary>
    public static Gen<ConsentPurpose> ConsentPurpose => ConsentGenerators.Purpose;

    /// <summary>Lawful bases, all six.</summary>
    public static Gen<LawfulBasis> LawfulBasis => ConsentGenerators.Basis;

    /// <summary>
    /// Adds generated consent entries to <paramref name="customer"/> through
    /// <see cref="CustomerAggregate.RecordConsent(ConsentEntry)"/>: grants, declines and withdrawals of every lawful basis,
    /// for one channel or any, for one of its contact points or any, with evidence and validity sometimes set.
    /// Entries are captured at <paramref name="clock"/>'s instants, which must be the customer's clock.
    /// </summary>
    /// <param name="customer">The customer to add to.</param>
    /// <param name="clock">The customer's clock.</param>
    /// <returns>A generator that, when run, records the entries and yields the customer.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Gen<CustomerAggregate> WithConsent(CustomerAggregate customer, IClock clock)
    {
        Preconditions.NotNull(customer);
        Preconditions.NotNull(clock);
        return ConsentGenerators.Drafts.Select(drafts => ConsentGenerators.Apply(customer, clock, drafts));
    }

    private static class ConsentGenerators
    {
        internal static readonly Gen<ConsentPurpose> Purpose = Gen.Elements(
            Consent.ConsentPurpose.Marketing, Consent.ConsentPurpose.Service, Consent.ConsentPurpose.Sales, Consent.ConsentPurpose.Feedback, new Consent.ConsentPurpose("newsletter:weekly"));

        internal static readonly Gen<LawfulBasis> Basis = Gen.Elements(Enum.GetValues<LawfulBasis>());

        private static readonly Gen<Draft> Draft =
            from purpose in Purpose
            from channel in Gen.Elements<string?>(null, null, "email", "sms", "web")
            from point in Gen.Frequency((2, Gen.Constant<int?>(null)), (3, Gen.Choose(0, 7).Select(static i => (int?)i)))
            from status in Gen.Elements(ConsentStatus.Granted, ConsentStatus.Granted, ConsentStatus.Declined, ConsentStatus.Withdrawn)
            from basis in Gen.Frequency((3, Gen.Constant(Consent.LawfulBasis.Consent)), (2, Basis))
            from source in Gen.Elements("web-form:signup", "call-centre", "import.legacy", "preference-centre")
            from evidence in Gen.Elements<string?>(null, "form v3", "recording 0042", "contract C-17 §4")
            from validDays in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Choose(1, 730).Select(static d => (int?)d)))
            select new Draft(purpose, channel, point, status, basis, source, evidence, validDays);

        internal static readonly Gen<List<Draft>> Drafts = Draft.ListOf().Select(static l => l.Take(6).ToList());

        internal static CustomerAggregate Apply(CustomerAggregate customer, IClock clock, List<Draft> drafts)
        {
            foreach (var d in drafts)
            {
                var point = d.Point is { } i && customer.ContactPoints.Count > 0 ? customer.ContactPoints[i % customer.ContactPoints.Count].Value : null;
                var channel = d.Channel is null ? (Touchpoints.ChannelId?)null : new Touchpoints.ChannelId(d.Channel);
                var captured = clock.GetCurrentInstant();
                var purpose = d.Purpose;
                var basis = d.Basis;
                var status = d.Status;
                if (status == ConsentStatus.Withdrawn)
                {
                    // A withdrawal needs a grant in force for its scope: withdraw the latest grant still in force, or grant instead.
                    var entries = customer.Consent.Entries;
                    var granted = entries.LastOrDefault(e => e.Status == ConsentStatus.Granted && entries.Last(o => o.HasSameScope(e)) == e);
                    if (granted is null)
                    {
                        status = ConsentStatus.Granted;
                    }
                    else
                    {
                        (purpose, channel, point, basis) = (granted.Purpose, granted.Channel, granted.ContactPoint, granted.Basis);
                    }
                }

                customer.RecordConsent(new ConsentEntry(
                    purpose,
                    channel,
                    point,
                    status,
                    basis,
                    d.Source,
                    captured,
                    d.Evidence,
                    validUntil: d.ValidDays is { } days ? captured.Plus(Duration.FromDays(days)) : null));
            }

            return customer;
        }
    }

    private sealed record Draft(ConsentPurpose Purpose, string? Channel, int? Point, ConsentStatus Status, LawfulBasis Basis, string Source, string? Evidence, int? ValidDays);
}
