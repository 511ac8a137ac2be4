using System.Globalization;
using System.Reflection;
using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Metrics.Rendering;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Sales;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Import;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing.Channels;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Diagnostics;

/// <summary>
/// Every documented limit (docs/limits.md), checked at the limit (accepted) and one past it (refused as documented), and
/// a reflection check that no public <c>Max*</c> constant of the public API is missing from this table or from the page.
/// </summary>
public sealed class InputLimitTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 3, 1, 9, 0);
    private static readonly TenantId Tenant = new("limits");

    /// <summary>How a value one past the limit is refused.</summary>
    public enum Refusal
    {
        /// <summary><see cref="InputLimitExceededException"/>, <c>CRM-INPUT-001</c>, naming the parameter.</summary>
        InputLimit,

        /// <summary>A <see cref="CrmException"/> with the row's business code (an aggregate count rule).</summary>
        BusinessRule,

        /// <summary>Parse throws <see cref="FormatException"/> (and TryParse returns false): the text is not a value of the type.</summary>
        Format,

        /// <summary>Not refused: cut to the limit (a channel's free-text reason).</summary>
        Truncated,

        /// <summary>A numeric range, not a length or a count: <see cref="ArgumentOutOfRangeException"/>.</summary>
        Range,
    }

    /// <summary>One limit: its constant, how a value of size n is used, and how one past the limit is refused.</summary>
    public sealed record Limit(string Constant, int Value, Refusal Refusal, string? Parameter, Action<int> Use, string? Code = null)
    {
        public override string ToString() => Constant;
    }

    /// <summary>Constants named Max… that are not limits on input: excluded from the table, listed on the page.</summary>
    private static readonly Dictionary<string, string> NotInputLimits = new(StringComparer.Ordinal)
    {
        ["LifecycleService.MaxAttempts"] = "how often a lost concurrency race is retried",
        ["OpportunityService.MaxAttempts"] = "how often a lost concurrency race is retried",
        ["CaseService.MaxAttempts"] = "how often a lost concurrency race is retried",
        ["PredictionMarketService.MaxAttempts"] = "how often a lost concurrency race is retried",
        ["PredictionMarket.MaxSpread"] = "how far apart two outcomes' quantities may be, in units of b (a market bound, CRM-MARKET-006)",
    };

    private static string S(int n, char c = 'a') => new(c, n);

    private static global::CrmKernel.Innovation.NewCustomerVoice Voice(string title = "t", string? text = null, IReadOnlyList<CustomerId>? related = null) => new()
    {
        CustomerId = CustomerId.New(),
        Kind = global::CrmKernel.Innovation.VoiceKind.Feedback,
        Subject = global::CrmKernel.Innovation.SubjectArea.Product,
        Channel = new ChannelId("web"),
        OccurredAt = At,
        Source = new ExternalIdentifier("web", "1"),
        Title = title,
        Text = text,
        RelatedParties = related ?? [],
    };

    private static IEnumerable<T> Many<T>(int n, Func<int, T> make) => Enumerable.Range(0, n).Select(make);

    /// <summary>
    /// Ascending customer ids made from their index, cheap enough for a limit of millions: a collection that knows its
    /// size, so a limit checked against the count is refused before anything is read.
    /// </summary>
    private sealed class AscendingCustomerIds(int count) : IReadOnlyCollection<CustomerId>
    {
        public int Count => count;

        public IEnumerator<CustomerId> GetEnumerator()
        {
            for (var i = 1; i <= count; i++)
            {
                yield return new CustomerId(new Guid(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static readonly Limit[] Table =
    [
        // Primitives
        new("TenantId.MaxLength", TenantId.MaxLength, Refusal.InputLimit, "value", n => _ = new TenantId(S(n))),
        new("ExternalIdentifier.MaxSourceLength", ExternalIdentifier.MaxSourceLength, Refusal.InputLimit, "source", n => _ = new ExternalIdentifier(S(n), "1")),
        new("ExternalIdentifier.MaxKeyLength", ExternalIdentifier.MaxKeyLength, Refusal.InputLimit, "key", n => _ = new ExternalIdentifier("erp", S(n))),

        // Contact points
        new("EmailAddress.MaxLength", EmailAddress.MaxLength, Refusal.Format, null, n => _ = EmailAddress.Parse(Email(n))),
        new("EmailAddress.MaxLocalPartLength", EmailAddress.MaxLocalPartLength, Refusal.Format, null, n => _ = EmailAddress.Parse(S(n) + "@example.com")),
        new("SocialHandle.MaxNetworkLength", SocialHandle.MaxNetworkLength, Refusal.InputLimit, "network", n => _ = SocialHandle.Create(S(n), "ann")),
        new("SocialHandle.MaxHandleLength", SocialHandle.MaxHandleLength, Refusal.InputLimit, "handle", n => _ = SocialHandle.Create("x", S(n))),
        new("PostalAddress.MaxStreetLines", PostalAddress.MaxStreetLines, Refusal.InputLimit, "streetLines", n => _ = PostalAddress.Create(Many(n, i => $"{i} Street"), "Town", null, null, "GB")),
        new("PostalAddress.MaxFieldLength", PostalAddress.MaxFieldLength, Refusal.InputLimit, "locality", n => _ = PostalAddress.Create(["1 Street"], S(n), null, null, "GB")),

        // Customers
        new("PartyProfile.MaxTextLength", PartyProfile.MaxTextLength, Refusal.InputLimit, "familyName", n => _ = new PersonProfile("Ann", S(n))),
        new("PersonProfile.MaxHonorificLength", PersonProfile.MaxHonorificLength, Refusal.InputLimit, "honorific", n => _ = new PersonProfile("Ann", "Lee", honorific: S(n))),
        new("PersonProfile.MaxLanguageTagLength", PersonProfile.MaxLanguageTagLength, Refusal.InputLimit, "preferredLanguage", n => _ = new PersonProfile("Ann", "Lee", preferredLanguage: LanguageTag(n))),
        new("OrganizationProfile.MaxWebsiteLength", OrganizationProfile.MaxWebsiteLength, Refusal.InputLimit, "website", n => _ = new OrganizationProfile("Acme", website: Website(n))),
        new("OrganizationProfile.MaxRegistrationLength", OrganizationProfile.MaxRegistrationLength, Refusal.InputLimit, "taxId", n => _ = new OrganizationProfile("Acme", taxId: S(n))),
        new("CustomerContactPoint.MaxLabelLength", CustomerContactPoint.MaxLabelLength, Refusal.InputLimit, "label", n => NewCustomer().AddContactPoint(EmailAddress.Parse("a@example.com"), S(n))),
        new("CustomerTag.MaxLength", CustomerTag.MaxLength, Refusal.InputLimit, "value", n => _ = new CustomerTag(S(n))),
        new("CustomAttributeValue.MaxTextLength", CustomAttributeValue.MaxTextLength, Refusal.InputLimit, "value", n => _ = CustomAttributeValue.FromText(S(n))),
        new("Customer.MaxAttributeNameLength", Customer.MaxAttributeNameLength, Refusal.InputLimit, "name", n => NewCustomer().SetCustomAttribute(S(n), CustomAttributeValue.FromText("v"))),
        new("Customer.MaxContactPoints", Customer.MaxContactPoints, Refusal.BusinessRule, null, n => Repeat(n, (c, i) => c.AddContactPoint(EmailAddress.Parse($"c{i}@example.com"))), CrmErrorCodes.CustomerLimitExceeded),
        new("Customer.MaxExternalIdentifiers", Customer.MaxExternalIdentifiers, Refusal.BusinessRule, null, n => Repeat(n, (c, i) => c.AddExternalIdentifier(new ExternalIdentifier("erp", $"{i}"))), CrmErrorCodes.CustomerLimitExceeded),
        new("Customer.MaxTags", Customer.MaxTags, Refusal.BusinessRule, null, n => Repeat(n, (c, i) => c.Tag(new CustomerTag($"t{i}"))), CrmErrorCodes.CustomerLimitExceeded),
        new("Customer.MaxCustomAttributes", Customer.MaxCustomAttributes, Refusal.BusinessRule, null, n => Repeat(n, (c, i) => c.SetCustomAttribute($"a{i}", CustomAttributeValue.FromText("v"))), CrmErrorCodes.CustomerLimitExceeded),
        new("Customer.MaxConsentEntries", Customer.MaxConsentEntries, Refusal.BusinessRule, null, n => Repeat(n, (c, i) => c.GrantConsent(new ConsentPurpose($"p{i}"), null, null, "web")), CrmErrorCodes.ConsentLedgerFull),

        // Consent
        new("ConsentPurpose.MaxLength", ConsentPurpose.MaxLength, Refusal.InputLimit, "value", n => _ = new ConsentPurpose(S(n))),
        new("ConsentEntry.MaxSourceLength", ConsentEntry.MaxSourceLength, Refusal.InputLimit, "source", n => NewCustomer().GrantConsent(new ConsentPurpose("news"), null, null, S(n))),
        new("ConsentEntry.MaxEvidenceLength", ConsentEntry.MaxEvidenceLength, Refusal.InputLimit, "evidence", n => NewCustomer().GrantConsent(new ConsentPurpose("news"), null, null, "web", S(n))),

        // Touchpoints
        new("ChannelId.MaxLength", ChannelId.MaxLength, Refusal.InputLimit, "value", n => _ = new ChannelId(S(n))),
        new("PredictionMarket.MaxOutcomes", global::CrmKernel.Innovation.PredictionMarket.MaxOutcomes, Refusal.InputLimit, "outcomes", n => _ = Market(Many(n, i => $"outcome {i}"))),
        new("PredictionMarket.MaxQuestionLength", global::CrmKernel.Innovation.PredictionMarket.MaxQuestionLength, Refusal.InputLimit, "question", n => _ = Market(["yes", "no"], S(n))),
        new("PredictionMarket.MaxOutcomeLabelLength", global::CrmKernel.Innovation.PredictionMarket.MaxOutcomeLabelLength, Refusal.InputLimit, "outcomes", n => _ = Market([S(n), "no"])),
        new("PredictionMarket.MaxTradeKeyLength", global::CrmKernel.Innovation.PredictionMarket.MaxTradeKeyLength, Refusal.InputLimit, "idempotencyKey", n => { var m = Market(["yes", "no"]); var c = CustomerId.New(); m.Grant(c, 10m, At); m.Trade(c, 0, 1m, S(n), At); }),
        new("PredictionMarket.MaxParticipants", global::CrmKernel.Innovation.PredictionMarket.MaxParticipants, Refusal.BusinessRule, null, n => { var m = Market(["yes", "no"]); for (var i = 0; i < n; i++) { m.Grant(CustomerId.New(), 1m, At); } }, CrmErrorCodes.MarketLimitExceeded),
        new("SegmentId.MaxLength", global::CrmKernel.Segments.SegmentId.MaxLength, Refusal.InputLimit, "value", n => _ = new global::CrmKernel.Segments.SegmentId(S(n))),
        new("SegmentSnapshot.MaxMembers", global::CrmKernel.Segments.SegmentSnapshot.MaxMembers, Refusal.InputLimit, "members", n => _ = new global::CrmKernel.Segments.SegmentSnapshot(Tenant, new global::CrmKernel.Segments.SegmentId("vip"), 1, At, At, new AscendingCustomerIds(n))),
        new("SegmentRule.MaxClauses", global::CrmKernel.Segments.SegmentRule.MaxClauses, Refusal.BusinessRule, null, n => _ = new global::CrmKernel.Segments.SegmentDefinition(new global::CrmKernel.Segments.SegmentId("big"), 1, "big", global::CrmKernel.Segments.SegmentRule.And(Many(n - 1, i => (global::CrmKernel.Segments.SegmentRule)new global::CrmKernel.Segments.HasTagRule(new CustomerTag($"t{i}")))), At), CrmErrorCodes.SegmentRuleTooLarge),
        new("SegmentRule.MaxDepth", global::CrmKernel.Segments.SegmentRule.MaxDepth, Refusal.BusinessRule, null, n => { global::CrmKernel.Segments.SegmentRule rule = new global::CrmKernel.Segments.HasTagRule(new CustomerTag("t")); for (var i = 1; i < n; i++) { rule = global::CrmKernel.Segments.SegmentRule.Not(rule); } _ = new global::CrmKernel.Segments.SegmentDefinition(new global::CrmKernel.Segments.SegmentId("deep"), 1, "deep", rule, At); }, CrmErrorCodes.SegmentRuleTooLarge),
        new("SegmentDefinition.MaxDisplayNameLength", global::CrmKernel.Segments.SegmentDefinition.MaxDisplayNameLength, Refusal.InputLimit, "displayName", n => _ = new global::CrmKernel.Segments.SegmentDefinition(new global::CrmKernel.Segments.SegmentId("s"), 1, S(n), new global::CrmKernel.Segments.HasTagRule(new CustomerTag("t")), At)),

        // Innovation
        new("SubjectArea.MaxLength", global::CrmKernel.Innovation.SubjectArea.MaxLength, Refusal.InputLimit, "value", n => _ = new global::CrmKernel.Innovation.SubjectArea(S(n))),
        new("Idea.MaxTitleLength", global::CrmKernel.Innovation.Idea.MaxTitleLength, Refusal.InputLimit, "title", n => _ = global::CrmKernel.Innovation.Idea.Propose(Tenant, IdeaId.New(), S(n), null, global::CrmKernel.Innovation.SubjectArea.Product, At)),
        new("Idea.MaxDescriptionLength", global::CrmKernel.Innovation.Idea.MaxDescriptionLength, Refusal.InputLimit, "description", n => _ = global::CrmKernel.Innovation.Idea.Propose(Tenant, IdeaId.New(), "t", S(n), global::CrmKernel.Innovation.SubjectArea.Product, At)),
        new("Idea.MaxComments", global::CrmKernel.Innovation.Idea.MaxComments, Refusal.InputLimit, "text", n => { var idea = global::CrmKernel.Innovation.Idea.Propose(Tenant, IdeaId.New(), "t", null, global::CrmKernel.Innovation.SubjectArea.Product, At); for (var i = 0; i < n; i++) { idea.Comment(null, "c", At); } }),
        new("IdeaStatusChange.MaxReasonLength", global::CrmKernel.Innovation.IdeaStatusChange.MaxReasonLength, Refusal.InputLimit, "reason", n => _ = new global::CrmKernel.Innovation.IdeaStatusChange(global::CrmKernel.Innovation.IdeaStatus.Submitted, global::CrmKernel.Innovation.IdeaStatus.Declined, At, S(n))),
        new("IdeaComment.MaxTextLength", global::CrmKernel.Innovation.IdeaComment.MaxTextLength, Refusal.InputLimit, "text", n => _ = new global::CrmKernel.Innovation.IdeaComment(null, S(n), At)),
        new("CustomerVoice.MaxTitleLength", global::CrmKernel.Innovation.CustomerVoice.MaxTitleLength, Refusal.InputLimit, "details.Title", n => _ = global::CrmKernel.Innovation.CustomerVoice.Create(Tenant, TouchpointId.New(), At, Voice(title: S(n)), null)),
        new("CustomerVoice.MaxTextLength", global::CrmKernel.Innovation.CustomerVoice.MaxTextLength, Refusal.InputLimit, "details.Text", n => _ = global::CrmKernel.Innovation.CustomerVoice.Create(Tenant, TouchpointId.New(), At, Voice(text: S(n)), null)),
        new("CustomerVoice.MaxRelatedParties", global::CrmKernel.Innovation.CustomerVoice.MaxRelatedParties, Refusal.InputLimit, "details.RelatedParties", n => _ = global::CrmKernel.Innovation.CustomerVoice.Create(Tenant, TouchpointId.New(), At, Voice(related: [.. Many(n, _ => CustomerId.New())]), null)),
        new("SegmentDefinition.MaxDescriptionLength", global::CrmKernel.Segments.SegmentDefinition.MaxDescriptionLength, Refusal.InputLimit, "description", n => _ = new global::CrmKernel.Segments.SegmentDefinition(new global::CrmKernel.Segments.SegmentId("s"), 1, "s", new global::CrmKernel.Segments.HasTagRule(new CustomerTag("t")), At, S(n))),
        new("AttributeRule.MaxValues", global::CrmKernel.Segments.AttributeRule.MaxValues, Refusal.InputLimit, "values", n => _ = global::CrmKernel.Segments.AttributeRule.In("tier", Many(n, i => CustomAttributeValue.FromNumber(i)))),
        new("LifecycleStageRule.MaxStages", global::CrmKernel.Segments.LifecycleStageRule.MaxStages, Refusal.InputLimit, "stages", n => _ = new global::CrmKernel.Segments.LifecycleStageRule(Many(n, i => new LifecycleStage($"s{i}")))),
        new("ScoreRule.MaxNameLength", global::CrmKernel.Segments.ScoreRule.MaxNameLength, Refusal.InputLimit, "score", n => _ = new global::CrmKernel.Segments.ScoreRule(S(n), global::CrmKernel.Segments.SegmentComparison.GreaterThan, 1m)),
        new("SegmentVocabulary.MaxAttributes", global::CrmKernel.Segments.SegmentVocabulary.MaxAttributes, Refusal.InputLimit, "attributes", n => _ = new global::CrmKernel.Segments.SegmentVocabulary(Many(n, i => KeyValuePair.Create($"a{i}", CustomAttributeType.Number)))),
        new("SegmentVocabulary.MaxScores", global::CrmKernel.Segments.SegmentVocabulary.MaxScores, Refusal.InputLimit, "scores", n => _ = new global::CrmKernel.Segments.SegmentVocabulary([], Many(n, i => $"s{i}"))),
        new("TouchpointKind.MaxLength", TouchpointKind.MaxLength, Refusal.InputLimit, "value", n => _ = new TouchpointKind(S(n))),
        new("TouchpointOutcome.MaxLength", TouchpointOutcome.MaxLength, Refusal.InputLimit, "value", n => _ = new TouchpointOutcome(S(n))),
        new("TouchpointParticipant.MaxUserIdLength", TouchpointParticipant.MaxUserIdLength, Refusal.InputLimit, "userId", n => _ = TouchpointParticipant.Staff(S(n), "agent")),
        new("TouchpointParticipant.MaxRoleLength", TouchpointParticipant.MaxRoleLength, Refusal.InputLimit, "role", n => _ = TouchpointParticipant.Customer(CustomerId.New(), S(n))),
        new("Touchpoint.MaxParticipants", Touchpoint.MaxParticipants, Refusal.InputLimit, "details.Participants", n => NewTouchpoint(participants: [.. Many(n, i => TouchpointParticipant.Staff($"u{i}", "agent"))])),
        new("Touchpoint.MaxProducts", Touchpoint.MaxProducts, Refusal.InputLimit, "details.ProductIds", n => NewTouchpoint(products: [.. Many(n, i => $"p{i}")])),
        new("Touchpoint.MaxReferenceLength", Touchpoint.MaxReferenceLength, Refusal.InputLimit, "details.CampaignId", n => NewTouchpoint(campaign: S(n))),

        // Lifecycle
        new("LifecycleStage.MaxLength", LifecycleStage.MaxLength, Refusal.InputLimit, "value", n => _ = new LifecycleStage(S(n))),
        new("LifecycleTrigger.MaxCommandLength", LifecycleTrigger.MaxCommandLength, Refusal.InputLimit, "command", n => _ = LifecycleTrigger.OnCommand(S(n))),
        new("LifecycleRule.MaxNameLength", LifecycleRule.MaxNameLength, Refusal.InputLimit, "name", n => new LifecycleModelBuilder(new LifecycleStage("a")).AddStage(new LifecycleStage("b")).AddRule(S(n), [new LifecycleStage("a")], new LifecycleStage("b"), LifecycleTrigger.OnCommand("go"))),
        new("LifecycleTransitionRecord.MaxTextLength", LifecycleTransitionRecord.MaxTextLength, Refusal.InputLimit, "reason", n => _ = LifecycleTransitionRecord.Create(new("a"), new("b"), At, "rule", LifecycleTriggerKind.Command, null, "go", S(n), "ann")),
        new("LifecycleFacts.MaxRecentPurchases", LifecycleFacts.MaxRecentPurchases, Refusal.InputLimit, "recentPurchases", n => _ = LifecycleFacts.Create(n, At, At, [.. Many(n, _ => At)], 0, null, null)),

        // Relationships
        new("RelationshipType.MaxIdLength", RelationshipType.MaxIdLength, Refusal.InputLimit, "id", n => _ = new RelationshipType(S(n), "employer", "employee", RelationshipCategory.Business)),
        new("RelationshipType.MaxRoleLength", RelationshipType.MaxRoleLength, Refusal.InputLimit, "reverseRole", n => _ = new RelationshipType("employment", "employer", S(n), RelationshipCategory.Business)),

        // Channels
        new("ChannelDescriptor.MaxDisplayNameLength", ChannelDescriptor.MaxDisplayNameLength, Refusal.InputLimit, "displayName", n => _ = new ChannelDescriptor(new ChannelId("sms"), S(n), ChannelCategory.Marketing, ChannelDirections.Outbound, ContactPointKind.Phone, Money.Of(0.01m, "EUR"))),
        new("OutboundMessage.MaxIdempotencyKeyLength", OutboundMessage.MaxIdempotencyKeyLength, Refusal.InputLimit, "dispatchKey", n => _ = new DispatchRequest(CustomerId.New(), new ChannelId("sms"), new ConsentPurpose("news"), CrmFunction.Marketing, new MessageContent("hi"), S(n))),
        new("MessageContent.MaxBodyLength", MessageContent.MaxBodyLength, Refusal.InputLimit, "body", n => _ = new MessageContent(S(n))),
        new("MessageContent.MaxSubjectLength", MessageContent.MaxSubjectLength, Refusal.InputLimit, "subject", n => _ = new MessageContent("hi", S(n))),
        new("DeliveryResult.MaxProviderMessageIdLength", DeliveryResult.MaxProviderMessageIdLength, Refusal.InputLimit, "providerMessageId", n => _ = DeliveryResult.Delivered(S(n))),
        new("DeliveryResult.MaxReasonLength", DeliveryResult.MaxReasonLength, Refusal.Truncated, null, n => Assert.Equal(Math.Min(n, DeliveryResult.MaxReasonLength), DeliveryResult.Permanent(S(n)).Reason!.Length)),
        new("ContactPolicy.MaxFrequencyCaps", ContactPolicy.MaxFrequencyCaps, Refusal.InputLimit, "frequencyCaps", n => _ = new ContactPolicy(DateTimeZone.Utc, null, Many(n, i => new FrequencyCap(new ChannelId($"c{i}"), 1, Duration.FromDays(1))))),
        new("ChannelDispatcher.MaxCampaignIdLength", ChannelDispatcher.MaxCampaignIdLength, Refusal.InputLimit, "campaignId", n => _ = Dispatcher().SendCampaignAsync(Tenant, S(n), new ChannelId("test-email"), new ConsentPurpose("news"), new MessageContent("hi"), [])),

        // Sales
        new("SalesPipeline.MaxNameLength", SalesPipeline.MaxNameLength, Refusal.InputLimit, "name", n => _ = Pipeline(S(n), 1)),
        new("SalesPipeline.MaxStages", SalesPipeline.MaxStages, Refusal.InputLimit, "stages", n => _ = Pipeline("Direct", n)),
        new("SalesStage.MaxKeyLength", SalesStage.MaxKeyLength, Refusal.InputLimit, "key", n => _ = new SalesStage(S(n), "Qualify", 0.1m, ForecastCategory.Pipeline)),
        new("SalesStage.MaxNameLength", SalesStage.MaxNameLength, Refusal.InputLimit, "name", n => _ = new SalesStage("qualify", S(n), 0.1m, ForecastCategory.Pipeline)),
        new("OpportunityLineItem.MaxProductIdLength", OpportunityLineItem.MaxProductIdLength, Refusal.InputLimit, "productId", n => _ = new OpportunityLineItem(1, S(n), 1m, Money.Of(1m, "EUR"), 0m)),
        new("OpportunityContactRole.MaxRoleLength", OpportunityContactRole.MaxRoleLength, Refusal.InputLimit, "role", n => _ = new OpportunityContactRole(CustomerId.New(), S(n))),
        new("OpportunityStageChange.MaxActorLength", OpportunityStageChange.MaxActorLength, Refusal.InputLimit, "actor", n => _ = new OpportunityStageChange(null, "s0", null, OpportunityStatus.Open, At, S(n), "new deal")),
        new("OpportunityStageChange.MaxReasonLength", OpportunityStageChange.MaxReasonLength, Refusal.InputLimit, "reason", n => _ = new OpportunityStageChange(null, "s0", null, OpportunityStatus.Open, At, "ann", S(n))),
        new("Opportunity.MaxNameLength", Opportunity.MaxNameLength, Refusal.InputLimit, "name", n => _ = NewDeal(name: S(n))),
        new("Opportunity.MaxOwnerLength", Opportunity.MaxOwnerLength, Refusal.InputLimit, "owner", n => _ = NewDeal(owner: S(n))),
        new("Opportunity.MaxLineItems", Opportunity.MaxLineItems, Refusal.BusinessRule, null, n => { var deal = NewDeal(); for (var i = 0; i < n; i++) { deal.AddLineItem($"p{i}", 1m, Money.Of(1m, "EUR"), 0m, At); } }, CrmErrorCodes.OpportunityLimitExceeded),
        new("Opportunity.MaxContactRoles", Opportunity.MaxContactRoles, Refusal.BusinessRule, null, n => { var deal = NewDeal(); for (var i = 0; i < n; i++) { deal.AddContactRole(new OpportunityContactRole(CustomerId.New(), "buyer"), At); } }, CrmErrorCodes.OpportunityLimitExceeded),
        new("Opportunity.MaxHistory", Opportunity.MaxHistory, Refusal.BusinessRule, null, n => { var pipeline = Pipeline("Direct", 2); var deal = NewDeal(pipeline); for (var i = 1; i < n; i++) { deal.MoveToStage(pipeline, $"s{i % 2}", At, "ann", "worked"); } }, CrmErrorCodes.OpportunityLimitExceeded),

        // Calendars and SLA policies
        new("BusinessCalendar.MaxIntervalsPerDay", BusinessCalendar.MaxIntervalsPerDay, Refusal.InputLimit, "hours", n => _ = new BusinessCalendar(DateTimeZone.Utc, Many(n, i => new WorkingHours(IsoDayOfWeek.Monday, LocalTime.FromMinutesSinceMidnight(i * 10), LocalTime.FromMinutesSinceMidnight((i * 10) + 5))), [])),
        new("BusinessCalendar.MaxHolidays", BusinessCalendar.MaxHolidays, Refusal.InputLimit, "holidays", n => _ = new BusinessCalendar(DateTimeZone.Utc, WorkingHours.AllDay(), Many(n, i => new LocalDate(2026, 1, 1).PlusDays(i)))),
        new("SlaPolicy.MaxNameLength", SlaPolicy.MaxNameLength, Refusal.InputLimit, "name", n => _ = Sla(S(n))),
        new("SlaPolicy.MaxPauses", SlaPolicy.MaxPauses, Refusal.InputLimit, "completedPauses", n => _ = Sla("standard").CreateClock(CasePriority.Normal, At, null, null, Many(n, i => new Interval(At + Duration.FromMinutes(i), At + Duration.FromMinutes(i))), null)),
        // Cases
        new("CaseStatusChange.MaxActorLength", CaseStatusChange.MaxActorLength, Refusal.InputLimit, "actor", n => _ = new CaseStatusChange(null, CaseStatus.New, At, S(n), "opened")),
        new("CaseStatusChange.MaxReasonLength", CaseStatusChange.MaxReasonLength, Refusal.InputLimit, "reason", n => _ = new CaseStatusChange(null, CaseStatus.New, At, "ann", S(n))),
        new("CaseResolution.MaxNoteLength", CaseResolution.MaxNoteLength, Refusal.InputLimit, "note", n => _ = new CaseResolution(At, S(n), null)),
        new("ServiceCase.MaxSubjectLength", ServiceCase.MaxSubjectLength, Refusal.InputLimit, "subject", n => _ = NewCase(subject: S(n))),
        new("ServiceCase.MaxCategoryLength", ServiceCase.MaxCategoryLength, Refusal.InputLimit, "category", n => _ = NewCase(category: S(n))),
        new("ServiceCase.MaxSlaPolicyLength", ServiceCase.MaxSlaPolicyLength, Refusal.InputLimit, "slaPolicy", n => _ = NewCase(slaPolicy: S(n))),
        new("ServiceCase.MaxOwnerLength", ServiceCase.MaxOwnerLength, Refusal.InputLimit, "owner", n => NewCase().Assign(S(n), At)),
        new("ServiceCase.MaxTouchpoints", ServiceCase.MaxTouchpoints, Refusal.BusinessRule, null, n => { var c = NewCase(); for (var i = 0; i < n; i++) { c.AttachTouchpoint(TouchpointId.New(), At); } }, CrmErrorCodes.CaseLimitExceeded),
        new("ServiceCase.MaxHistory", ServiceCase.MaxHistory, Refusal.BusinessRule, null, n => { var c = NewCase(); c.Start(At, "ann", "picked up"); for (var i = 2; i < n; i++) { _ = i % 2 == 0 ? c.WaitOnCustomer(At, "ann", "asked") : c.Resume(At, "ann", "answered"); } }, CrmErrorCodes.CaseLimitExceeded),
        new("ServiceCase.MaxEscalationLevel", ServiceCase.MaxEscalationLevel, Refusal.BusinessRule, null, n => { var c = NewCase(); for (var i = 0; i < n; i++) { c.Escalate(At, "ann", "stuck"); } }, CrmErrorCodes.CaseLimitExceeded),
        new("CaseServiceOptions.MaxSlaPolicies", global::CrmKernel.Services.Cases.CaseServiceOptions.MaxSlaPolicies, Refusal.InputLimit, "options", n => _ = new global::CrmKernel.Services.Cases.CaseService(new InMemoryCaseStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new global::CrmKernel.Services.Customers.CustomerRepository(new InMemoryCustomerStore(new InMemoryCrmOutbox()), SystemClock.Instance), new global::CrmKernel.Services.Ingestion.TouchpointIngestion(new InMemoryTouchpointStore(), SystemClock.Instance), SystemClock.Instance, new global::CrmKernel.Services.Cases.CaseServiceOptions { SlaPolicies = [.. Many(n, i => Sla($"p{i}"))] })),
        new("MatchRule.MaxFields", global::CrmKernel.Identity.MatchRule.MaxFields, Refusal.InputLimit, "fields", n => _ = new global::CrmKernel.Identity.MatchRule(Many(n, i => new global::CrmKernel.Identity.MatchField(new global::CrmKernel.Tests.Identity.MatchRuleTests.ConstantComparator($"f{i}", 1), 1, -1)), 1, 2)),
        new("DuplicateDetectionOptions.MaxKeyBuilders", global::CrmKernel.Services.Identity.DuplicateDetectionOptions.MaxKeyBuilders, Refusal.InputLimit, "options", n => _ = new global::CrmKernel.Services.Identity.DuplicateDetector(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new global::CrmKernel.Services.Identity.DuplicateDetectionOptions { KeyBuilders = [.. Many(n, _ => global::CrmKernel.Identity.MatchKeyBuilders.Email)] })),
        new("SurvivorshipPolicy.MaxTrustedSources", global::CrmKernel.Identity.SurvivorshipPolicy.MaxTrustedSources, Refusal.InputLimit, "trustedSources", n => _ = new global::CrmKernel.Identity.SurvivorshipPolicy(new Dictionary<global::CrmKernel.Identity.SurvivorshipField, global::CrmKernel.Identity.SurvivorshipRule>(), [.. Many(n, i => $"s{i}")])),
        new("Similarity.MaxComparedLength", global::CrmKernel.Identity.Similarity.MaxComparedLength, Refusal.Truncated, null, n => Assert.Equal(n >= global::CrmKernel.Identity.Similarity.MaxComparedLength, global::CrmKernel.Identity.Similarity.JaroWinkler(S(n) + "A", S(n) + "B") == 1.0)),

        // Storage
        new("TimelineFilter.MaxCustomers", TimelineFilter.MaxCustomers, Refusal.InputLimit, "customerIds", n => _ = new TimelineFilter(Many(n, _ => CustomerId.New()))),
        new("TimelineFilter.MaxFilterValues", TimelineFilter.MaxFilterValues, Refusal.InputLimit, "kinds", n => _ = new TimelineFilter([CustomerId.New()], kinds: Many(n, i => new TouchpointKind($"k{i}")))),
        new("ITouchpointScanStore.MaxCustomers", ITouchpointScanStore.MaxCustomers, Refusal.InputLimit, "customerIds", n => Sync(async () => { await foreach (var _ in new InMemoryTouchpointStore().StreamRowsByCustomerAsync(Tenant, [.. Many(n, _ => CustomerId.New())], null, default)) { } })),
        new("CustomerTimeline.MaxRelationshipTypes", CustomerTimeline.MaxRelationshipTypes, Refusal.InputLimit, "types", n => _ = Timeline().StreamWithRelatedAsync(Tenant, new TimelineFilter([CustomerId.New()]), At, [.. Many(n, i => new RelationshipType($"t{i}", "employer", "employee", RelationshipCategory.Business))])),
        new("StoreLimits.MaxPageSize", StoreLimits.MaxPageSize, Refusal.InputLimit, "limit", n => Sync(async () => await new InMemoryCustomerStore(new InMemoryCrmOutbox()).PageAsync(Tenant, null, n, default))),
        new("StoreLimits.MaxAppendBatch", StoreLimits.MaxAppendBatch, Refusal.InputLimit, "touchpoints", n => Sync(async () => await new InMemoryTouchpointStore().AppendAsync(Tenant, [.. Many(n, i => TouchpointFor($"s{i}"))], default))),
        new("StoreLimits.MaxImportBatch", StoreLimits.MaxImportBatch, Refusal.InputLimit, "batch", n => Sync(async () => await new InMemoryCustomerStore(new InMemoryCrmOutbox()).ImportAsync(Tenant, [.. Many(n, _ => CustomerCommit.Create(NewCustomer()))], default))),
        new("ImportRow.MaxColumns", ImportRow.MaxColumns, Refusal.InputLimit, "columnNames", n => _ = new ImportRow(1, [.. Many(n, i => $"c{i}")], [.. Many(n, _ => (string?)null)])),

        // Privacy
        new("ErasureRecord.MaxTextLength", global::CrmKernel.Privacy.ErasureRecord.MaxTextLength, Refusal.InputLimit, "requestedBy", n => _ = new global::CrmKernel.Privacy.ErasureRecord(Tenant, CustomerId.New(), At, 2, S(n), null, [])),
        new("ErasureRecord.MaxCategories", global::CrmKernel.Privacy.ErasureRecord.MaxCategories, Refusal.InputLimit, "counts", n => _ = new global::CrmKernel.Privacy.ErasureRecord(Tenant, CustomerId.New(), At, 2, "dpo", null, [.. Many(n, i => new global::CrmKernel.Privacy.ErasureCount($"c{i}", 1))])),
        new("ErasureCount.MaxCategoryLength", global::CrmKernel.Privacy.ErasureCount.MaxCategoryLength, Refusal.InputLimit, "category", n => _ = new global::CrmKernel.Privacy.ErasureCount(S(n), 1)),
        new("LawfulHold.MaxLength", global::CrmKernel.Privacy.LawfulHold.MaxLength, Refusal.InputLimit, "code", n => _ = new global::CrmKernel.Privacy.LawfulHold(S(n), "billing")),

        // Metrics
        new("MetricId.MaxLength", MetricId.MaxLength, Refusal.InputLimit, "value", n => _ = new MetricId(S(n))),
        new("LifetimeValueTerms.MaxPeriods", LifetimeValueTerms.MaxPeriods, Refusal.Range, "periods", n => _ = new LifetimeValueTerms(n, 1d, 0d, 0.5m)),
        new("FigureKey.MaxLength", FigureKey.MaxLength, Refusal.InputLimit, "value", n => _ = new FigureKey(S(n))),
        new("MetricDefinition.MaxNameLength", MetricDefinition.MaxNameLength, Refusal.InputLimit, "name", n => _ = Definition(name: S(n))),
        new("MetricDefinition.MaxTextLength", MetricDefinition.MaxTextLength, Refusal.InputLimit, "description", n => _ = Definition(description: S(n))),
        new("MetricFormula.MaxTextLength", MetricFormula.MaxTextLength, Refusal.InputLimit, "text", n => _ = MetricFormula.Figure(new FigureKey("orders"), S(n))),
        new("MetricFormula.MaxFigures", MetricFormula.MaxFigures, Refusal.InputLimit, "figures", n => _ = MetricFormula.Create("sum", Many(n, i => new FigureKey($"f{i}")), _ => MetricValue.Of(0m))),
        new("MetricRecordScope.MaxKinds", MetricRecordScope.MaxKinds, Refusal.InputLimit, "kinds", n => _ = MetricRecordScope.Touchpoints(Many(n, i => new TouchpointKind($"k{i}")))),
        new("MetricValue.MaxReasonLength", MetricValue.MaxReasonLength, Refusal.InputLimit, "reason", n => _ = MetricValue.None(S(n))),
        new("MetricValue.MaxBreakdownRows", MetricValue.MaxBreakdownRows, Refusal.InputLimit, "rows", n => _ = MetricValue.Of(1m).WithBreakdown([.. Many(n, i => new MetricBreakdownRow($"k{i}", MetricValue.Of(1m)))])),
        new("MetricBreakdownRow.MaxKeyLength", MetricBreakdownRow.MaxKeyLength, Refusal.InputLimit, "key", n => _ = new MetricBreakdownRow(S(n), MetricValue.Of(1m))),
        new("MetricEvaluator.MaxRecordSources", MetricEvaluator.MaxRecordSources, Refusal.InputLimit, "sources", n => _ = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new CrmKernel.ExchangeRates.FixedExchangeRateProvider([]), null, [.. Many(n, i => new NamedRecordSource($"source-{i}"))])),
        new("CaseMetricSource.MaxPolicies", CaseMetricSource.MaxPolicies, Refusal.InputLimit, "policies", n => _ = new CaseMetricSource(new InMemoryCaseStore(new InMemoryCrmOutbox()), Many(n, i => new SlaPolicy($"p{i}", new BusinessCalendar(DateTimeZone.Utc, WorkingHours.AllDay(), []), Enum.GetValues<CasePriority>().ToDictionary(p => p, _ => new SlaTargets(Duration.FromHours(1), Duration.FromHours(8))))))),
        new("ChannelCostModel.MaxChannels", global::CrmKernel.Metrics.Profitability.ChannelCostModel.MaxChannels, Refusal.InputLimit, "descriptors", n => _ = global::CrmKernel.Metrics.Profitability.ChannelCostModel.FromDescriptors(Currency.GBP, Many(n, i => new ChannelDescriptor(new ChannelId($"c{i}"), "C", ChannelCategory.Service, ChannelDirections.Both, ContactPointKind.Phone, Money.Of(1m, "GBP"))))),
        new("ChannelMixScenario.MaxMoves", global::CrmKernel.Metrics.Profitability.ChannelMixScenario.MaxMoves, Refusal.InputLimit, "moves", n => _ = new global::CrmKernel.Metrics.Profitability.ChannelMixScenario("s", Many(n, i => new global::CrmKernel.Metrics.Profitability.ChannelMove(new ChannelId($"from-{i}"), new ChannelId("web"), 0.5m)))),
        new("ChannelMixScenario.MaxNameLength", global::CrmKernel.Metrics.Profitability.ChannelMixScenario.MaxNameLength, Refusal.InputLimit, "name", n => _ = new global::CrmKernel.Metrics.Profitability.ChannelMixScenario(S(n), [])),
        new("ChannelProfitabilityRequest.MaxSegments", global::CrmKernel.Metrics.Profitability.ChannelProfitabilityRequest.MaxSegments, Refusal.InputLimit, "segments", n => _ = new global::CrmKernel.Metrics.Profitability.ChannelProfitabilityRequest(new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31)), DateTimeZone.Utc, Currency.GBP, new global::CrmKernel.Metrics.Profitability.ChannelCostModel(Currency.GBP), segments: Many(n, i => new global::CrmKernel.Segments.SegmentSnapshot(Tenant, new global::CrmKernel.Segments.SegmentId($"s{i}"), 1, At, At, [])))),
        new("WinBackRequest.MaxSegments", global::CrmKernel.Metrics.WinBack.WinBackRequest.MaxSegments, Refusal.InputLimit, "segments", n => _ = new global::CrmKernel.Metrics.WinBack.WinBackRequest(At, Many(n, i => new global::CrmKernel.Segments.SegmentSnapshot(Tenant, new global::CrmKernel.Segments.SegmentId($"s{i}"), 1, At, At, [])))),
        new("MetricInput.MaxSourceLength", MetricInput.MaxSourceLength, Refusal.InputLimit, "source", n => _ = MetricInput.Number(1m, S(n))),
        new("LifecycleFunnel.MaxNameLength", LifecycleFunnel.MaxNameLength, Refusal.InputLimit, "name", n => _ = new LifecycleFunnel(S(n), [new LifecycleStage("a"), new LifecycleStage("b")])),
        new("LifecycleFunnel.MaxStages", LifecycleFunnel.MaxStages, Refusal.InputLimit, "stages", n => _ = new LifecycleFunnel("f", [.. Many(n, i => new LifecycleStage($"s{i}"))])),
        new("DriverLink.MaxRationaleLength", DriverLink.MaxRationaleLength, Refusal.InputLimit, "rationale", n => _ = DriverLink.Cause(new MetricId("a"), new MetricId("b"), S(n))),
        new("MetricIdentity.MaxTextLength", MetricIdentity.MaxTextLength, Refusal.InputLimit, "text", n => _ = new MetricIdentity(new MetricId("p"), [new MetricId("c")], S(n), v => v[0])),
        new("MetricIdentity.MaxChildren", MetricIdentity.MaxChildren, Refusal.InputLimit, "children", n => _ = new MetricIdentity(new MetricId("p"), Many(n, i => new MetricId($"c{i}")), "p = sum", v => v.Sum())),
        new("AcquisitionRequest.MaxSegments", CrmKernel.Metrics.Acquisition.AcquisitionRequest.MaxSegments, Refusal.InputLimit, "Segments", n => _ = new CrmKernel.Metrics.Acquisition.AcquisitionRequest(new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31)), DateTimeZone.Utc, Currency.GBP) { Segments = [.. Many(n, i => new CrmKernel.Segments.SegmentSnapshot(Tenant, new CrmKernel.Segments.SegmentId($"s{i}"), 1, Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2026, 1, 1, 0, 0), []))] }),
        new("AcquisitionRequest.MaxTimeBuckets", CrmKernel.Metrics.Acquisition.AcquisitionRequest.MaxTimeBuckets, Refusal.InputLimit, "TimeBuckets", n => _ = new CrmKernel.Metrics.Acquisition.AcquisitionRequest(new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31)), DateTimeZone.Utc, Currency.GBP) { TimeBuckets = [.. Many(n, i => Duration.FromHours(i + 1))] }),
        new("Figure.MaxTitleLength", Figure.MaxTitleLength, Refusal.InputLimit, "title", n => _ = new Figure(S(n), "x", "y", [Series("s")])),
        new("Figure.MaxSeries", Figure.MaxSeries, Refusal.InputLimit, "series", n => _ = new Figure("t", "x", "y", Many(n, i => Series($"s{i}")))),
        new("Figure.MaxCategories", Figure.MaxCategories, Refusal.InputLimit, "categories", n => _ = new Figure("t", "x", "y", [Series("s")], Many(n, i => $"c{i}"))),
        new("Figure.MaxMarkers", Figure.MaxMarkers, Refusal.InputLimit, "markers", n => _ = new Figure("t", "x", "y", [Series("s")], markers: Many(n, i => new FigureMarker(i, "m")))),
    ];

    public static TheoryData<Limit> Limits() => [.. Table];

    [Theory]
    [MemberData(nameof(Limits))]
    public void ValueAtTheLimit_IsAccepted_AndOnePast_IsRefusedAsDocumented(Limit limit)
    {
        limit.Use(limit.Value);

        var past = limit.Value + 1;
        switch (limit.Refusal)
        {
            case Refusal.InputLimit:
                var e = Assert.Throws<InputLimitExceededException>(() => limit.Use(past));
                Assert.Equal(CrmErrorCodes.InputLimitExceeded, e.ErrorCode);
                Assert.Equal(limit.Parameter, e.ParamName);
                Assert.Equal(limit.Value, e.Limit);
                Assert.Equal(past, e.Actual);
                Assert.Contains(limit.Parameter!, e.Message, StringComparison.Ordinal);
                Assert.Contains($"{limit.Value}", e.Message, StringComparison.Ordinal);
                Assert.Contains($"{past}", e.Message, StringComparison.Ordinal);
                Assert.IsAssignableFrom<ArgumentException>(e);
                break;
            case Refusal.BusinessRule:
                Assert.Equal(limit.Code, Assert.IsAssignableFrom<CrmException>(Record.Exception(() => limit.Use(past))).ErrorCode);
                break;
            case Refusal.Format:
                Assert.Contains($"longer than {limit.Value}", Assert.Throws<FormatException>(() => limit.Use(past)).Message, StringComparison.Ordinal);
                break;
            case Refusal.Truncated:
                limit.Use(past);
                break;
            case Refusal.Range:
                Assert.Equal(limit.Parameter, Assert.Throws<ArgumentOutOfRangeException>(() => limit.Use(past)).ParamName);
                break;
        }
    }

    /// <summary>
    /// The places a limit is enforced besides the one its table row uses: at the limit accepted, one past refused with
    /// the code and that place's parameter.
    /// </summary>
    public static TheoryData<string, int, string, Action<int>> OtherEnforcements() => new()
    {
        { "LifecycleTransitionRecord.Create command", LifecycleTrigger.MaxCommandLength, "command", n => _ = LifecycleTransitionRecord.Create(new("a"), new("b"), At, "rule", LifecycleTriggerKind.Command, null, S(n), "why", "ann") },
        { "PendingDispatch lastReason", DeliveryResult.MaxReasonLength, "lastReason", n => _ = new PendingDispatch(Tenant, new DispatchRequest(CustomerId.New(), new ChannelId("sms"), new ConsentPurpose("news"), CrmFunction.Marketing, new MessageContent("hi"), "k1"), 1, At, S(n)) },
        { "Figure x axis", Figure.MaxTitleLength, "xAxisTitle", n => _ = new Figure("t", S(n), "y", [Series("s")]) },
        { "Figure y axis", Figure.MaxTitleLength, "yAxisTitle", n => _ = new Figure("t", "x", S(n), [Series("s")]) },
        { "Figure category label", Figure.MaxTitleLength, "categories", n => _ = new Figure("t", "x", "y", [Series("s")], [S(n)]) },
        { "FigureSeries name", Figure.MaxTitleLength, "name", n => _ = Series(S(n)) },
        { "FigureMarker label", Figure.MaxTitleLength, "label", n => _ = new FigureMarker(1d, S(n)) },
        { "MetricDefinition conventions", MetricDefinition.MaxTextLength, "conventions", n => _ = Definition(conventions: S(n)) },
        { "MetricDefinition source", MetricDefinition.MaxTextLength, "source", n => _ = Definition(source: S(n)) },
        { "MetricFormula.Ratio denominator", MetricValue.MaxReasonLength, "denominatorName", n => _ = MetricFormula.Ratio(new FigureKey("a"), new FigureKey("b"), "a / b", S(n)) },
        { "MetricValue.Ratio denominator", MetricValue.MaxReasonLength, "denominatorName", n => _ = MetricValue.Ratio(1m, 0m, S(n)) },
        { "MetricInput.Money source", MetricInput.MaxSourceLength, "source", n => _ = MetricInput.Money(Money.Of(1m, "EUR"), S(n)) },
    };

    [Theory]
    [MemberData(nameof(OtherEnforcements))]
    public void OtherPlacesOfALimit_AcceptItAndRefuseOnePast(string place, int limit, string parameter, Action<int> use)
    {
        use(limit);

        var e = Assert.Throws<InputLimitExceededException>(() => use(limit + 1));
        Assert.Equal(CrmErrorCodes.InputLimitExceeded, e.ErrorCode);
        Assert.Equal(parameter, e.ParamName);
        Assert.Equal(limit, e.Limit);
        Assert.Equal(limit + 1, e.Actual);
        Assert.False(string.IsNullOrEmpty(place));
    }

    [Fact]
    public void Message_NamesParameterLimitAndLength_NeverTheValue()
    {
        var secret = "Ada-Lovelace-" + S(300, 'z');

        var e = Assert.Throws<InputLimitExceededException>(() => new PersonProfile("Ann", secret));

        Assert.DoesNotContain("Ada", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("zzz", e.Message, StringComparison.Ordinal);
        Assert.Contains("familyName", e.Message, StringComparison.Ordinal);
        Assert.Contains("313", e.Message, StringComparison.Ordinal);
        Assert.Contains("200", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("CRM-INPUT-001", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPublicMaxConstant_IsInTheTable_AndOnTheLimitsPage()
    {
        var constants = new[] { typeof(Customer).Assembly, typeof(MetricId).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(f => f.IsLiteral && f.FieldType == typeof(int) && f.Name.StartsWith("Max", StringComparison.Ordinal))
                .Select(f => $"{t.Name}.{f.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "limits.md"));

        Assert.Empty(constants.Except(Table.Select(l => l.Constant)).Except(NotInputLimits.Keys).Order());
        Assert.Empty(Table.Select(l => l.Constant).Except(constants).Order());
        Assert.Empty(constants.Where(c => !page.Contains($"`{c}`", StringComparison.Ordinal)).Order());
        Assert.Equal(Table.Length, Table.Select(l => l.Constant).Distinct().Count());
        foreach (var limit in Table)
        {
            var (type, name) = (limit.Constant[..limit.Constant.IndexOf('.', StringComparison.Ordinal)], limit.Constant[(limit.Constant.IndexOf('.', StringComparison.Ordinal) + 1)..]);
            var field = new[] { typeof(Customer).Assembly, typeof(MetricId).Assembly }.SelectMany(a => a.GetExportedTypes()).Single(t => t.Name == type).GetField(name)!;
            Assert.Equal(limit.Value, (int)field.GetRawConstantValue()!);
            Assert.Contains($"| {limit.Value.ToString("N0", CultureInfo.InvariantCulture)} |", page.Split('\n').Single(l => l.Contains($"`{limit.Constant}`", StringComparison.Ordinal) && l.StartsWith('|')), StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CrmKernel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No CrmKernel.sln above {AppContext.BaseDirectory}.");
    }

    private static global::CrmKernel.Innovation.PredictionMarket Market(IEnumerable<string> outcomes, string question = "Adopted within 90 days?")
        => global::CrmKernel.Innovation.PredictionMarket.Open(Tenant, global::CrmKernel.Innovation.PredictionMarketId.New(), null, question, outcomes, 10m, At);

    private static Customer NewCustomer() => Customer.Register(Tenant, new PersonProfile("Ann", "Lee"), new FakeClock(At, Duration.FromMilliseconds(1)));

    private static void Repeat(int n, Action<Customer, int> add)
    {
        var customer = NewCustomer();
        for (var i = 0; i < n; i++)
        {
            add(customer, i);
        }
    }

    private static SalesPipeline Pipeline(string name, int stages)
        => SalesPipeline.Define(Tenant, SalesPipelineId.New(), name, Many(stages, i => new SalesStage($"s{i}", $"Stage {i}", 0.5m, ForecastCategory.Pipeline)));

    private static SlaPolicy Sla(string name)
        => new(name, new BusinessCalendar(DateTimeZone.Utc, WorkingHours.AllDay(), []), Enum.GetValues<CasePriority>().ToDictionary(p => p, _ => new SlaTargets(Duration.FromHours(1), Duration.FromHours(8))));

    private static Opportunity NewDeal(SalesPipeline? pipeline = null, string name = "Renewal", string owner = "ann")
        => Opportunity.Open(OpportunityId.New(), CustomerId.New(), pipeline ?? Pipeline("Direct", 2), name, owner, Currency.EUR, new LocalDate(2026, 6, 30), At, "ann");

    private static ServiceCase NewCase(string subject = "Refund", string category = "billing", string? slaPolicy = null)
        => ServiceCase.Open(Tenant, CaseId.New(), CustomerId.New(), subject, category, CasePriority.Normal, null, false, slaPolicy, At, "ann");

    // An absolute https address of exactly n characters.
    private static Uri Website(int n) => new("https://example.com/" + S(n - "https://example.com/".Length, 'w'));

    private static CustomerTimeline Timeline()
        => new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(new FakeClock(At))).BuildServiceProvider().GetRequiredService<CustomerTimeline>();

    private static FigureSeries Series(string name) => new(name, FigureSeriesKind.Line, []);

    private static MetricDefinition Definition(string name = "Orders", string description = "Orders placed.", string conventions = "", string? source = null)
        => new(new MetricId("orders"), name, description, MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Count, BetterDirection.HigherIsBetter, MetricFormula.Figure(new FigureKey("orders"), "orders"), conventions, source);

    private static void Sync(Func<Task> call) => call().GetAwaiter().GetResult();

    private static ChannelDispatcher Dispatcher()
        => new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(new FakeClock(At)).AddChannel<RecordingChannel>()).BuildServiceProvider().GetRequiredService<ChannelDispatcher>();

    // An address of exactly n bytes: a 64-byte local part, '@', then labels of at most 63 characters.
    private static string Email(int n)
    {
        var remaining = n - EmailAddress.MaxLocalPartLength - 1;
        var domain = string.Empty;
        while (remaining > 63)
        {
            domain += S(62, 'd') + ".";
            remaining -= 63;
        }

        return S(EmailAddress.MaxLocalPartLength, 'l') + "@" + domain + S(remaining, 'c');
    }

    // A well-formed BCP 47 tag of exactly n characters: "en", then "-abcdefg"-style subtags.
    private static string LanguageTag(int n)
    {
        var tag = "en";
        while (tag.Length < n)
        {
            var take = Math.Min(8, n - tag.Length - 1);
            tag += "-" + S(take == 0 ? 1 : take, 'x');
        }

        return tag;
    }

    private static Touchpoint TouchpointFor(string key, IReadOnlyList<TouchpointParticipant>? participants = null, IReadOnlyList<string>? products = null, string? campaign = null)
        => Touchpoint.Create(Tenant, TouchpointId.New(), At, new NewTouchpoint
        {
            CustomerId = CustomerId.New(),
            Channel = new ChannelId("email"),
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Service,
            Kind = new TouchpointKind("enquiry"),
            OccurredAt = At,
            Source = new ExternalIdentifier("web", key),
            Participants = participants ?? [],
            ProductIds = products ?? [],
            CampaignId = campaign,
        });

    private static void NewTouchpoint(IReadOnlyList<TouchpointParticipant>? participants = null, IReadOnlyList<string>? products = null, string? campaign = null)
        => _ = TouchpointFor("1", participants, products, campaign);

    /// <summary>A record source producing no figures, for the record-source limit.</summary>
    private sealed class NamedRecordSource(string name) : IMetricRecordSource
    {
        public string Name => name;

        public IReadOnlyCollection<FigureKey> Figures => [];

        public ValueTask<IReadOnlyList<MetricFigures>> ScanAsync(TenantId tenantId, IReadOnlyList<DateInterval> periods, DateTimeZone zone, CrmKernel.ExchangeRates.CurrencyConverter converter, global::CrmKernel.Segments.SegmentSnapshot? segment, CancellationToken cancellationToken)
            => ValueTask.FromResult<IReadOnlyList<MetricFigures>>([]);
    }
}
