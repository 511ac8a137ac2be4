using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Tests.Identity;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Privacy;

/// <summary>
/// The redaction helpers of erasure: the pseudonymous shell of a snapshot (<c>CustomerShell</c>), the redaction of a merge
/// record (<see cref="CustomerMergeRecord.Redacted"/>, <see cref="ErasureDocuments.EraseMerge"/>) and the rewrite of the
/// texts a customer wrote (<see cref="ErasureDocuments.EraseIdea"/>, <see cref="ErasureDocuments.EraseVoice"/>): what they
/// keep, what they drop, bad input, idempotence; and the laws over generated customers.
/// </summary>
public sealed class ErasureRedactionTests
{
    private static readonly TenantId Tenant = new("redaction");
    private static readonly Instant At = Instant.FromUtc(2026, 5, 1, 12, 0);
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 1, 1, 8, 0), Duration.FromMinutes(1));

    private CustomerSnapshot Person(string marker)
    {
        var customer = Customer.Register(Tenant, new PersonProfile($"{marker}given", $"{marker}family", $"{marker}preferred"), _clock);
        customer.AddContactPoint(EmailAddress.Parse($"{marker}@mail.example"), $"{marker}label", makePrimary: true);
        customer.AddExternalIdentifier(new ExternalIdentifier("shop", $"{marker}key"));
        customer.Tag(new CustomerTag($"{marker}tag"));
        customer.SetCustomAttribute($"{marker}attr", CustomAttributeValue.FromText($"{marker}value"));
        customer.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/Paris"]);
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Marketing, new ChannelId("email"), null, ConsentStatus.Granted, LawfulBasis.Consent, "web-form", _clock.GetCurrentInstant(), $"{marker}evidence"));
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Service, new ChannelId("email"), EmailAddress.Parse($"{marker}@mail.example"), ConsentStatus.Declined, LawfulBasis.Consent, "web-form", _clock.GetCurrentInstant()));
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Feedback, new ChannelId("web"), null, ConsentStatus.Granted, LawfulBasis.LegitimateInterest, "import", _clock.GetCurrentInstant()));
        return customer.ToSnapshot(3);
    }

    private static CustomerMergeRecord Record(CustomerSnapshot survivor, CustomerSnapshot merged, Instant? unmergedAt = null)
        => new(CustomerMergeId.New(), survivor, merged, At, survivor.Version + 1, 2, [TouchpointId.New()], [TouchpointId.New()], [RelationshipId.New()], unmergedAt);

    [Fact]
    public void Shell_KeepsIdKindVersionTimesAndLifecycle_AndDropsEveryPersonalValue()
    {
        var person = Person("pa");

        var shell = CustomerShell.Of(person, out var evidence, out var scoped);

        Assert.Equal((person.Id, person.TenantId, person.Version, person.CreatedAt, person.UpdatedAt, person.LifecycleStage), (shell.Id, shell.TenantId, shell.Version, shell.CreatedAt, shell.UpdatedAt, shell.LifecycleStage));
        Assert.Equal(person.LifecycleHistory, shell.LifecycleHistory);
        var profile = Assert.IsType<PersonProfile>(shell.Profile);
        Assert.Equal(CustomerShell.Name, profile.DisplayName);
        Assert.Equal(CustomerErasure.ShellName, CustomerShell.Name);
        Assert.Null(profile.GivenName);
        Assert.Empty(shell.ContactPoints);
        Assert.Empty(shell.ExternalIdentifiers);
        Assert.Empty(shell.Tags);
        Assert.Empty(shell.CustomAttributes);
        Assert.Null(shell.HomeTimeZoneId);
        Assert.Equal((1, 1), (evidence, scoped));
        Assert.Equal([ConsentPurpose.Marketing, ConsentPurpose.Feedback], shell.Consents.Select(static c => c.Purpose));
        Assert.All(shell.Consents, static c => Assert.Null(c.Evidence));
        Assert.Equal(person.Consents[0].CapturedAt, shell.Consents[0].CapturedAt);
        Assert.Same(person.Consents[2], shell.Consents[1]);
    }

    [Fact]
    public void Shell_OfAnOrganisation_IsAnOrganisationShell_AndTheShellOfAShellIsTheSame()
    {
        var organisation = Customer.Register(Tenant, new OrganizationProfile("Acme Ltd"), _clock).ToSnapshot(1);

        var shell = CustomerShell.Of(organisation);

        Assert.Equal(PartyKind.Organization, shell.Profile.Kind);
        Assert.Equal(CustomerShell.Name, shell.Profile.DisplayName);
        var twice = CustomerShell.Of(shell, out var evidence, out var scoped);
        Assert.Equal(CustomerSnapshotJson.Write(shell), CustomerSnapshotJson.Write(twice));
        Assert.Equal((0, 0), (evidence, scoped));
        Assert.Throws<ArgumentNullException>(() => CustomerShell.Of(null!));
    }

    [Fact]
    public void RedactedMergeRecord_ShellsBothSides_KeepsWhatHappened_AndIsMarked()
    {
        var record = Record(Person("sv"), Person("mg"), unmergedAt: At + Duration.FromDays(1));
        var erasedAt = At + Duration.FromDays(2);

        var redacted = record.Redacted(erasedAt);

        Assert.False(record.IsRedacted);
        Assert.Null(record.ErasedAt);
        Assert.True(redacted.IsRedacted);
        Assert.Equal(erasedAt, redacted.ErasedAt);
        Assert.Equal((record.Id, record.SurvivorId, record.MergedId, record.MergedAt, record.SurvivorVersionAfterMerge, record.MergedConsentCount, record.UnmergedAt), (redacted.Id, redacted.SurvivorId, redacted.MergedId, redacted.MergedAt, redacted.SurvivorVersionAfterMerge, redacted.MergedConsentCount, redacted.UnmergedAt));
        Assert.Equal((record.MovedTouchpoints, record.RedirectedTouchpoints, record.MovedRelationships), (redacted.MovedTouchpoints, redacted.RedirectedTouchpoints, redacted.MovedRelationships));
        var document = CustomerMergeDocuments.Write(redacted);
        foreach (var marker in new[] { "sv", "mg" })
        {
            foreach (var field in new[] { "given", "family", "preferred", "@mail", "label", "key", "tag", "attr", "value", "evidence" })
            {
                Assert.DoesNotContain(marker + field, document, StringComparison.Ordinal);
            }
        }

        Assert.Same(redacted, redacted.Redacted(erasedAt + Duration.FromDays(1)));
        Assert.Equal(redacted.WithRedirected([]).ErasedAt, erasedAt);
        Assert.Equal(redacted.AsUnmerged(At).ErasedAt, erasedAt);
    }

    [Fact]
    public void MergeDocument_CarriesTheMark_AndAnOldDocumentReadsAsNotRedacted()
    {
        var record = Record(Person("a1"), Person("b1"));
        var plain = CustomerMergeDocuments.Write(record);
        Assert.DoesNotContain("erasedAt", plain, StringComparison.Ordinal);
        Assert.Null(CustomerMergeDocuments.Read(Tenant, record.Id, plain).ErasedAt);

        var erased = ErasureDocuments.EraseMerge(Tenant, record.Id, plain, At);

        Assert.NotNull(erased);
        var read = CustomerMergeDocuments.Read(Tenant, record.Id, erased);
        Assert.Equal(At, read.ErasedAt);
        Assert.Equal(CustomerMergeDocuments.Write(record.Redacted(At)), erased);
        Assert.Null(ErasureDocuments.EraseMerge(Tenant, record.Id, erased, At + Duration.FromDays(1)));
        Assert.Throws<ArgumentNullException>(() => ErasureDocuments.EraseMerge(Tenant, record.Id, null!, At));
        Assert.Throws<InvalidStoredStateException>(() => ErasureDocuments.EraseMerge(Tenant, record.Id, "{not json", At));
        Assert.Throws<InvalidStoredStateException>(() => ErasureDocuments.EraseMerge(Tenant, CustomerMergeId.New(), plain, At));
    }

    [Fact]
    public void MergeException_Redacted_HasItsCode_AndNamesTheMergeOnly()
    {
        var merge = CustomerMergeId.New();
        var e = CustomerMergeException.Redacted(Tenant, merge);
        Assert.Equal((CrmErrorCodes.UnmergeRedacted, (CustomerMergeId?)merge, (CustomerId?)null), (e.ErrorCode, e.MergeId, e.CustomerId));
        Assert.Equal("CRM-MERGE-006", e.ErrorCode);
        Assert.Contains(merge.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EraseIdea_RewritesTheSubmittersTextAndTheirComments_AndKeepsTheRest()
    {
        var (author, other) = (CustomerId.New(), CustomerId.New());
        var idea = Idea.Submit(Tenant, IdeaId.New(), author, "My own title", "my own words", SubjectArea.Product, At);
        idea.MoveTo(IdeaStatus.UnderReview, "triage", At);
        idea.Comment(author, "mine", At);
        idea.Comment(other, "theirs", At);
        idea.Comment(null, "company", At);
        var document = IdeaDocuments.Write(idea);

        var erased = ErasureDocuments.EraseIdea(Tenant, idea.Id, idea.Version, document, author)!.Value;

        Assert.True(erased.TextReplaced);
        Assert.Equal(1, erased.CommentsReplaced);
        Assert.Equal(idea.Version + 1, erased.Version);
        var read = IdeaDocuments.Read(Tenant, idea.Id, erased.Version, erased.Document);
        Assert.Equal((ErasureDocuments.ErasedText, ErasureDocuments.ErasedText, (CustomerId?)author, IdeaStatus.UnderReview), (read.Title, read.Description, read.SubmittedBy, read.Status));
        Assert.Equal(idea.History, read.History);
        Assert.Equal([ErasureDocuments.ErasedText, "theirs", "company"], read.Comments.Select(static c => c.Text));
        Assert.Null(ErasureDocuments.EraseIdea(Tenant, idea.Id, erased.Version, erased.Document, author));

        var byOther = ErasureDocuments.EraseIdea(Tenant, idea.Id, idea.Version, document, other)!.Value;
        Assert.False(byOther.TextReplaced);
        Assert.Equal(1, byOther.CommentsReplaced);
        Assert.Equal("My own title", IdeaDocuments.Read(Tenant, idea.Id, byOther.Version, byOther.Document).Title);
        Assert.Null(ErasureDocuments.EraseIdea(Tenant, idea.Id, idea.Version, document, CustomerId.New()));
    }

    [Fact]
    public void EraseIdea_KeepsANullDescriptionNull_AndRefusesBadInput()
    {
        var author = CustomerId.New();
        var idea = Idea.Submit(Tenant, IdeaId.New(), author, "Title only", null, SubjectArea.Website, At);
        var document = IdeaDocuments.Write(idea);

        var erased = ErasureDocuments.EraseIdea(Tenant, idea.Id, idea.Version, document, author)!.Value;

        Assert.Null(IdeaDocuments.Read(Tenant, idea.Id, erased.Version, erased.Document).Description);
        Assert.Throws<ArgumentException>(() => ErasureDocuments.EraseIdea(Tenant, idea.Id, idea.Version, document, default));
        Assert.Throws<ArgumentNullException>(() => ErasureDocuments.EraseIdea(Tenant, idea.Id, idea.Version, null!, author));
        Assert.Throws<InvalidStoredStateException>(() => ErasureDocuments.EraseIdea(Tenant, idea.Id, idea.Version + 1, document, author));
        Assert.Throws<InvalidStoredStateException>(() => ErasureDocuments.EraseIdea(Tenant, idea.Id, idea.Version, "[]", author));
    }

    [Fact]
    public void EraseVoice_RewritesOnlyTheSpeakersRecord_KeepingEverythingButTheText()
    {
        var (speaker, related) = (CustomerId.New(), CustomerId.New());
        var about = IdeaId.New();
        var voice = CustomerVoice.Create(Tenant, TouchpointId.New(), At, new NewCustomerVoice
        {
            CustomerId = speaker,
            Kind = VoiceKind.Feedback,
            Subject = SubjectArea.Website,
            Channel = new ChannelId("email"),
            OccurredAt = At,
            Source = new ExternalIdentifier("survey", "s-1"),
            Title = "Slow checkout",
            Text = "It took me ages",
            RelatedParties = [related],
            AboutIdea = about,
        }, about);
        var document = IdeaDocuments.Write(voice);

        var erased = ErasureDocuments.EraseVoice(Tenant, document, speaker);

        var read = IdeaDocuments.ReadVoice(Tenant, erased!);
        Assert.Equal((ErasureDocuments.ErasedText, ErasureDocuments.ErasedText), (read.Title, read.Text));
        Assert.Equal((voice.Id, voice.CustomerId, voice.Kind, voice.Subject, voice.Channel, voice.OccurredAt, voice.RecordedAt, voice.Source, voice.Idea), (read.Id, read.CustomerId, read.Kind, read.Subject, read.Channel, read.OccurredAt, read.RecordedAt, read.Source, read.Idea));
        Assert.Equal(voice.RelatedParties, read.RelatedParties);
        Assert.Null(ErasureDocuments.EraseVoice(Tenant, erased!, speaker));
        Assert.Null(ErasureDocuments.EraseVoice(Tenant, document, related));
        Assert.Throws<ArgumentException>(() => ErasureDocuments.EraseVoice(Tenant, document, default));
        Assert.Throws<ArgumentNullException>(() => ErasureDocuments.EraseVoice(Tenant, null!, speaker));
        Assert.Throws<InvalidStoredStateException>(() => ErasureDocuments.EraseVoice(new TenantId("another"), document, speaker));
    }

    /// <summary>
    /// Over generated customers: the redacted record, read back from its document, holds no contact point, identifier,
    /// tag, attribute, time zone, consent evidence or profile value of either side, and no e-mail address or identifier
    /// key appears anywhere in the document; redacting again changes nothing.
    /// </summary>
    [Property(Arbitrary = new[] { typeof(MergeArbitraries) }, MaxTest = 100)]
    public Property Redaction_LeavesNoPersonalValue_AndIsIdempotent(MergePair pair)
    {
        var survivor = pair.Survivor.ToSnapshot(pair.Survivor.Version + 1);
        var merged = pair.Merged.ToSnapshot(pair.Merged.Version + 1);
        var record = new CustomerMergeRecord(CustomerMergeId.New(), survivor, merged, At, survivor.Version + 1, 0, [], [], []);
        var document = ErasureDocuments.EraseMerge(MergeArbitraries.Tenant, record.Id, CustomerMergeDocuments.Write(record), At)!;
        var read = CustomerMergeDocuments.Read(MergeArbitraries.Tenant, record.Id, document);
        var sides = new[] { (survivor, read.SurvivorBefore), (merged, read.MergedBefore) };
        var emptied = sides.All(static s => s.Item2.ContactPoints.Count == 0 && s.Item2.ExternalIdentifiers.Count == 0 && s.Item2.Tags.Count == 0
            && s.Item2.CustomAttributes.Count == 0 && s.Item2.HomeTimeZoneId is null && s.Item2.Consents.All(static c => c.Evidence is null && c.ContactPoint is null));
        var profiles = sides.All(static s => s.Item2.Profile.DisplayName == CustomerShell.Name && s.Item2.Profile.Kind == s.Item1.Profile.Kind);
        var kept = sides.All(static s => (s.Item1.Id, s.Item1.Version, s.Item1.CreatedAt, s.Item1.UpdatedAt, s.Item1.LifecycleStage) == (s.Item2.Id, s.Item2.Version, s.Item2.CreatedAt, s.Item2.UpdatedAt, s.Item2.LifecycleStage)
            && s.Item1.Consents.Count(static c => c.ContactPoint is null) == s.Item2.Consents.Count);
        var values = sides.SelectMany(static s => s.Item1.ContactPoints.Where(static p => p.Value.Kind == ContactPointKind.Email).Select(static p => p.Value.NormalizedValue)
            .Concat(s.Item1.ExternalIdentifiers.Select(static i => i.ToString()).Where(static k => k.Length >= 8)));
        return emptied.Label("lists emptied")
            .And(profiles).Label("profiles replaced")
            .And(kept).Label("ids, versions, times, lifecycle and consent decisions kept")
            .And(read.IsRedacted && read.ErasedAt == At).Label("marked")
            .And(values.All(v => !document.Contains(v, StringComparison.OrdinalIgnoreCase))).Label("no address or key in the document")
            .And(ErasureDocuments.EraseMerge(MergeArbitraries.Tenant, record.Id, document, At + Duration.FromDays(1)) is null).Label("idempotent")
            .And(CustomerMergeDocuments.Write(record.Redacted(At)) == document && ReferenceEquals(read, read.Redacted(At))).Label("same redaction");
    }
}
