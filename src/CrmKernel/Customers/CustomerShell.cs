using CrmKernel.Consent;
using CrmKernel.Diagnostics;

namespace CrmKernel.Customers;

/// <summary>
/// The pseudonymous shell of a customer's state: what an erasure keeps of a snapshot (id, tenant, kind, lifecycle,
/// times, version and consent entries without evidence) and what it drops (profile values, contact points, external
/// identifiers, tags, custom attributes, home time zone, consent entries scoped to a contact point). The erasure makes
/// the stored customer's shell with it, and the shells of merge records naming the customer.
/// </summary>
internal static class CustomerShell
{
    /// <summary>The name every erased customer's profile shows.</summary>
    public const string Name = "Erased customer";

    /// <summary>
    /// The shell of <paramref name="snapshot"/>, with its version and times unchanged; <paramref name="withEvidence"/>
    /// counts the consent entries whose evidence was dropped and <paramref name="scoped"/> those dropped with their
    /// contact point. The shell of a shell is the shell itself (same values).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    public static CustomerSnapshot Of(CustomerSnapshot snapshot, out int withEvidence, out int scoped)
    {
        Preconditions.NotNull(snapshot);
        var kept = new List<ConsentEntry>(snapshot.Consents.Count);
        withEvidence = 0;
        scoped = 0;
        foreach (var entry in snapshot.Consents)
        {
            if (entry.ContactPoint is not null)
            {
                scoped++;
                continue;
            }

            withEvidence += entry.Evidence is null ? 0 : 1;
            kept.Add(entry.Evidence is null ? entry : new ConsentEntry(entry.Purpose, entry.Channel, null, entry.Status, entry.Basis, entry.Source, entry.CapturedAt, null, entry.ValidFrom, entry.ValidUntil));
        }

        return new CustomerSnapshot
        {
            Id = snapshot.Id,
            TenantId = snapshot.TenantId,
            Profile = Profile(snapshot.Profile.Kind),
            CreatedAt = snapshot.CreatedAt,
            UpdatedAt = snapshot.UpdatedAt,
            Version = snapshot.Version,
            LifecycleStage = snapshot.LifecycleStage,
            LifecycleHistory = snapshot.LifecycleHistory,
            LifecycleFacts = snapshot.LifecycleFacts,
            Consents = kept,
        };
    }

    /// <summary>The shell of <paramref name="snapshot"/> (see <see cref="Of(CustomerSnapshot, out int, out int)"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    public static CustomerSnapshot Of(CustomerSnapshot snapshot) => Of(snapshot, out _, out _);

    private static PartyProfile Profile(PartyKind kind)
        => kind == PartyKind.Organization ? new OrganizationProfile(Name) : new PersonProfile(null, null, Name);
}
