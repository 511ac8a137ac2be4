using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Innovation;

public sealed class IdeaTests
{
    private static readonly TenantId Tenant = new("ideas");
    private static readonly Instant At = Instant.FromUtc(2026, 4, 1, 9, 0);

    private static Idea NewIdea() => Idea.Submit(Tenant, IdeaId.New(), CustomerId.New(), "  Dark mode  ", " for the app ", SubjectArea.Website, At);

    [Fact]
    public void Submit_TrimsText_StartsSubmittedAtVersionOne()
    {
        var idea = NewIdea();

        Assert.Equal(("Dark mode", "for the app", IdeaStatus.Submitted, 1, IdeaOrigin.Customer), (idea.Title, idea.Description, idea.Status, idea.Version, idea.Origin));
        Assert.Empty(idea.History);
        Assert.Null(idea.DecidedAt);
        Assert.Null(idea.ShippedAt);
        Assert.False(idea.IsClosed);
        var proposed = Idea.Propose(Tenant, IdeaId.New(), "Paperless", null, SubjectArea.Billing, At);
        Assert.Equal((IdeaOrigin.Company, (CustomerId?)null), (proposed.Origin, proposed.SubmittedBy));
    }

    [Fact]
    public void Submit_RefusesBadInput()
    {
        Assert.Throws<ArgumentException>(() => Idea.Submit(default, IdeaId.New(), CustomerId.New(), "t", null, SubjectArea.Product, At));
        Assert.Throws<ArgumentException>(() => Idea.Submit(Tenant, default, CustomerId.New(), "t", null, SubjectArea.Product, At));
        Assert.Throws<ArgumentException>(() => Idea.Submit(Tenant, IdeaId.New(), default, "t", null, SubjectArea.Product, At));
        Assert.Throws<ArgumentException>(() => Idea.Submit(Tenant, IdeaId.New(), CustomerId.New(), "t", null, default, At));
        Assert.Throws<ArgumentNullException>(() => Idea.Submit(Tenant, IdeaId.New(), CustomerId.New(), null!, null, SubjectArea.Product, At));
        Assert.Throws<ArgumentException>(() => Idea.Submit(Tenant, IdeaId.New(), CustomerId.New(), "  ", null, SubjectArea.Product, At));
        Assert.Throws<ArgumentException>(() => Idea.Submit(Tenant, IdeaId.New(), CustomerId.New(), "t", " ", SubjectArea.Product, At));
        Assert.Throws<InputLimitExceededException>(() => Idea.Submit(Tenant, IdeaId.New(), CustomerId.New(), new string('t', Idea.MaxTitleLength + 1), null, SubjectArea.Product, At));
        Assert.Throws<InputLimitExceededException>(() => Idea.Propose(Tenant, IdeaId.New(), "t", new string('d', Idea.MaxDescriptionLength + 1), SubjectArea.Product, At));
    }

    [Fact]
    public void MoveTo_RecordsHistoryWithReason_AndDecisionAndShipping()
    {
        var idea = NewIdea();
        idea.MoveTo(IdeaStatus.UnderReview, " triage ", At + Duration.FromDays(1));
        idea.MoveTo(IdeaStatus.Planned, "roadmap", At + Duration.FromDays(3));
        idea.MoveTo(IdeaStatus.InProgress, "started", At + Duration.FromDays(4));
        idea.MoveTo(IdeaStatus.Shipped, "released 2.1", At + Duration.FromDays(30));

        Assert.Equal([IdeaStatus.UnderReview, IdeaStatus.Planned, IdeaStatus.InProgress, IdeaStatus.Shipped], idea.History.Select(c => c.To));
        Assert.Equal("triage", idea.History[0].Reason);
        Assert.Equal(IdeaStatus.Submitted, idea.History[0].From);
        Assert.Equal(At + Duration.FromDays(3), idea.DecidedAt);
        Assert.Equal(At + Duration.FromDays(30), idea.ShippedAt);
        Assert.Equal(5, idea.Version);
        Assert.True(idea.IsClosed);
    }

    [Theory]
    [InlineData(IdeaStatus.Planned)]
    [InlineData(IdeaStatus.InProgress)]
    [InlineData(IdeaStatus.Shipped)]
    [InlineData(IdeaStatus.Submitted)]
    public void MoveTo_AnIllegalStatus_IsRefused_AndChangesNothing(IdeaStatus to)
    {
        var idea = NewIdea();

        var e = Assert.Throws<InnovationRuleException>(() => idea.MoveTo(to, "why", At));

        Assert.Equal(CrmErrorCodes.IdeaIllegalTransition, e.ErrorCode);
        Assert.Contains(idea.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Equal((IdeaStatus.Submitted, 1), (idea.Status, idea.Version));
    }

    [Fact]
    public void AClosedIdea_RefusesEveryChange()
    {
        var idea = NewIdea();
        idea.MoveTo(IdeaStatus.Declined, "out of scope", At);

        Assert.Equal(CrmErrorCodes.IdeaClosed, Assert.Throws<InnovationRuleException>(() => idea.MoveTo(IdeaStatus.UnderReview, "again", At)).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaClosed, Assert.Throws<InnovationRuleException>(() => idea.MergeInto(IdeaId.New(), "dup", At)).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaClosed, Assert.Throws<InnovationRuleException>(() => idea.Comment(null, "late", At)).ErrorCode);
        Assert.Equal(2, idea.Version);
    }

    [Fact]
    public void MoveTo_RefusesBadArguments()
    {
        var idea = NewIdea();

        Assert.Throws<ArgumentException>(() => idea.MoveTo(IdeaStatus.Merged, "use MergeInto", At));
        Assert.ThrowsAny<ArgumentException>(() => idea.MoveTo((IdeaStatus)42, "why", At));
        Assert.Throws<ArgumentNullException>(() => idea.MoveTo(IdeaStatus.UnderReview, null!, At));
        Assert.Throws<ArgumentException>(() => idea.MoveTo(IdeaStatus.UnderReview, " ", At));
        Assert.Throws<InputLimitExceededException>(() => idea.MoveTo(IdeaStatus.UnderReview, new string('r', IdeaStatusChange.MaxReasonLength + 1), At));
        Assert.Equal(1, idea.Version);
    }

    [Fact]
    public void AChange_DatedBeforeTheLastOne_IsRefused()
    {
        var idea = NewIdea();
        idea.MoveTo(IdeaStatus.UnderReview, "triage", At + Duration.FromDays(2));

        Assert.Equal(CrmErrorCodes.IdeaTimeOrder, Assert.Throws<InnovationRuleException>(() => idea.MoveTo(IdeaStatus.Planned, "go", At + Duration.FromDays(1))).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaTimeOrder, Assert.Throws<InnovationRuleException>(() => idea.Comment(null, "early", At)).ErrorCode);
        Assert.Equal(IdeaStatus.UnderReview, idea.Status);
    }

    [Fact]
    public void MergeInto_NamesTheTarget_AndRefusesItself()
    {
        var idea = NewIdea();
        Assert.Equal(CrmErrorCodes.IdeaMergeIntoItself, Assert.Throws<InnovationRuleException>(() => idea.MergeInto(idea.Id, "self", At)).ErrorCode);
        Assert.Throws<ArgumentException>(() => idea.MergeInto(default, "none", At));
        var target = IdeaId.New();

        idea.MergeInto(target, "same as the other", At);

        Assert.Equal((IdeaStatus.Merged, (IdeaId?)target, (Instant?)At), (idea.Status, idea.MergedInto, idea.DecidedAt));
    }

    [Fact]
    public void Comment_IsKept_AndLimited()
    {
        var idea = NewIdea();
        var author = CustomerId.New();
        idea.Comment(author, " nice ", At);

        Assert.Equal(new IdeaComment(author, "nice", At), Assert.Single(idea.Comments));
        Assert.Throws<ArgumentException>(() => idea.Comment(default(CustomerId), "x", At));
        Assert.Throws<ArgumentException>(() => idea.Comment(null, " ", At));
        Assert.Throws<InputLimitExceededException>(() => idea.Comment(null, new string('c', IdeaComment.MaxTextLength + 1), At));
        for (var i = 1; i < Idea.MaxComments; i++)
        {
            idea.Comment(null, "more", At);
        }

        Assert.Throws<InputLimitExceededException>(() => idea.Comment(null, "one too many", At));
        Assert.Equal(Idea.MaxComments, idea.Comments.Count);
    }

    [Fact]
    public void Rehydrate_RebuildsAStoredIdea_AndRefusesACorruptOne()
    {
        var idea = NewIdea();
        idea.MoveTo(IdeaStatus.UnderReview, "triage", At);
        idea.Comment(null, "hi", At);
        var read = IdeaDocuments.Read(Tenant, idea.Id, idea.Version, IdeaDocuments.Write(idea));
        Assert.Equal((idea.Status, idea.Version, idea.Title), (read.Status, read.Version, read.Title));
        Assert.Equal(idea.History, read.History);

        Assert.Throws<InvalidStoredStateException>(() => Idea.Rehydrate(Tenant, idea.Id, IdeaOrigin.Customer, idea.SubmittedBy, "t", null, SubjectArea.Product, At, IdeaStatus.Planned, 2, [new IdeaStatusChange(IdeaStatus.Submitted, IdeaStatus.Planned, At, "skip")], []));
        Assert.Throws<InvalidStoredStateException>(() => Idea.Rehydrate(Tenant, idea.Id, IdeaOrigin.Customer, idea.SubmittedBy, "t", null, SubjectArea.Product, At, IdeaStatus.Shipped, 2, [new IdeaStatusChange(IdeaStatus.Submitted, IdeaStatus.UnderReview, At, "ok")], []));
        Assert.Throws<InvalidStoredStateException>(() => Idea.Rehydrate(Tenant, idea.Id, IdeaOrigin.Company, CustomerId.New(), "t", null, SubjectArea.Product, At, IdeaStatus.Submitted, 1, [], []));
        Assert.Throws<InvalidStoredStateException>(() => Idea.Rehydrate(Tenant, idea.Id, IdeaOrigin.Company, null, "t", null, SubjectArea.Product, At, IdeaStatus.Submitted, 0, [], []));
        Assert.Throws<InvalidStoredStateException>(() => IdeaDocuments.Read(Tenant, IdeaId.New(), idea.Version, IdeaDocuments.Write(idea)));
        Assert.Throws<InvalidStoredStateException>(() => IdeaDocuments.Read(Tenant, idea.Id, idea.Version, "{ not json"));
    }

    [Fact]
    public void StatusChange_RequiresATargetForAMergeOnly()
    {
        Assert.Throws<ArgumentException>(() => new IdeaStatusChange(IdeaStatus.Submitted, IdeaStatus.Merged, At, "no target"));
        Assert.Throws<ArgumentException>(() => new IdeaStatusChange(IdeaStatus.Submitted, IdeaStatus.Declined, At, "target", IdeaId.New()));
        Assert.ThrowsAny<ArgumentException>(() => new IdeaStatusChange((IdeaStatus)0, IdeaStatus.Declined, At, "undefined"));
    }

    [Fact]
    public void SubjectArea_NormalisesAndParses_StandardAreasAreSlugs()
    {
        Assert.Equal("loyalty-programme", new SubjectArea("  Loyalty Programme ").Value);
        Assert.Equal(["product", "marketing-communication", "store", "website", "service", "billing"], SubjectArea.Standard.Select(a => a.Value));
        Assert.True(SubjectArea.TryParse("Website", out var web));
        Assert.Equal(SubjectArea.Website, web);
        Assert.False(SubjectArea.TryParse("no good!", out _));
        Assert.False(SubjectArea.TryParse(null, out _));
        Assert.Throws<ArgumentException>(() => new SubjectArea("bad area!"));
        Assert.Throws<InputLimitExceededException>(() => new SubjectArea(new string('a', SubjectArea.MaxLength + 1)));
        Assert.True(SubjectArea.Billing.CompareTo(SubjectArea.Website) < 0);
    }

    [Fact]
    public void Vote_RefusesDefaultsAndUndefinedValues()
    {
        Assert.Throws<ArgumentException>(() => new IdeaVote(default, IdeaId.New(), CustomerId.New(), IdeaVoteValue.For, At));
        Assert.Throws<ArgumentException>(() => new IdeaVote(Tenant, default, CustomerId.New(), IdeaVoteValue.For, At));
        Assert.Throws<ArgumentException>(() => new IdeaVote(Tenant, IdeaId.New(), default, IdeaVoteValue.For, At));
        Assert.ThrowsAny<ArgumentException>(() => new IdeaVote(Tenant, IdeaId.New(), CustomerId.New(), (IdeaVoteValue)0, At));
    }

    [Fact]
    public void Voice_RefusesBadInput()
    {
        var customer = CustomerId.New();
        NewCustomerVoice Valid() => new()
        {
            CustomerId = customer,
            Kind = VoiceKind.Feedback,
            Subject = SubjectArea.Service,
            Channel = new ChannelId("phone"),
            OccurredAt = At,
            Source = new ExternalIdentifier("cc", "1"),
            Title = "Slow answer",
        };
        CustomerVoice Create(NewCustomerVoice d, IdeaId? idea = null) => CustomerVoice.Create(Tenant, TouchpointId.New(), At, d, idea);

        Assert.Equal("Slow answer", Create(Valid()).Title);
        Assert.Throws<ArgumentException>(() => CustomerVoice.Create(default, TouchpointId.New(), At, Valid(), null));
        Assert.Throws<ArgumentException>(() => CustomerVoice.Create(Tenant, default, At, Valid(), null));
        Assert.Throws<ArgumentNullException>(() => CustomerVoice.Create(Tenant, TouchpointId.New(), At, null!, null));
        var valid = Valid();
        Assert.Throws<ArgumentException>(() => Create(new NewCustomerVoice { CustomerId = default, Kind = valid.Kind, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = valid.Title }));
        Assert.Throws<ArgumentException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = (VoiceKind)9, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = valid.Title }));
        Assert.Throws<ArgumentException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = default, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = valid.Title }));
        Assert.Throws<ArgumentException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = valid.Subject, Channel = default, OccurredAt = At, Source = valid.Source, Title = valid.Title }));
        Assert.Throws<ArgumentException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = null!, Title = valid.Title }));
        Assert.Throws<ArgumentException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = " " }));
        Assert.Throws<InputLimitExceededException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = new string('t', CustomerVoice.MaxTitleLength + 1) }));
        Assert.Throws<InputLimitExceededException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = "t", Text = new string('t', CustomerVoice.MaxTextLength + 1) }));
        Assert.Throws<InputLimitExceededException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = "t", RelatedParties = [.. Enumerable.Range(0, CustomerVoice.MaxRelatedParties + 1).Select(_ => CustomerId.New())] }));
        Assert.Throws<ArgumentException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = "t", RelatedParties = [customer] }));
        Assert.Throws<ArgumentNullException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = valid.Kind, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = "t", RelatedParties = null! }));
        Assert.Throws<ArgumentException>(() => Create(Valid(), IdeaId.New()));
        Assert.Throws<ArgumentException>(() => Create(new NewCustomerVoice { CustomerId = customer, Kind = VoiceKind.Idea, Subject = valid.Subject, Channel = valid.Channel, OccurredAt = At, Source = valid.Source, Title = "t" }));
    }
}
