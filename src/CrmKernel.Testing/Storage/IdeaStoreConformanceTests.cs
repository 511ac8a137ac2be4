using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Innovation;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="IIdeaStore"/>, and for <see cref="InnovationService"/> running on it: ideas round-trip
/// with their history and comments, a stale or duplicate save conflicts and stores nothing, a voice record and its idea are
/// stored together or not at all and a repeated source key stores nothing, votes are one per customer and idea, pages are in
/// id order without skipping or repeating, a generated sequence of vote operations matches a model, and tenants are
/// isolated. Return stores whose <see cref="CrmStores.Ideas"/> and <see cref="CrmStores.Touchpoints"/> are set.
/// </summary>
public abstract class IdeaStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The idea store under test.</summary>
    protected static IIdeaStore Ideas(CrmStores stores)
        => Preconditions.NotNull(stores).Ideas ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Ideas for the idea kit.");

    /// <summary>A customer's idea with every optional part, moved through several statuses and commented on by a customer and the company.</summary>
    protected Idea FullIdea(TenantId tenant, CustomerId customer, CustomerId commenter)
    {
        var idea = Idea.Submit(tenant, IdeaId.New(), customer, "Self-service \"returns\"", "Let me print a label, ünïcode ✓", new SubjectArea("returns/online"), Clock.GetCurrentInstant());
        idea.MoveTo(IdeaStatus.UnderReview, "triage", Clock.GetCurrentInstant());
        idea.Comment(commenter, "Yes please", Clock.GetCurrentInstant());
        idea.Comment(null, "We are looking at it", Clock.GetCurrentInstant());
        idea.MoveTo(IdeaStatus.Planned, "fits the roadmap", Clock.GetCurrentInstant());
        return idea;
    }

    /// <summary>An idea round-trips with its history, comments and version; a company's and a merged idea too.</summary>
    [Fact]
    public virtual async Task Idea_RoundTripsEveryField()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var idea = FullIdea(tenant, CustomerId.New(), CustomerId.New());
        await Ideas(stores).SaveAsync(idea, 0, default);
        var proposed = Idea.Propose(tenant, IdeaId.New(), "Paperless invoices", null, SubjectArea.Billing, Clock.GetCurrentInstant());
        proposed.MergeInto(idea.Id, "same as the returns idea", Clock.GetCurrentInstant());
        await Ideas(stores).SaveAsync(proposed, 0, default);

        AssertSame(idea, await Ideas(stores).FindAsync(tenant, idea.Id, default));
        AssertSame(proposed, await Ideas(stores).FindAsync(tenant, proposed.Id, default));
        Assert.Null(await Ideas(stores).FindAsync(tenant, IdeaId.New(), default));
    }

    /// <summary>A save from a stale version, a second insert and a save ahead of the stored version conflict and store nothing.</summary>
    [Fact]
    public virtual async Task Save_FromAStaleVersion_Conflicts_AndStoresNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var idea = Idea.Propose(tenant, IdeaId.New(), "Loyalty points", null, SubjectArea.Product, Clock.GetCurrentInstant());
        await Ideas(stores).SaveAsync(idea, 0, default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Ideas(stores).SaveAsync(idea, 0, default));

        var first = (await Ideas(stores).FindAsync(tenant, idea.Id, default))!;
        var second = (await Ideas(stores).FindAsync(tenant, idea.Id, default))!;
        first.MoveTo(IdeaStatus.UnderReview, "first", Clock.GetCurrentInstant());
        second.MoveTo(IdeaStatus.Declined, "second", Clock.GetCurrentInstant());
        await Ideas(stores).SaveAsync(first, 1, default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Ideas(stores).SaveAsync(second, 1, default));
        second = (await Ideas(stores).FindAsync(tenant, idea.Id, default))!;
        second.Comment(null, "more", Clock.GetCurrentInstant());
        second.Comment(null, "and more", Clock.GetCurrentInstant());
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Ideas(stores).SaveAsync(second, 3, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Ideas(stores).SaveAsync(second, 1, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Ideas(stores).SaveAsync(first, first.Version, default));

        var stored = await Ideas(stores).FindAsync(tenant, idea.Id, default);
        Assert.Equal((IdeaStatus.UnderReview, 2), (stored!.Status, stored.Version));
        Assert.Equal("first", stored.History.Single().Reason);
    }

    /// <summary>Pages list each idea once, in id order, neither skipping nor repeating; another tenant's are not listed.</summary>
    [Fact]
    public virtual async Task Ideas_Page_InIdOrder()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var ids = new List<IdeaId>();
        for (var i = 0; i < 7; i++)
        {
            var idea = Idea.Propose(tenant, IdeaId.New(), $"Idea {i}", null, SubjectArea.Standard[i % 6], Clock.GetCurrentInstant());
            await Ideas(stores).SaveAsync(idea, 0, default);
            ids.Add(idea.Id);
        }

        var listed = await KitPaging.WalkAsync<IdeaId, Idea>((after, ct) => Ideas(stores).PageAsync(tenant, after, 3, ct), i => i.Id, 3);

        Assert.Equal(ids.Order(), listed);
        Assert.Empty(await Ideas(stores).PageAsync(NewTenant(), null, 3, default));
    }

    /// <summary>A voice record and the idea it submitted are stored together; the same source key again stores nothing and returns the first record.</summary>
    [Fact]
    public virtual async Task Voice_IsStoredWithItsIdea_AndASourceKeyOnce()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (voice, idea) = IdeaVoice(tenant, "web-1");
        var stored = await Ideas(stores).AddVoiceAsync(voice, idea, default);
        Assert.Same(voice, stored);

        var (again, otherIdea) = IdeaVoice(tenant, "web-1", "different title");
        var second = await Ideas(stores).AddVoiceAsync(again, otherIdea, default);

        Assert.Equal(voice.Id, second.Id);
        Assert.Equal(voice.Title, second.Title);
        Assert.Null(await Ideas(stores).FindAsync(tenant, otherIdea.Id, default));
        AssertSame(idea, await Ideas(stores).FindAsync(tenant, idea.Id, default));
        AssertSameVoice(voice, await Ideas(stores).FindVoiceAsync(tenant, voice.Source, default));
        Assert.Null(await Ideas(stores).FindVoiceAsync(tenant, new ExternalIdentifier("web", "nope"), default));
        Assert.Null(await Ideas(stores).FindVoiceAsync(NewTenant(), voice.Source, default));
    }

    /// <summary>When the idea's id is taken, neither the record nor the idea is stored.</summary>
    [Fact]
    public virtual async Task Voice_WhoseIdeaIdIsTaken_StoresNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (voice, idea) = IdeaVoice(tenant, "web-2");
        await Ideas(stores).SaveAsync(Idea.Propose(tenant, idea.Id, "taken", null, SubjectArea.Store, Clock.GetCurrentInstant()), 0, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Ideas(stores).AddVoiceAsync(voice, idea, default));

        Assert.Null(await Ideas(stores).FindVoiceAsync(tenant, voice.Source, default));
        Assert.Equal("taken", (await Ideas(stores).FindAsync(tenant, idea.Id, default))!.Title);
    }

    /// <summary>Feedback round-trips with its related parties and the idea it is about; voice records page in id order.</summary>
    [Fact]
    public virtual async Task Feedback_RoundTrips_AndVoicesPage()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var about = IdeaId.New();
        var written = new List<CustomerVoice>();
        for (var i = 0; i < 5; i++)
        {
            var details = new NewCustomerVoice
            {
                CustomerId = CustomerId.New(),
                Kind = VoiceKind.Feedback,
                Subject = i % 2 == 0 ? SubjectArea.Website : new SubjectArea("host:taxonomy/x"),
                Channel = new ChannelId("email"),
                OccurredAt = Start + Duration.FromMinutes(i),
                Source = new ExternalIdentifier("survey", $"answer-{i}"),
                Title = $"Feedback {i}",
                Text = i == 0 ? null : "Slow \"checkout\"",
                RelatedParties = i == 1 ? [CustomerId.New(), CustomerId.New()] : [],
                AboutIdea = i == 2 ? about : null,
            };
            var voice = CustomerVoice.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), details, details.AboutIdea);
            await Ideas(stores).AddVoiceAsync(voice, null, default);
            written.Add(voice);
        }

        var seen = new Dictionary<TouchpointId, CustomerVoice>();
        var listed = await KitPaging.WalkAsync<TouchpointId, CustomerVoice>((after, ct) => Ideas(stores).PageVoicesAsync(tenant, after, 2, ct), v => { seen[v.Id] = v; return v.Id; }, 2);

        Assert.Equal(written.Select(v => v.Id).Order(), listed);
        foreach (var voice in written)
        {
            AssertSameVoice(voice, seen[voice.Id]);
        }

        Assert.Empty(await Ideas(stores).PageVoicesAsync(NewTenant(), null, 2, default));
    }

    /// <summary>A customer has one vote per idea: a new one replaces it, removing it leaves none; votes page in customer order.</summary>
    [Fact]
    public virtual async Task Votes_AreOnePerCustomerAndIdea()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (idea, other) = (IdeaId.New(), IdeaId.New());
        var voters = Enumerable.Range(0, 5).Select(_ => CustomerId.New()).ToArray();
        foreach (var voter in voters)
        {
            await Ideas(stores).SetVoteAsync(new IdeaVote(tenant, idea, voter, IdeaVoteValue.For, Clock.GetCurrentInstant()), default);
        }

        var changed = new IdeaVote(tenant, idea, voters[2], IdeaVoteValue.Against, Clock.GetCurrentInstant());
        await Ideas(stores).SetVoteAsync(changed, default);
        await Ideas(stores).SetVoteAsync(new IdeaVote(tenant, other, voters[0], IdeaVoteValue.Against, Clock.GetCurrentInstant()), default);

        Assert.Equal(changed, await Ideas(stores).FindVoteAsync(tenant, idea, voters[2], default));
        Assert.True(await Ideas(stores).RemoveVoteAsync(tenant, idea, voters[4], default));
        Assert.False(await Ideas(stores).RemoveVoteAsync(tenant, idea, voters[4], default));
        Assert.Null(await Ideas(stores).FindVoteAsync(tenant, idea, voters[4], default));
        var listed = await KitPaging.WalkAsync<CustomerId, IdeaVote>((after, ct) => Ideas(stores).PageVotesAsync(tenant, idea, after, 2, ct), v => v.Customer, 2);
        Assert.Equal(voters[..4].Order(), listed);
        Assert.Equal(IdeaVoteValue.Against, (await Ideas(stores).FindVoteAsync(tenant, other, voters[0], default))!.Value);
        Assert.Empty(await Ideas(stores).PageVotesAsync(NewTenant(), idea, null, 2, default));
    }

    /// <summary>A generated sequence of casting, changing and withdrawing votes leaves the store as a dictionary model says, after every step.</summary>
    [Fact]
    public virtual async Task Votes_FollowTheModel_OverAGeneratedSequence()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var ideas = new[] { IdeaId.New(), IdeaId.New() };
        var customers = Enumerable.Range(0, 4).Select(_ => CustomerId.New()).ToArray();
        var model = new Dictionary<(IdeaId, CustomerId), IdeaVote>();
        var random = new Random(19);
        var failures = new List<string>();
        for (var step = 0; step < 120; step++)
        {
            var key = (ideas[random.Next(ideas.Length)], customers[random.Next(customers.Length)]);
            if (random.Next(3) == 0)
            {
                var removed = await Ideas(stores).RemoveVoteAsync(tenant, key.Item1, key.Item2, default);
                if (removed != model.Remove(key))
                {
                    failures.Add($"step {step}: remove returned {removed}");
                }
            }
            else
            {
                var vote = new IdeaVote(tenant, key.Item1, key.Item2, random.Next(2) == 0 ? IdeaVoteValue.For : IdeaVoteValue.Against, Clock.GetCurrentInstant());
                await Ideas(stores).SetVoteAsync(vote, default);
                model[key] = vote;
            }

            foreach (var idea in ideas)
            {
                var stored = await Ideas(stores).PageVotesAsync(tenant, idea, null, 10, default);
                var expected = model.Where(p => p.Key.Item1 == idea).Select(p => p.Value).OrderBy(v => v.Customer).ToList();
                if (!stored.SequenceEqual(expected))
                {
                    failures.Add($"step {step}: idea {idea} holds {stored.Count} votes, the model {expected.Count}");
                }
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>Nothing of one tenant is visible from another.</summary>
    [Fact]
    public virtual async Task Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var (one, other) = (NewTenant(), NewTenant());
        var idea = Idea.Propose(one, IdeaId.New(), "Only for one", null, SubjectArea.Store, Clock.GetCurrentInstant());
        await Ideas(stores).SaveAsync(idea, 0, default);
        var voter = CustomerId.New();
        await Ideas(stores).SetVoteAsync(new IdeaVote(one, idea.Id, voter, IdeaVoteValue.For, Clock.GetCurrentInstant()), default);

        Assert.Null(await Ideas(stores).FindAsync(other, idea.Id, default));
        Assert.Null(await Ideas(stores).FindVoteAsync(other, idea.Id, voter, default));
        Assert.False(await Ideas(stores).RemoveVoteAsync(other, idea.Id, voter, default));
        await Ideas(stores).SaveAsync(Idea.Propose(other, idea.Id, "Same id, other tenant", null, SubjectArea.Store, Clock.GetCurrentInstant()), 0, default);
        Assert.Equal("Only for one", (await Ideas(stores).FindAsync(one, idea.Id, default))!.Title);
        Assert.NotNull(await Ideas(stores).FindVoteAsync(one, idea.Id, voter, default));
    }

    /// <summary>The service over the stores: an idea ingested twice is one record, one touchpoint and one idea; votes, comments and the workflow persist; participants are gathered.</summary>
    [Fact]
    public virtual async Task Service_IngestsVotesAndMovesIdeas()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var touchpoints = stores.Touchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Touchpoints for the idea kit.");
        var repository = Repository(stores);
        var (author, voter, commenter) = (NewCustomer(tenant), NewCustomer(tenant), NewCustomer(tenant));
        foreach (var customer in new[] { author, voter, commenter })
        {
            await repository.SaveAsync(customer, default);
        }

        var service = new InnovationService(Ideas(stores), repository, new TouchpointIngestion(touchpoints, Clock), Clock);
        var details = new NewCustomerVoice
        {
            CustomerId = author.Id,
            Kind = VoiceKind.Idea,
            Subject = SubjectArea.Product,
            Channel = new ChannelId("web"),
            OccurredAt = Start,
            Source = new ExternalIdentifier("ideas-portal", "42"),
            Title = "Dark mode",
        };

        var voice = await service.IngestAsync(tenant, details);
        var again = await service.IngestAsync(tenant, details);
        await service.VoteAsync(tenant, voice.Idea!.Value, voter.Id, IdeaVoteValue.For);
        await service.CommentAsync(tenant, voice.Idea.Value, commenter.Id, "and a high-contrast one");
        await service.MoveAsync(tenant, voice.Idea.Value, IdeaStatus.UnderReview, "triage");

        Assert.Equal(voice.Id, again.Id);
        var timeline = await touchpoints.PageTimelineAsync(tenant, new TimelineFilter([author.Id]), null, 10, default);
        Assert.Equal(voice.Id, Assert.Single(timeline).Id);
        Assert.Equal((CrmFunction.Innovation, TouchpointKind.Idea), (timeline[0].Function, timeline[0].Kind));
        var idea = (await service.FindAsync(tenant, voice.Idea.Value))!;
        Assert.Equal((IdeaStatus.UnderReview, IdeaOrigin.Customer, (CustomerId?)author.Id, 3), (idea.Status, idea.Origin, idea.SubmittedBy, idea.Version));
        Assert.Single((await Ideas(stores).PageAsync(tenant, null, 10, default)));
        Assert.Equal(new[] { author.Id, voter.Id, commenter.Id }.Order(), await service.GatherParticipantsAsync(tenant, idea.Id));
    }

    /// <summary>Asserts two ideas hold the same state.</summary>
    protected static void AssertSame(Idea expected, Idea? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            (expected.TenantId, expected.Id, expected.Title, expected.Description, expected.Subject, expected.Origin, expected.SubmittedBy, expected.SubmittedAt, expected.Status, expected.Version, expected.MergedInto),
            (actual.TenantId, actual.Id, actual.Title, actual.Description, actual.Subject, actual.Origin, actual.SubmittedBy, actual.SubmittedAt, actual.Status, actual.Version, actual.MergedInto));
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(expected.Comments, actual.Comments);
    }

    /// <summary>Asserts two voice records hold the same state.</summary>
    protected static void AssertSameVoice(CustomerVoice expected, CustomerVoice? actual)
    {
        Assert.NotNull(actual);
        Assert.True(expected.HasSameContent(actual), "the voice record's content differs");
        Assert.Equal((expected.Id, expected.RecordedAt, expected.Idea), (actual.Id, actual.RecordedAt, actual.Idea));
    }

    private (CustomerVoice Voice, Idea Idea) IdeaVoice(TenantId tenant, string key, string title = "Click and collect")
    {
        var customer = CustomerId.New();
        var ideaId = IdeaId.New();
        var details = new NewCustomerVoice
        {
            CustomerId = customer,
            Kind = VoiceKind.Idea,
            Subject = SubjectArea.Store,
            Channel = new ChannelId("web"),
            OccurredAt = Start,
            Source = new ExternalIdentifier("portal", key),
            Title = title,
            Text = "Pick up in store",
            RelatedParties = [CustomerId.New()],
        };
        var voice = CustomerVoice.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), details, ideaId);
        return (voice, Idea.Submit(tenant, ideaId, customer, voice.Title, voice.Text, voice.Subject, voice.OccurredAt));
    }
}
