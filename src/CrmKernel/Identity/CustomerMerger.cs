using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Identity;

/// <summary>
/// The pure rules of a merge and its undoing, on snapshots: what the survivor looks like after a merge
/// (<see cref="Merge"/>), how two consent ledgers combine (<see cref="MergeConsents"/>), and what the survivor looks like
/// after an unmerge (<see cref="RestoreSurvivor"/>). <c>CustomerMergeService</c> uses them; call them directly to preview
/// a merge.
/// </summary>
/// <remarks>
/// <para>Fields follow the <see cref="SurvivorshipPolicy"/>; contact points, external identifiers and tags are the union
/// (survivor's first, a merged contact point keeps its primary flag only when the survivor has no primary of its kind);
/// lifecycle stage, history and facts and the registration time are the survivor's.</para>
/// <para>Consent: the merged ledger holds both histories (interleaved by capture time) and, for every purpose × channel ×
/// contact point whose merged answer at the merge instant would be more permissive than either customer's answer, a
/// <see cref="ConsentStatus.Declined"/> entry with source <c>merge</c>. So the merged answer is never more permissive
/// than either input (refused &lt; no basis &lt; allowed); where the two records disagree, ask the customer again.</para>
/// </remarks>
public static class CustomerMerger
{
    /// <summary>The consent source of the refusals a merge records.</summary>
    public const string ConsentSource = "merge";

    private static readonly ChannelId ProbeChannel = new("zz-merge-probe-other-channel");
    private static readonly ContactPoint ProbeContactPoint = EmailAddress.Parse("other-contact-point@merge-probe.invalid");

    /// <summary>The survivor's state after <paramref name="merged"/> is merged into <paramref name="survivor"/> at <paramref name="at"/>: the survivor's id, its next version.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The two customers belong to different tenants.</exception>
    /// <exception cref="CustomerMergeException">The two are the same customer (<c>CRM-MERGE-001</c>) or not the same kind of party (<c>CRM-MERGE-002</c>).</exception>
    public static CustomerSnapshot Merge(CustomerSnapshot survivor, CustomerSnapshot merged, SurvivorshipPolicy policy, CustomerMergeId mergeId, Instant at)
    {
        Preconditions.NotNull(survivor);
        Preconditions.NotNull(merged);
        Preconditions.NotNull(policy);
        Preconditions.Check(survivor.TenantId == merged.TenantId, "Both customers must belong to one tenant.", nameof(merged));
        if (survivor.Id == merged.Id)
        {
            throw CustomerMergeException.WithItself(survivor.TenantId, survivor.Id);
        }

        if (survivor.Profile.Kind != merged.Profile.Kind)
        {
            throw CustomerMergeException.KindMismatch(survivor.TenantId, survivor.Id, merged.Id);
        }

        var chooser = new Chooser(policy, survivor, merged);
        var contactPoints = new List<CustomerContactPoint>(survivor.ContactPoints);
        foreach (var point in merged.ContactPoints)
        {
            if (!contactPoints.Exists(p => p.Value.Equals(point.Value)))
            {
                var primary = point.IsPrimary && !contactPoints.Exists(p => p.IsPrimary && p.Kind == point.Kind);
                contactPoints.Add(primary == point.IsPrimary ? point : new CustomerContactPoint(point.Value, primary, point.Label));
            }
        }

        var identifiers = new List<ExternalIdentifier>(survivor.ExternalIdentifiers);
        foreach (var identifier in merged.ExternalIdentifiers)
        {
            if (!identifiers.Contains(identifier))
            {
                identifiers.Add(identifier);
            }
        }

        var tags = new HashSet<CustomerTag>(survivor.Tags);
        tags.UnionWith(merged.Tags);

        var attributes = new Dictionary<string, CustomAttributeValue>(StringComparer.Ordinal);
        foreach (var name in survivor.CustomAttributes.Keys.Union(merged.CustomAttributes.Keys, StringComparer.Ordinal))
        {
            var s = survivor.CustomAttributes.GetValueOrDefault(name);
            var m = merged.CustomAttributes.GetValueOrDefault(name);
            var value = chooser.Pick(SurvivorshipField.CustomAttributes, s is null, m is null) == MergeSide.Survivor ? s : m;
            if (value is not null)
            {
                attributes[name] = value;
            }
        }

        var zone = chooser.Pick(SurvivorshipField.HomeTimeZone, survivor.HomeTimeZoneId is null, merged.HomeTimeZoneId is null) == MergeSide.Survivor
            ? survivor.HomeTimeZoneId
            : merged.HomeTimeZoneId;

        return new CustomerSnapshot
        {
            Id = survivor.Id,
            TenantId = survivor.TenantId,
            Profile = MergeProfile(chooser, survivor.Profile, merged.Profile),
            ContactPoints = contactPoints,
            ExternalIdentifiers = identifiers,
            Tags = tags,
            CustomAttributes = attributes,
            HomeTimeZoneId = zone,
            CreatedAt = survivor.CreatedAt,
            UpdatedAt = at,
            Version = survivor.Version + 1,
            LifecycleStage = survivor.LifecycleStage,
            LifecycleHistory = survivor.LifecycleHistory,
            LifecycleFacts = survivor.LifecycleFacts,
            Consents = MergeConsents(survivor.Consents, merged.Consents, [.. contactPoints.Select(p => p.Value)], mergeId, at),
        };
    }

    /// <summary>
    /// Combines two consent histories so that, at <paramref name="at"/>, the answer for every purpose × channel × contact
    /// point is never more permissive than either history's answer: both histories interleaved by capture time, then a
    /// <see cref="ConsentStatus.Declined"/> entry (source <see cref="ConsentSource"/>) for each combination where it would be.
    /// </summary>
    /// <param name="survivor">The survivor's entries.</param>
    /// <param name="merged">The merged customer's entries.</param>
    /// <param name="contactPoints">The merged customer's contact points (checked besides those the entries name).</param>
    /// <param name="mergeId">The merge, named in the evidence of the refusals.</param>
    /// <param name="at">The merge instant.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    public static IReadOnlyList<ConsentEntry> MergeConsents(IReadOnlyList<ConsentEntry> survivor, IReadOnlyList<ConsentEntry> merged, IReadOnlyList<ContactPoint> contactPoints, CustomerMergeId mergeId, Instant at)
    {
        Preconditions.NotNull(survivor);
        Preconditions.NotNull(merged);
        Preconditions.NotNull(contactPoints);
        // Both histories interleaved by capture time (a ledger is in capture order; the survivor's first on a tie).
        var combined = new List<ConsentEntry>(survivor.Count + merged.Count);
        int i = 0, j = 0;
        while (i < survivor.Count || j < merged.Count)
        {
            combined.Add(j == merged.Count || (i < survivor.Count && survivor[i].CapturedAt <= merged[j].CapturedAt) ? survivor[i++] : merged[j++]);
        }

        if (combined.Count == 0)
        {
            return combined;
        }

        var purposes = new HashSet<ConsentPurpose>();
        var channels = new List<ChannelId?> { null };
        var points = new List<ContactPoint?> { null };
        foreach (var entry in combined)
        {
            purposes.Add(entry.Purpose);
            if (entry.Channel is { } channel && !channels.Contains(channel))
            {
                channels.Add(channel);
            }

            if (entry.ContactPoint is { } point && !points.Contains(point))
            {
                points.Add(point);
            }
        }

        foreach (var point in contactPoints)
        {
            if (!points.Contains(point))
            {
                points.Add(point);
            }
        }

        var first = new ConsentLedger([.. survivor]);
        var second = new ConsentLedger([.. merged]);
        var both = new ConsentLedger([.. combined]);
        var refusals = new List<ConsentEntry>();
        foreach (var purpose in purposes.OrderBy(p => p.Value, StringComparer.Ordinal))
        {
            foreach (var channel in channels)
            {
                foreach (var point in points)
                {
                    var probeChannel = channel ?? ProbeChannel;
                    var probePoint = point ?? ProbeContactPoint;
                    var least = Math.Min(Rank(first.Decide(purpose, probeChannel, probePoint, at).Answer), Rank(second.Decide(purpose, probeChannel, probePoint, at).Answer));
                    if (Rank(both.Decide(purpose, probeChannel, probePoint, at).Answer) > least)
                    {
                        refusals.Add(new ConsentEntry(purpose, channel, point, ConsentStatus.Declined, LawfulBasis.Consent, ConsentSource, Instant.Max(at, combined[^1].CapturedAt), $"merge {mergeId}"));
                    }
                }
            }
        }

        combined.AddRange(refusals);
        return combined;
    }

    /// <summary>How permissive an answer is: refused 0, no basis 1, allowed 2.</summary>
    public static int Rank(ContactAnswer answer) => answer switch
    {
        ContactAnswer.Allowed => 2,
        ContactAnswer.NoBasis => 1,
        _ => 0,
    };

    /// <summary>
    /// The survivor's state after <paramref name="record"/> is undone, given its <paramref name="current"/> state: its state
    /// before the merge when it has not changed since (its version is <see cref="CustomerMergeRecord.SurvivorVersionAfterMerge"/>);
    /// otherwise its current state without what came only from the merged customer (contact points, external identifiers,
    /// tags, and the consent entries the merge added; later entries are kept). Either way with the next version.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="current"/> is not the record's survivor.</exception>
    public static CustomerSnapshot RestoreSurvivor(CustomerMergeRecord record, CustomerSnapshot current, Instant at)
    {
        Preconditions.NotNull(record);
        Preconditions.NotNull(current);
        Preconditions.Check(current.Id == record.SurvivorId && current.TenantId == record.TenantId, "The current state must be the record's survivor.", nameof(current));
        var before = record.SurvivorBefore;
        var gone = record.MergedBefore;
        if (current.Version == record.SurvivorVersionAfterMerge)
        {
            return Copy(before, current.Version + 1, before.UpdatedAt);
        }

        var consents = new List<ConsentEntry>(before.Consents);
        for (var i = Math.Min(record.MergedConsentCount, current.Consents.Count); i < current.Consents.Count; i++)
        {
            consents.Add(current.Consents[i]);
        }

        return new CustomerSnapshot
        {
            Id = current.Id,
            TenantId = current.TenantId,
            Profile = current.Profile,
            ContactPoints = [.. current.ContactPoints.Where(p => !OnlyIn(gone.ContactPoints, before.ContactPoints, p.Value))],
            ExternalIdentifiers = [.. current.ExternalIdentifiers.Where(i => !(gone.ExternalIdentifiers.Contains(i) && !before.ExternalIdentifiers.Contains(i)))],
            Tags = [.. current.Tags.Where(t => !(gone.Tags.Contains(t) && !before.Tags.Contains(t)))],
            CustomAttributes = current.CustomAttributes,
            HomeTimeZoneId = current.HomeTimeZoneId,
            CreatedAt = current.CreatedAt,
            UpdatedAt = at,
            Version = current.Version + 1,
            LifecycleStage = current.LifecycleStage,
            LifecycleHistory = current.LifecycleHistory,
            LifecycleFacts = current.LifecycleFacts,
            Consents = consents,
        };
    }

    /// <summary>
    /// The merged-away customer as the unmerge restores it: its state before the merge, at the same version (a writer
    /// holding that version read exactly this state, so its optimistic write stays valid).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static CustomerSnapshot RestoreMerged(CustomerMergeRecord record)
    {
        Preconditions.NotNull(record);
        return record.MergedBefore;
    }

    private static bool OnlyIn(IReadOnlyList<CustomerContactPoint> gone, IReadOnlyList<CustomerContactPoint> kept, ContactPoint point)
    {
        var inGone = false;
        foreach (var p in gone)
        {
            inGone |= p.Value.Equals(point);
        }

        foreach (var p in kept)
        {
            if (p.Value.Equals(point))
            {
                return false;
            }
        }

        return inGone;
    }

    private static CustomerSnapshot Copy(CustomerSnapshot s, long version, Instant updatedAt) => new()
    {
        Id = s.Id,
        TenantId = s.TenantId,
        Profile = s.Profile,
        ContactPoints = s.ContactPoints,
        ExternalIdentifiers = s.ExternalIdentifiers,
        Tags = s.Tags,
        CustomAttributes = s.CustomAttributes,
        HomeTimeZoneId = s.HomeTimeZoneId,
        CreatedAt = s.CreatedAt,
        UpdatedAt = updatedAt,
        Version = version,
        LifecycleStage = s.LifecycleStage,
        LifecycleHistory = s.LifecycleHistory,
        LifecycleFacts = s.LifecycleFacts,
        Consents = s.Consents,
    };

    private static PartyProfile MergeProfile(Chooser c, PartyProfile survivor, PartyProfile merged)
    {
        if (survivor is PersonProfile s && merged is PersonProfile m)
        {
            var names = c.Pick(SurvivorshipField.Names, false, false) == MergeSide.Survivor ? s : m;
            var titles = c.Pick(SurvivorshipField.Titles, s.Honorific is null && s.JobTitle is null, m.Honorific is null && m.JobTitle is null) == MergeSide.Survivor ? s : m;
            var birth = c.Pick(SurvivorshipField.BirthDate, s.BirthDate is null, m.BirthDate is null) == MergeSide.Survivor ? s : m;
            var language = c.Pick(SurvivorshipField.PreferredLanguage, s.PreferredLanguage is null, m.PreferredLanguage is null) == MergeSide.Survivor ? s : m;
            return new PersonProfile(names.GivenName, names.FamilyName, names.PreferredName, titles.Honorific, birth.BirthDate, language.PreferredLanguage, titles.JobTitle);
        }

        var so = (OrganizationProfile)survivor;
        var mo = (OrganizationProfile)merged;
        var legal = c.Pick(SurvivorshipField.Names, false, false) == MergeSide.Survivor ? so : mo;
        var registration = c.Pick(SurvivorshipField.Registration, so.RegistrationNumber is null && so.TaxId is null, mo.RegistrationNumber is null && mo.TaxId is null) == MergeSide.Survivor ? so : mo;
        var firmographics = c.Pick(SurvivorshipField.Firmographics, so.Industry is null && so.Website is null && so.EmployeeCount is null, mo.Industry is null && mo.Website is null && mo.EmployeeCount is null) == MergeSide.Survivor ? so : mo;
        return new OrganizationProfile(legal.LegalName, legal.TradingName, registration.RegistrationNumber, registration.TaxId, firmographics.Industry, firmographics.Website, firmographics.EmployeeCount);
    }

    private sealed class Chooser(SurvivorshipPolicy policy, CustomerSnapshot survivor, CustomerSnapshot merged)
    {
        public MergeSide Pick(SurvivorshipField field, bool survivorEmpty, bool mergedEmpty)
        {
            var rule = policy.RuleFor(field);
            var preferred = rule switch
            {
                SurvivorshipRule.Custom => policy.Custom!(field, survivor, merged),
                SurvivorshipRule.MostRecent => merged.UpdatedAt > survivor.UpdatedAt ? MergeSide.Merged : MergeSide.Survivor,
                SurvivorshipRule.MostTrustedSource => Trust(merged) < Trust(survivor) ? MergeSide.Merged : MergeSide.Survivor,
                _ => MergeSide.Survivor,
            };
            if (rule == SurvivorshipRule.Custom)
            {
                return Preconditions.Defined(preferred);
            }

            return preferred == MergeSide.Survivor
                ? (survivorEmpty && !mergedEmpty ? MergeSide.Merged : MergeSide.Survivor)
                : (mergedEmpty && !survivorEmpty ? MergeSide.Survivor : MergeSide.Merged);
        }

        private int Trust(CustomerSnapshot customer)
        {
            var best = int.MaxValue;
            foreach (var identifier in customer.ExternalIdentifiers)
            {
                for (var i = 0; i < policy.TrustedSources.Count && i < best; i++)
                {
                    if (string.Equals(policy.TrustedSources[i], identifier.Source, StringComparison.Ordinal))
                    {
                        best = i;
                    }
                }
            }

            return best;
        }
    }
}
