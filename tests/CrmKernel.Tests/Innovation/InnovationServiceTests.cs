using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Channels;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Innovation.InnovationHarness;

namespace CrmKernel.Tests.Innovation;

/// <summary>What one generated participant does and whether they consented to be told.</summary>
public sealed record LoopParticipant(int Role, bool Consents)
{
    public override string ToString() => $"{(Role switch { 0 => "voter", 1 => "commenter", 2 => "trader", _ => "voter+commenter" })}{(Consents ? "" : " (no consent)")}";
}

/// <summary>A generated closed-loop scenario.</summary>
public sealed record LoopScenario(bool AuthorConsents, IReadOnlyList<LoopParticipant> Participants, bool Ship, int Runs, bool FailFirstSend)
{
    public override string ToString() => $"author {(AuthorConsents ? "consents" : "no consent")}; {string.Join(", ", Participants)}; {(Ship ? "shipped" : "declined")}; {Runs} runs{(FailFirstSend ? "; first send fails" : "")}";
}

public static class InnovationArbitraries
{
    public static Arbitrary<LoopScenario> Loop()
        => (from author in ArbMap.Default.GeneratorFor<bool>()
            from participants in Gen.Zip(Gen.Choose(0, 3), ArbMap.Default.GeneratorFor<bool>()).Select(p => new LoopParticipant(p.Item1, p.Item2)).ListOf().Select(l => l.Take(6).ToList())
            from ship in ArbMap.Default.GeneratorFor<bool>()
            from runs in Gen.Choose(1, 3)
            from fail in ArbMap.Default.GeneratorFor<bool>()
            select new LoopScenario(author, participants, ship, runs, fail)).ToArbitrary();

    /// <summary>Which field of an ingested voice record a re-delivery changes (0: none).</summary>
    public static Arbitrary<int> Field() => Gen.Choose(0, 8).ToArbitrary();

    /// <summary>A sequence of votes: (customer 0–2, value or withdraw).</summary>
    public static Arbitrary<(int Customer, int Value)[]> Votes()
        => Gen.Zip(Gen.Choose(0, 2), Gen.Choose(0, 2)).ListOf().Select(l => l.Take(15).ToArray()).ToArbitrary();
}

public sealed class InnovationServiceTests
{
    /// <summary>
    /// The closed loop: every participant (author, voters, commenters, a further source's traders) who consented is told
    /// exactly once however often the loop is run (and when the first send fails and is retried), nobody without consent
    /// receives anything, and each told participant's timeline holds the message with its outcome.
    /// </summary>
    [Property(Arbitrary = new[] { typeof(InnovationArbitraries) }, MaxTest = 60)]
    public void CloseTheLoop_TellsEveryConsentingParticipantExactlyOnce(LoopScenario scenario) => Run(async () =>
    {
        var traders = new FixedParticipants();
        await using var h = new InnovationHarness(traders);
        var author = await h.CustomerAsync(scenario.AuthorConsents);
        var voice = await h.Service.IngestAsync(Tenant, IdeaVoice(author.Id, "idea-1"));
        var idea = voice.Idea!.Value;
        var consenting = new HashSet<CustomerId>();
        var everyone = new HashSet<CustomerId> { author.Id };
        if (scenario.AuthorConsents)
        {
            consenting.Add(author.Id);
        }

        foreach (var p in scenario.Participants)
        {
            var customer = await h.CustomerAsync(p.Consents);
            everyone.Add(customer.Id);
            if (p.Consents)
            {
                consenting.Add(customer.Id);
            }

            if (p.Role is 0 or 3)
            {
                await h.Service.VoteAsync(Tenant, idea, customer.Id, IdeaVoteValue.For);
            }

            if (p.Role is 1 or 3)
            {
                await h.Service.CommentAsync(Tenant, idea, customer.Id, "Me too");
            }

            if (p.Role == 2)
            {
                traders.Customers.Add(customer.Id);
            }
        }

        var bystander = await h.CustomerAsync(consents: true);
        await h.Service.MoveAsync(Tenant, idea, IdeaStatus.UnderReview, "triage");
        if (scenario.Ship)
        {
            await h.Service.MoveAsync(Tenant, idea, IdeaStatus.Planned, "roadmap");
            await h.Service.MoveAsync(Tenant, idea, IdeaStatus.InProgress, "started");
            await h.Service.MoveAsync(Tenant, idea, IdeaStatus.Shipped, "released");
        }
        else
        {
            await h.Service.MoveAsync(Tenant, idea, IdeaStatus.Declined, "out of scope");
        }

        Assert.Equal(everyone.Order(), await h.Service.GatherParticipantsAsync(Tenant, idea));
        if (scenario.FailFirstSend)
        {
            h.Channel.FailNext(CrmKernel.Channels.DeliveryResult.Retryable("provider timeout"));
        }

        for (var run = 0; run < scenario.Runs + (scenario.FailFirstSend ? 1 : 0); run++)
        {
            var results = await h.Service.CloseTheLoopAsync(Tenant, idea, Email, CrmKernel.Consent.ConsentPurpose.Feedback, Content).ToListAsync();
            Assert.Equal(everyone.Order(), results.Select(r => r.CustomerId));
            Assert.All(results.Where(r => !consenting.Contains(r.CustomerId)), r => Assert.Equal(DispatchOutcome.Refused, r.Outcome));
        }

        var delivered = h.Channel.Delivered.GroupBy(m => m.CustomerId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(consenting.Order(), delivered.Keys.Order());
        Assert.All(delivered.Values, count => Assert.Equal(1, count));
        var outcome = scenario.Ship ? "shipped" : "declined";
        foreach (var customer in consenting)
        {
            var told = (await h.TimelineAsync(customer)).Where(t => t.Kind == CrmKernel.Services.Innovation.InnovationService.OutcomeNoticeKind && t.Outcome == TouchpointOutcome.Delivered).ToList();
            var touchpoint = Assert.Single(told);
            Assert.Equal(CrmFunction.Innovation, touchpoint.Function);
            Assert.Equal(CrmKernel.Services.Innovation.InnovationService.OutcomeKey(idea, outcome, customer), touchpoint.Source.Key);
        }

        foreach (var customer in everyone.Except(consenting))
        {
            Assert.DoesNotContain(await h.TimelineAsync(customer), t => t.Outcome == TouchpointOutcome.Delivered);
        }

        Assert.DoesNotContain(h.Channel.Calls, m => m.CustomerId == bystander.Id);
    });

    /// <summary>
    /// With nothing registered by hand, AddCrmKernel makes the traders of a prediction market on the idea participants:
    /// a customer who traded is told the outcome, one only granted points (who never traded) is not.
    /// </summary>
    [Fact]
    public async Task CloseTheLoop_TellsTheTradersOfTheIdeasMarkets_WithoutRegisteringAnything()
    {
        await using var h = new InnovationHarness();
        var author = await h.CustomerAsync();
        var trader = await h.CustomerAsync();
        var onlyGranted = await h.CustomerAsync();
        var idea = (await h.Service.IngestAsync(Tenant, IdeaVoice(author.Id, "idea-traded"))).Idea!.Value;
        var markets = h.Get<CrmKernel.Services.Innovation.PredictionMarketService>();
        var market = await markets.OpenAsync(Tenant, idea, "Adopted by 20% within 90 days?", ["yes", "no"], 10m);
        await markets.GrantAsync(Tenant, market.Id, trader.Id, 100m);
        await markets.GrantAsync(Tenant, market.Id, onlyGranted.Id, 100m);
        await markets.TradeAsync(Tenant, market.Id, trader.Id, 0, 5m, "t-1");
        await h.Service.MoveAsync(Tenant, idea, IdeaStatus.Declined, "out of scope");

        Assert.Equal(new[] { author.Id, trader.Id }.Order(), await h.Service.GatherParticipantsAsync(Tenant, idea));
        var results = await h.Service.CloseTheLoopAsync(Tenant, idea, Email, CrmKernel.Consent.ConsentPurpose.Feedback, Content).ToListAsync();

        Assert.Contains(results, r => r.CustomerId == trader.Id && r.Outcome == DispatchOutcome.Sent);
        Assert.DoesNotContain(h.Channel.Calls, m => m.CustomerId == onlyGranted.Id);
    }

    /// <summary>
    /// Erasing a customer withdraws her votes on every idea (AddCrmKernel registers the participant); another customer's
    /// votes stay, and erasing her again changes nothing more.
    /// </summary>
    [Fact]
    public async Task Erasure_WithdrawsTheCustomersVotes_OnEveryIdea_AndKeepsOthersVotes()
    {
        await using var h = new InnovationHarness();
        var erased = await h.CustomerAsync();
        var other = await h.CustomerAsync();
        var first = (await h.Service.IngestAsync(Tenant, IdeaVoice(other.Id, "idea-a"))).Idea!.Value;
        var second = (await h.Service.IngestAsync(Tenant, IdeaVoice(other.Id, "idea-b"))).Idea!.Value;
        foreach (var idea in new[] { first, second })
        {
            await h.Service.VoteAsync(Tenant, idea, erased.Id, IdeaVoteValue.For);
            await h.Service.VoteAsync(Tenant, idea, other.Id, IdeaVoteValue.Against);
        }

        var erasure = h.Get<CrmKernel.Services.Privacy.ErasureService>();
        await erasure.EraseAsync(Tenant, erased.Id, "privacy-desk");
        await erasure.EraseAsync(Tenant, erased.Id, "privacy-desk");

        foreach (var idea in new[] { first, second })
        {
            Assert.Null(await h.Ideas.FindVoteAsync(Tenant, idea, erased.Id, default));
            Assert.Equal(IdeaVoteValue.Against, (await h.Ideas.FindVoteAsync(Tenant, idea, other.Id, default))!.Value);
        }
    }

    [Fact]
    public async Task CloseTheLoop_BeforeTheIdeaIsShippedOrDeclined_IsRefused()
    {
        await using var h = new InnovationHarness();
        var author = await h.CustomerAsync();
        var voice = await h.Service.IngestAsync(Tenant, IdeaVoice(author.Id, "idea-1"));
        await h.Service.MergeAsync(Tenant, (await h.Service.ProposeAsync(Tenant, "Other", null, SubjectArea.Product)).Id, voice.Idea!.Value, "same");

        var e = await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.CloseTheLoopAsync(Tenant, voice.Idea!.Value, Email, CrmKernel.Consent.ConsentPurpose.Feedback, Content).ToListAsync());

        Assert.Equal(CrmErrorCodes.IdeaNotDecided, e.ErrorCode);
        Assert.Empty(h.Channel.Calls);
    }

    /// <summary>Re-delivering an ingested record with the same content is one record, one touchpoint and one idea; changing any one field is a conflict naming the key, and records nothing.</summary>
    [Property(Arbitrary = new[] { typeof(InnovationArbitraries) }, MaxTest = 40)]
    public void Ingest_IsIdempotentBySourceKey_AndAChangedFieldConflicts(int field) => Run(async () =>
    {
        await using var h = new InnovationHarness();
        var customer = await h.CustomerAsync();
        var related = await h.CustomerAsync();
        var about = await h.Service.ProposeAsync(Tenant, "Proposal", null, SubjectArea.Product);
        var first = Feedback(customer.Id, "fb-1", about.Id, related.Id);
        var stored = await h.Service.IngestAsync(Tenant, first);
        var other = await h.CustomerAsync();
        var second = field switch
        {
            0 => Feedback(customer.Id, "fb-1", about.Id, related.Id),
            1 => With(first, customerId: other.Id),
            2 => With(first, subject: SubjectArea.Billing),
            3 => With(first, channel: new ChannelId("phone")),
            4 => With(first, occurredAt: first.OccurredAt + Duration.FromSeconds(1)),
            5 => With(first, title: "Another title"),
            6 => With(first, text: "Another text"),
            7 => With(first, related: []),
            _ => With(first, keepAbout: false),
        };

        if (field == 0)
        {
            var again = await h.Service.IngestAsync(Tenant, second);
            Assert.Equal((stored.Id, stored.RecordedAt), (again.Id, again.RecordedAt));
        }
        else
        {
            var e = await Assert.ThrowsAsync<CustomerVoiceConflictException>(async () => await h.Service.IngestAsync(Tenant, second));
            Assert.Equal(CrmErrorCodes.IdeaVoiceConflict, e.ErrorCode);
            Assert.Contains("survey:fb-1", e.Message, StringComparison.Ordinal);
        }

        Assert.Single(await h.Ideas.PageVoicesAsync(Tenant, null, 10, default));
        Assert.Single(await h.TimelineAsync(customer.Id));
        Assert.Empty(await h.TimelineAsync(other.Id));
        Assert.Single(await h.Ideas.PageAsync(Tenant, null, 10, default));
    });

    [Fact]
    public async Task Ingest_AnIdea_SubmitsIt_AsAnInnovationTouchpoint_OnTheCustomersTimeline()
    {
        await using var h = new InnovationHarness();
        var customer = await h.CustomerAsync();

        var voice = await h.Service.IngestAsync(Tenant, IdeaVoice(customer.Id, "idea-7"));
        var again = await h.Service.IngestAsync(Tenant, IdeaVoice(customer.Id, "idea-7"));

        Assert.Equal(voice.Idea, again.Idea);
        var idea = await h.Service.FindAsync(Tenant, voice.Idea!.Value);
        Assert.Equal((IdeaStatus.Submitted, (CustomerId?)customer.Id, "Dark mode", SubjectArea.Website, voice.OccurredAt), (idea!.Status, idea.SubmittedBy, idea.Title, idea.Subject, idea.SubmittedAt));
        var touchpoint = Assert.Single(await h.TimelineAsync(customer.Id));
        Assert.Equal((voice.Id, CrmFunction.Innovation, TouchpointKind.Idea, InteractionDirection.Inbound, voice.Source), (touchpoint.Id, touchpoint.Function, touchpoint.Kind, touchpoint.Direction, touchpoint.Source));
        Assert.Single(await h.Ideas.PageAsync(Tenant, null, 10, default));
    }

    [Fact]
    public async Task Ingest_RefusesAnUnknownCustomerOrIdea_AndATouchpointKeyTakenByOtherContent()
    {
        await using var h = new InnovationHarness();
        var customer = await h.CustomerAsync();

        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await h.Service.IngestAsync(Tenant, IdeaVoice(CustomerId.New(), "x")));
        var e = await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.IngestAsync(Tenant, Feedback(customer.Id, "y", IdeaId.New(), null)));
        Assert.Equal(CrmErrorCodes.IdeaNotFound, e.ErrorCode);
        await h.Touchpoints.AppendAsync(Tenant, [Touchpoint.Create(Tenant, TouchpointId.New(), Noon, new NewTouchpoint { CustomerId = customer.Id, Channel = new ChannelId("web"), Direction = InteractionDirection.Inbound, Function = CrmFunction.Sales, Kind = TouchpointKind.Purchase, OccurredAt = Noon, Source = new ExternalIdentifier("portal", "taken") })], default);
        await Assert.ThrowsAsync<CustomerVoiceConflictException>(async () => await h.Service.IngestAsync(Tenant, IdeaVoice(customer.Id, "taken")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await h.Service.IngestAsync(default, IdeaVoice(customer.Id, "z")));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await h.Service.IngestAsync(Tenant, null!));
        Assert.Empty(await h.Ideas.PageVoicesAsync(Tenant, null, 10, default));
        Assert.Empty(await h.Ideas.PageAsync(Tenant, null, 10, default));
    }

    /// <summary>Whatever sequence of votes, changes and withdrawals customers make, each has at most one vote per idea: the last one, or none after a withdrawal.</summary>
    [Property(Arbitrary = new[] { typeof(InnovationArbitraries) }, MaxTest = 50)]
    public void Votes_AreOnePerCustomer_TheLastOneCounting((int Customer, int Value)[] votes) => Run(async () =>
    {
        await using var h = new InnovationHarness();
        var customers = new[] { await h.CustomerAsync(), await h.CustomerAsync(), await h.CustomerAsync() };
        var idea = await h.Service.ProposeAsync(Tenant, "Vote on me", null, SubjectArea.Service);
        var model = new Dictionary<CustomerId, IdeaVoteValue>();
        foreach (var (c, v) in votes)
        {
            var customer = customers[c].Id;
            if (v == 0)
            {
                Assert.Equal(model.Remove(customer), await h.Service.WithdrawVoteAsync(Tenant, idea.Id, customer));
            }
            else
            {
                var value = v == 1 ? IdeaVoteValue.For : IdeaVoteValue.Against;
                await h.Service.VoteAsync(Tenant, idea.Id, customer, value);
                model[customer] = value;
            }
        }

        var stored = await h.Ideas.PageVotesAsync(Tenant, idea.Id, null, 100, default);
        Assert.Equal(model.Keys.Order(), stored.Select(s => s.Customer));
        Assert.Equal(stored.Select(s => model[s.Customer]), stored.Select(s => s.Value));
    });

    [Fact]
    public async Task Votes_AndComments_OnAClosedOrUnknownIdea_OrByAnUnknownCustomer_AreRefused()
    {
        await using var h = new InnovationHarness();
        var customer = await h.CustomerAsync();
        var idea = await h.Service.ProposeAsync(Tenant, "Close me", null, SubjectArea.Store);
        await h.Service.VoteAsync(Tenant, idea.Id, customer.Id, IdeaVoteValue.For);
        await h.Service.MoveAsync(Tenant, idea.Id, IdeaStatus.Declined, "no");

        Assert.Equal(CrmErrorCodes.IdeaClosed, (await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.VoteAsync(Tenant, idea.Id, customer.Id, IdeaVoteValue.Against))).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaClosed, (await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.WithdrawVoteAsync(Tenant, idea.Id, customer.Id))).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaClosed, (await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.CommentAsync(Tenant, idea.Id, null, "late"))).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaNotFound, (await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.VoteAsync(Tenant, IdeaId.New(), customer.Id, IdeaVoteValue.For))).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaNotFound, (await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.MoveAsync(Tenant, IdeaId.New(), IdeaStatus.UnderReview, "x"))).ErrorCode);
        var open = await h.Service.ProposeAsync(Tenant, "Open", null, SubjectArea.Store);
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await h.Service.VoteAsync(Tenant, open.Id, CustomerId.New(), IdeaVoteValue.For));
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await h.Service.CommentAsync(Tenant, open.Id, CustomerId.New(), "who?"));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await h.Service.VoteAsync(Tenant, open.Id, customer.Id, (IdeaVoteValue)7));
        Assert.Equal(IdeaVoteValue.For, (await h.Ideas.FindVoteAsync(Tenant, idea.Id, customer.Id, default))!.Value);
        Assert.Equal(1, (await h.Service.FindAsync(Tenant, open.Id))!.Version);
    }

    [Fact]
    public async Task Merge_IntoAClosedOrUnknownIdea_IsRefused_AndIntoAnOpenOne_Recorded()
    {
        await using var h = new InnovationHarness();
        var (a, b, c) = (await h.Service.ProposeAsync(Tenant, "A", null, SubjectArea.Store), await h.Service.ProposeAsync(Tenant, "B", null, SubjectArea.Store), await h.Service.ProposeAsync(Tenant, "C", null, SubjectArea.Store));
        await h.Service.MoveAsync(Tenant, c.Id, IdeaStatus.Declined, "no");

        Assert.Equal(CrmErrorCodes.IdeaMergeTargetClosed, (await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.MergeAsync(Tenant, a.Id, c.Id, "dup"))).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaNotFound, (await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.MergeAsync(Tenant, a.Id, IdeaId.New(), "dup"))).ErrorCode);
        Assert.Equal(CrmErrorCodes.IdeaMergeIntoItself, (await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.MergeAsync(Tenant, a.Id, a.Id, "dup"))).ErrorCode);
        var merged = await h.Service.MergeAsync(Tenant, a.Id, b.Id, "same as B");

        Assert.Equal((IdeaStatus.Merged, (IdeaId?)b.Id), (merged.Status, merged.MergedInto));
        Assert.Equal(IdeaStatus.Merged, (await h.Service.FindAsync(Tenant, a.Id))!.Status);
    }

    [Fact]
    public async Task Move_FromAStaleRead_Conflicts()
    {
        await using var h = new InnovationHarness();
        var idea = await h.Service.ProposeAsync(Tenant, "Race", null, SubjectArea.Store);
        var stale = (await h.Ideas.FindAsync(Tenant, idea.Id, default))!;
        await h.Service.MoveAsync(Tenant, idea.Id, IdeaStatus.UnderReview, "first");
        stale.MoveTo(IdeaStatus.Declined, "second", h.Clock.GetCurrentInstant());

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await h.Ideas.SaveAsync(stale, 1, default));
        Assert.Equal(IdeaStatus.UnderReview, (await h.Service.FindAsync(Tenant, idea.Id))!.Status);
    }

    [Fact]
    public async Task AskToVote_SendsOneCampaignToTheSegment_ConsentChecked_AndNotTwice()
    {
        await using var h = new InnovationHarness();
        var (yes, no) = (await h.CustomerAsync(consents: true), await h.CustomerAsync(consents: false));
        var yesMarketing = await h.Customers.GetAsync(Tenant, yes.Id);
        yesMarketing.GrantConsent(CrmKernel.Consent.ConsentPurpose.Marketing, Email, yesMarketing.ContactPoints[0].Value, "form");
        await h.Customers.SaveAsync(yesMarketing);
        var idea = await h.Service.ProposeAsync(Tenant, "Vote on the new logo", null, SubjectArea.MarketingCommunication);
        var audience = new SegmentSnapshot(Tenant, new SegmentId("panel"), 1, Noon, Noon, [yes.Id, no.Id]);

        var first = await h.Service.AskToVoteAsync(audience, idea.Id, Email, CrmKernel.Consent.ConsentPurpose.Marketing, new("Please vote")).ToListAsync();
        var second = await h.Service.AskToVoteAsync(audience, idea.Id, Email, CrmKernel.Consent.ConsentPurpose.Marketing, new("Please vote")).ToListAsync();

        Assert.Equal(DispatchOutcome.Sent, first.Single(r => r.CustomerId == yes.Id).Outcome);
        Assert.Equal(DispatchOutcome.Refused, first.Single(r => r.CustomerId == no.Id).Outcome);
        Assert.Equal(DispatchOutcome.AlreadySent, second.Single(r => r.CustomerId == yes.Id).Outcome);
        var sent = Assert.Single(h.Channel.Delivered);
        Assert.Equal(CrmKernel.Services.Innovation.InnovationService.AskToVoteCampaignPrefix + idea.Id, sent.CampaignId);
        await h.Service.MoveAsync(Tenant, idea.Id, IdeaStatus.Declined, "no");
        await Assert.ThrowsAsync<InnovationRuleException>(async () => await h.Service.AskToVoteAsync(audience, idea.Id, Email, CrmKernel.Consent.ConsentPurpose.Marketing, new("Please vote")).ToListAsync());
    }

    private static NewCustomerVoice IdeaVoice(CustomerId customer, string key) => new()
    {
        CustomerId = customer,
        Kind = VoiceKind.Idea,
        Subject = SubjectArea.Website,
        Channel = new ChannelId("web"),
        OccurredAt = Noon - Duration.FromHours(1),
        Source = new ExternalIdentifier("portal", key),
        Title = "Dark mode",
        Text = "Please add a dark mode.",
    };

    private static NewCustomerVoice Feedback(CustomerId customer, string key, IdeaId? about, CustomerId? related) => new()
    {
        CustomerId = customer,
        Kind = VoiceKind.Feedback,
        Subject = SubjectArea.Service,
        Channel = new ChannelId("email"),
        OccurredAt = Noon - Duration.FromHours(2),
        Source = new ExternalIdentifier("survey", key),
        Title = "Helpful staff",
        Text = "The store staff helped a lot.",
        RelatedParties = related is { } r ? [r] : [],
        AboutIdea = about,
    };

    private static NewCustomerVoice With(NewCustomerVoice v, CustomerId? customerId = null, SubjectArea? subject = null, ChannelId? channel = null, Instant? occurredAt = null, string? title = null, string? text = null, IReadOnlyList<CustomerId>? related = null, IdeaId? about = default, bool keepAbout = true) => new()
    {
        CustomerId = customerId ?? v.CustomerId,
        Kind = v.Kind,
        Subject = subject ?? v.Subject,
        Channel = channel ?? v.Channel,
        OccurredAt = occurredAt ?? v.OccurredAt,
        Source = v.Source,
        Title = title ?? v.Title,
        Text = text ?? v.Text,
        RelatedParties = related ?? v.RelatedParties,
        AboutIdea = about ?? (keepAbout ? v.AboutIdea : null),
    };

    private static void Run(Func<Task> body) => Task.Run(body).GetAwaiter().GetResult();
}
