using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Events;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Relationships;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing.Channels;
using CrmKernel.Testing.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Api;

/// <summary>
/// A valid value of every parameter type the public API takes, so that reflection-driven tests can call
/// any public member with exactly one argument wrong. A new parameter type needs an entry here: the
/// tests fail naming the type until it has one.
/// </summary>
internal static class SampleValues
{
    private static readonly Instant Epoch = Instant.FromUtc(2026, 1, 1, 9, 0);
    private static readonly global::CrmKernel.Sales.SalesPipeline SamplePipeline = global::CrmKernel.Sales.SalesPipeline.Define(new TenantId("sample"), global::CrmKernel.Primitives.SalesPipelineId.New(), "Sample", [new global::CrmKernel.Sales.SalesStage("qualify", "Qualify", 0.1m, global::CrmKernel.Sales.ForecastCategory.Pipeline)]);
    private static readonly global::CrmKernel.Calendars.BusinessCalendar SampleCalendar = new(DateTimeZoneProviders.Tzdb["Europe/London"], global::CrmKernel.Calendars.WorkingHours.MondayToFriday(new LocalTime(9, 0), new LocalTime(17, 0)), []);

    private static Dictionary<global::CrmKernel.Cases.CasePriority, global::CrmKernel.Cases.SlaTargets> SampleSlaTargets()
        => Enum.GetValues<global::CrmKernel.Cases.CasePriority>().ToDictionary(p => p, _ => new global::CrmKernel.Cases.SlaTargets(Duration.FromHours(4), Duration.FromHours(16)));

    private static readonly Dictionary<Type, Func<object>> Factories = new()
    {
        [typeof(string)] = () => "sample",
        [typeof(int)] = () => 1,
        [typeof(long)] = () => 1L,
        [typeof(decimal)] = () => 1m,
        [typeof(double)] = () => 1d,
        [typeof(bool)] = () => false,
        [typeof(Guid)] = () => Guid.CreateVersion7(),
        [typeof(IFormatProvider)] = () => System.Globalization.CultureInfo.InvariantCulture,
        [typeof(Exception)] = () => new InvalidOperationException("sample"),
        [typeof(Uri)] = () => new Uri("https://example.com/"),
        [typeof(Instant)] = () => Epoch,
        [typeof(LocalDate)] = () => new LocalDate(2026, 1, 1),
        [typeof(Duration)] = () => Duration.FromDays(1),
        [typeof(IClock)] = () => new FakeClock(Epoch),
        [typeof(DateTimeZone)] = () => DateTimeZoneProviders.Tzdb["Europe/London"],
        [typeof(IServiceCollection)] = () => new ServiceCollection(),
        [typeof(Action<CrmKernelBuilder>)] = () => new Action<CrmKernelBuilder>(_ => { }),
        [typeof(CrmKernelBuilder)] = () => new ServiceCollection().AddCrmKernel(),
        [typeof(TenantId)] = () => new TenantId("sample"),
        [typeof(CustomerId)] = () => CustomerId.New(),
        [typeof(CustomerTag)] = () => new CustomerTag("sample"),
        [typeof(EmailAddress)] = () => EmailAddress.Parse("someone@example.com"),
        [typeof(PhoneNumber)] = () => PhoneNumber.Parse("+442079460958"),
        [typeof(ContactPoint)] = () => EmailAddress.Parse("someone@example.com"),
        [typeof(PersonProfile)] = () => new PersonProfile("Ada", "Lovelace"),
        [typeof(OrganizationProfile)] = () => new OrganizationProfile("Analytical Engines Ltd"),
        [typeof(PartyProfile)] = () => new PersonProfile("Ada", "Lovelace"),
        [typeof(ExternalIdentifier)] = () => new ExternalIdentifier("erp", "C-1"),
        [typeof(CustomAttributeValue)] = () => CustomAttributeValue.FromText("gold"),
        [typeof(CustomerContactPoint)] = () => new CustomerContactPoint(EmailAddress.Parse("someone@example.com"), isPrimary: true),
        [typeof(Customer)] = () => Customer.Register(new TenantId("sample"), new PersonProfile("Ada", "Lovelace"), new FakeClock(Epoch)),
        [typeof(Currency)] = () => Currency.EUR,
        [typeof(Money)] = () => Money.Of(1m, "EUR"),
        [typeof(InMemoryCrmOutbox)] = () => new InMemoryCrmOutbox(),
        [typeof(ICrmOutbox)] = () => new InMemoryCrmOutbox(),
        [typeof(InMemoryCustomerStore)] = () => new InMemoryCustomerStore(new InMemoryCrmOutbox()),
        [typeof(ICustomerStore)] = () => new InMemoryCustomerStore(new InMemoryCrmOutbox()),
        [typeof(ICrmEventPublisher)] = () => new NoopPublisher(),
        [typeof(CustomerRepository)] = () => new CustomerRepository(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new FakeClock(Epoch)),
        [typeof(CrmEventRelay)] = () => new CrmEventRelay(new InMemoryCrmOutbox(), new NoopPublisher()),
        [typeof(Func<ValueTask>)] = () => new Func<ValueTask>(() => ValueTask.CompletedTask),
        [typeof(CrmStores)] = () => new CrmStores(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryCrmOutbox()),
        [typeof(CustomerCommit)] = () => CustomerCommit.Create(Customer.Register(new TenantId("sample"), new PersonProfile("Ada", "Lovelace"), new FakeClock(Epoch))),
        [typeof(TouchpointId)] = () => TouchpointId.New(),
        [typeof(RelationshipId)] = () => RelationshipId.New(),
        [typeof(TimelinePosition)] = () => new TimelinePosition(Epoch, TouchpointId.New()),
        [typeof(ChannelId)] = () => new ChannelId("web"),
        [typeof(global::CrmKernel.Segments.SegmentId)] = () => new global::CrmKernel.Segments.SegmentId("vip"),
        [typeof(global::CrmKernel.Segments.SegmentSnapshot)] = () => new global::CrmKernel.Segments.SegmentSnapshot(new TenantId("sample"), new global::CrmKernel.Segments.SegmentId("vip"), 1, Instant.FromUtc(2026, 3, 1, 0, 0), Instant.FromUtc(2026, 3, 1, 0, 0), [CustomerId.New()]),
        [typeof(global::CrmKernel.Segments.SegmentRule)] = () => new global::CrmKernel.Segments.HasTagRule(new CustomerTag("vip")),
        [typeof(global::CrmKernel.Segments.SegmentVocabulary)] = () => global::CrmKernel.Segments.SegmentVocabulary.Empty,
        [typeof(global::CrmKernel.Services.Segments.SegmentServiceOptions)] = () => new global::CrmKernel.Services.Segments.SegmentServiceOptions(),
        [typeof(global::CrmKernel.Services.Segments.SegmentService)] = () => new global::CrmKernel.Services.Segments.SegmentService(new InMemorySegmentStore(), new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new FakeClock(Epoch)),
        [typeof(ICustomerScoreSource)] = () => new InMemoryCustomerScoreSource(),
        [typeof(InMemoryCustomerScoreSource)] = () => new InMemoryCustomerScoreSource(),
        [typeof(ISegmentStore)] = () => new InMemorySegmentStore(),
        [typeof(global::CrmKernel.Metrics.CustomerBase.CustomerBaseScores)] = () => new global::CrmKernel.Metrics.CustomerBase.CustomerBaseScores(new TenantId("sample"), []),
        [typeof(InMemorySegmentStore)] = () => new InMemorySegmentStore(),
        [typeof(decimal?[])] = () => new decimal?[1],
        [typeof(TouchpointKind)] = () => TouchpointKind.Purchase,
        [typeof(TouchpointOutcome)] = () => TouchpointOutcome.Completed,
        [typeof(SatisfactionScore)] = () => new CsatScore(5),
        [typeof(Sentiment)] = () => new Sentiment(0m),
        [typeof(InMemoryTouchpointStore)] = () => new InMemoryTouchpointStore(),
        [typeof(ITouchpointStore)] = () => new InMemoryTouchpointStore(),
        [typeof(TimelineFilter)] = () => new TimelineFilter([CustomerId.New()]),
        [typeof(CustomerTimeline)] = () => new CustomerTimeline(new InMemoryTouchpointStore()),
        [typeof(TouchpointIngestion)] = () => new TouchpointIngestion(new InMemoryTouchpointStore(), new FakeClock(Epoch)),
        [typeof(NewTouchpoint)] = () => SampleTouchpoint(),
        [typeof(Touchpoint)] = () => Touchpoint.Create(new TenantId("sample"), TouchpointId.New(), Epoch, SampleTouchpoint()),
        [typeof(InMemoryRelationshipStore)] = () => new InMemoryRelationshipStore(),
        [typeof(IRelationshipStore)] = () => new InMemoryRelationshipStore(),
        [typeof(RelationshipGraph)] = () => new RelationshipGraph(new InMemoryRelationshipStore()),
        [typeof(global::CrmKernel.Primitives.OpportunityId)] = () => global::CrmKernel.Primitives.OpportunityId.New(),
        [typeof(global::CrmKernel.Primitives.SalesPipelineId)] = () => global::CrmKernel.Primitives.SalesPipelineId.New(),
        [typeof(global::CrmKernel.Sales.SalesPipeline)] = () => SamplePipeline,
        [typeof(global::CrmKernel.Sales.Opportunity)] = () => global::CrmKernel.Sales.Opportunity.Open(global::CrmKernel.Primitives.OpportunityId.New(), CustomerId.New(), SamplePipeline, "Sample deal", "owner", Currency.EUR, new NodaTime.LocalDate(2026, 6, 30), Epoch, "rep"),
        [typeof(InMemorySalesStore)] = () => new InMemorySalesStore(new InMemoryCrmOutbox()),
        [typeof(IOpportunityStore)] = () => new InMemorySalesStore(new InMemoryCrmOutbox()),
        [typeof(global::CrmKernel.Primitives.CaseId)] = () => global::CrmKernel.Primitives.CaseId.New(),
        [typeof(global::CrmKernel.Primitives.IdeaId)] = () => global::CrmKernel.Primitives.IdeaId.New(),
        [typeof(global::CrmKernel.Innovation.PredictionMarketId)] = () => global::CrmKernel.Innovation.PredictionMarketId.New(),
        [typeof(global::CrmKernel.Innovation.PredictionMarket)] = () => global::CrmKernel.Innovation.PredictionMarket.Open(new TenantId("sample"), global::CrmKernel.Innovation.PredictionMarketId.New(), null, "Adopted?", ["yes", "no"], 10m, Epoch),
        [typeof(global::CrmKernel.Innovation.MarketTrade)] = () => new global::CrmKernel.Innovation.MarketTrade(global::CrmKernel.Innovation.PredictionMarketId.New(), 1, "k1", CustomerId.New(), 0, 1m, 0.5m, Epoch, [0.6, 0.4]),
        [typeof(global::CrmKernel.Innovation.MarketParticipant)] = () => global::CrmKernel.Innovation.MarketParticipant.Rehydrate(CustomerId.New(), 10m, 10m, 0m, 0m, [0m, 0m], 0),
        [typeof(PredictionMarketCommit)] = () => PredictionMarketCommit.Create(global::CrmKernel.Innovation.PredictionMarket.Open(new TenantId("sample"), global::CrmKernel.Innovation.PredictionMarketId.New(), null, "Adopted?", ["yes", "no"], 10m, Epoch)),
        [typeof(IPredictionMarketStore)] = () => new InMemoryPredictionMarketStore(),
        [typeof(InMemoryPredictionMarketStore)] = () => new InMemoryPredictionMarketStore(),
        [typeof(global::CrmKernel.Services.Innovation.PredictionMarketService)] = () => new global::CrmKernel.Services.Innovation.PredictionMarketService(new InMemoryPredictionMarketStore(), new FakeClock(Epoch)),
        [typeof(global::CrmKernel.Metrics.Innovation.PredictionMarketMetricSource)] = () => new global::CrmKernel.Metrics.Innovation.PredictionMarketMetricSource(new InMemoryPredictionMarketStore()),
        [typeof(global::CrmKernel.Primitives.CustomerMergeId)] = () => global::CrmKernel.Primitives.CustomerMergeId.New(),
        [typeof(global::CrmKernel.Identity.SurvivorshipPolicy)] = () => global::CrmKernel.Identity.SurvivorshipPolicy.Default,
        [typeof(Func<global::CrmKernel.Identity.SurvivorshipField, CustomerSnapshot, CustomerSnapshot, global::CrmKernel.Identity.MergeSide>)] = () => new Func<global::CrmKernel.Identity.SurvivorshipField, CustomerSnapshot, CustomerSnapshot, global::CrmKernel.Identity.MergeSide>(static (_, _, _) => global::CrmKernel.Identity.MergeSide.Survivor),
        [typeof(global::CrmKernel.Identity.CustomerMergeRecord)] = () => new global::CrmKernel.Identity.CustomerMergeRecord(
            global::CrmKernel.Primitives.CustomerMergeId.New(),
            Customer.Register(new TenantId("sample"), new PersonProfile("Ada", "Lovelace"), new FakeClock(Epoch)).ToSnapshot(1),
            Customer.Register(new TenantId("sample"), new PersonProfile("Ada", "King"), new FakeClock(Epoch)).ToSnapshot(1),
            Epoch,
            2,
            0,
            [],
            [],
            []),
        [typeof(InMemoryCustomerMergeStore)] = () => new InMemoryCustomerMergeStore(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new InMemoryRelationshipStore()),
        [typeof(ICustomerMergeStore)] = () => new InMemoryCustomerMergeStore(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new InMemoryRelationshipStore()),
        [typeof(global::CrmKernel.Services.Identity.CustomerMergeService)] = () => new global::CrmKernel.Services.Identity.CustomerMergeService(new InMemoryCustomerMergeStore(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new InMemoryRelationshipStore()), new FakeClock(Epoch)),
        [typeof(global::CrmKernel.Cases.CaseResolution)] = () => new global::CrmKernel.Cases.CaseResolution(Epoch, "fixed", null),
        [typeof(global::CrmKernel.Cases.ServiceCase)] = () => global::CrmKernel.Cases.ServiceCase.Open(new TenantId("sample"), global::CrmKernel.Primitives.CaseId.New(), CustomerId.New(), "Sample case", "billing", global::CrmKernel.Cases.CasePriority.Normal, null, false, null, Epoch, "agent"),
        [typeof(global::CrmKernel.Services.Cases.CaseServiceOptions)] = () => new global::CrmKernel.Services.Cases.CaseServiceOptions(),
        [typeof(global::CrmKernel.Identity.MatchRecord)] = () => global::CrmKernel.Identity.MatchRecord.FromSnapshot(Customer.Register(new TenantId("sample"), new PersonProfile("Ada", "Lovelace"), new FakeClock(Epoch)).ToSnapshot()),
        [typeof(global::CrmKernel.Identity.MatchRule)] = () => global::CrmKernel.Identity.MatchRule.DefaultPerson,
        [typeof(global::CrmKernel.Identity.MatchField)] = () => global::CrmKernel.Identity.MatchRule.DefaultPerson.Fields[0],
        [typeof(global::CrmKernel.Identity.IFieldComparator)] = () => global::CrmKernel.Identity.FieldComparators.Email,
        [typeof(global::CrmKernel.Identity.IMatchKeyBuilder)] = () => global::CrmKernel.Identity.MatchKeyBuilders.Email,
        [typeof(global::CrmKernel.Services.Identity.DuplicateDetectionOptions)] = () => new global::CrmKernel.Services.Identity.DuplicateDetectionOptions(),
        [typeof(global::CrmKernel.Services.Identity.DuplicateDetector)] = () => new global::CrmKernel.Services.Identity.DuplicateDetector(new InMemoryCustomerStore(new InMemoryCrmOutbox())),
        [typeof(InMemoryCaseStore)] = () => new InMemoryCaseStore(new InMemoryCrmOutbox()),
        [typeof(ICaseStore)] = () => new InMemoryCaseStore(new InMemoryCrmOutbox()),
        [typeof(global::CrmKernel.Services.Cases.CaseService)] = () =>
        {
            var outbox = new InMemoryCrmOutbox();
            var touchpoints = new InMemoryTouchpointStore();
            return new global::CrmKernel.Services.Cases.CaseService(new InMemoryCaseStore(outbox), touchpoints, new CustomerRepository(new InMemoryCustomerStore(outbox), new FakeClock(Epoch)), new global::CrmKernel.Services.Ingestion.TouchpointIngestion(touchpoints, new FakeClock(Epoch)), new FakeClock(Epoch));
        },
        [typeof(ISalesPipelineStore)] = () => new InMemorySalesStore(new InMemoryCrmOutbox()),
        [typeof(global::CrmKernel.Metrics.Evaluation.OpportunityMetricSource)] = () => { var sales = new InMemorySalesStore(new InMemoryCrmOutbox()); return new global::CrmKernel.Metrics.Evaluation.OpportunityMetricSource(sales, sales); },
        [typeof(global::CrmKernel.Metrics.Evaluation.OpportunityScan)] = () => new global::CrmKernel.Metrics.Evaluation.OpportunityScan(new NodaTime.DateInterval(new NodaTime.LocalDate(2026, 3, 1), new NodaTime.LocalDate(2026, 3, 31)), NodaTime.DateTimeZone.Utc),
        [typeof(global::CrmKernel.Metrics.Acquisition.AcquisitionAnalysis)] = () => new global::CrmKernel.Metrics.Acquisition.AcquisitionAnalysis(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new global::CrmKernel.ExchangeRates.FixedExchangeRateProvider([])),
        [typeof(global::CrmKernel.Metrics.Acquisition.AcquisitionMetricSource)] = () => new global::CrmKernel.Metrics.Acquisition.AcquisitionMetricSource(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore()),
        [typeof(global::CrmKernel.Metrics.Acquisition.AcquisitionRequest)] = () => new global::CrmKernel.Metrics.Acquisition.AcquisitionRequest(new NodaTime.DateInterval(new NodaTime.LocalDate(2026, 3, 1), new NodaTime.LocalDate(2026, 3, 31)), NodaTime.DateTimeZone.Utc, Currency.EUR),
        [typeof(global::CrmKernel.Metrics.Acquisition.AcquisitionGroupKey)] = () => global::CrmKernel.Metrics.Acquisition.AcquisitionGroupKey.Total,
        [typeof(global::CrmKernel.Metrics.Acquisition.AcquisitionCellKey)] = () => new global::CrmKernel.Metrics.Acquisition.AcquisitionCellKey(global::CrmKernel.Metrics.Acquisition.AcquisitionGroupKey.Total, null),
        [typeof(global::CrmKernel.Metrics.Evaluation.CaseMetricSource)] = () => new global::CrmKernel.Metrics.Evaluation.CaseMetricSource(new InMemoryCaseStore(new InMemoryCrmOutbox())),
        [typeof(global::CrmKernel.Metrics.Evaluation.CaseScan)] = () => new global::CrmKernel.Metrics.Evaluation.CaseScan(new NodaTime.DateInterval(new NodaTime.LocalDate(2026, 3, 1), new NodaTime.LocalDate(2026, 3, 31)), NodaTime.DateTimeZone.Utc, new global::CrmKernel.Calendars.BusinessCalendar(NodaTime.DateTimeZone.Utc, global::CrmKernel.Calendars.WorkingHours.AllDay(), [])),
        [typeof(global::CrmKernel.Metrics.Profitability.ChannelCostModel)] = () => new global::CrmKernel.Metrics.Profitability.ChannelCostModel(Currency.GBP).WithRate(new ChannelId("phone"), 5m, 3m).WithRate(new ChannelId("web"), 0.5m, 0.5m),
        [typeof(global::CrmKernel.Metrics.Profitability.ChannelMixScenario)] = () => new global::CrmKernel.Metrics.Profitability.ChannelMixScenario("sample", [new global::CrmKernel.Metrics.Profitability.ChannelMove(new ChannelId("phone"), new ChannelId("web"), 0.5m)]),
        [typeof(global::CrmKernel.Metrics.Profitability.ChannelProfitabilityReport)] = () => new global::CrmKernel.Metrics.Profitability.ChannelProfitabilityReport(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new global::CrmKernel.ExchangeRates.FixedExchangeRateProvider([])),
        [typeof(global::CrmKernel.Innovation.SubjectArea)] = () => global::CrmKernel.Innovation.SubjectArea.Product,
        [typeof(global::CrmKernel.Innovation.Idea)] = () => global::CrmKernel.Innovation.Idea.Propose(new TenantId("sample"), IdeaId.New(), "Sample idea", null, global::CrmKernel.Innovation.SubjectArea.Product, Epoch),
        [typeof(global::CrmKernel.Innovation.CustomerVoice)] = () => global::CrmKernel.Innovation.CustomerVoice.Create(new TenantId("sample"), TouchpointId.New(), Epoch, new global::CrmKernel.Innovation.NewCustomerVoice { CustomerId = CustomerId.New(), Kind = global::CrmKernel.Innovation.VoiceKind.Feedback, Subject = global::CrmKernel.Innovation.SubjectArea.Product, Channel = new ChannelId("web"), OccurredAt = Epoch, Source = new ExternalIdentifier("web", "1"), Title = "Sample" }, null),
        [typeof(IIdeaStore)] = () => new InMemoryIdeaStore(),
        [typeof(InMemoryIdeaStore)] = () => new InMemoryIdeaStore(),
        [typeof(global::CrmKernel.Services.Innovation.InnovationService)] = () => new global::CrmKernel.Services.Innovation.InnovationService(new InMemoryIdeaStore(), new CustomerRepository(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new FakeClock(Epoch)), new TouchpointIngestion(new InMemoryTouchpointStore(), new FakeClock(Epoch)), new FakeClock(Epoch)),
        [typeof(global::CrmKernel.Metrics.Innovation.InnovationMetricSource)] = () => new global::CrmKernel.Metrics.Innovation.InnovationMetricSource(new InMemoryIdeaStore(), new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore()),
        [typeof(global::CrmKernel.Metrics.Profitability.ChannelMixMetricSource)] = () => new global::CrmKernel.Metrics.Profitability.ChannelMixMetricSource(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new global::CrmKernel.Metrics.Profitability.ChannelCostModel(Currency.GBP)),
        [typeof(global::CrmKernel.Metrics.WinBack.WinBackView)] = () => new global::CrmKernel.Metrics.WinBack.WinBackView(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore()),
        [typeof(IReadOnlyDictionary<global::CrmKernel.Metrics.Definitions.FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>>)] = () => new Dictionary<global::CrmKernel.Metrics.Definitions.FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>>(),
        [typeof(global::CrmKernel.Services.Sales.OpportunityService)] = () =>
        {
            var outbox = new InMemoryCrmOutbox();
            var sales = new InMemorySalesStore(outbox);
            var customers = new InMemoryCustomerStore(outbox);
            return new global::CrmKernel.Services.Sales.OpportunityService(sales, sales, new CustomerRepository(customers, new FakeClock(Epoch)), new global::CrmKernel.Services.Ingestion.TouchpointIngestion(new InMemoryTouchpointStore(), new FakeClock(Epoch)), new RelationshipGraph(new InMemoryRelationshipStore()), new FakeClock(Epoch));
        },
        [typeof(RelationshipType)] = () => RelationshipType.Employment,
        [typeof(Relationship)] = () => Relationship.Create(new TenantId("sample"), RelationshipId.New(), RelationshipType.Employment, CustomerId.New(), CustomerId.New(), false, Epoch, null, 1),
        [typeof(CustomerSnapshot)] = () => Customer.Register(new TenantId("sample"), new PersonProfile("Ada", "Lovelace"), new FakeClock(Epoch)).ToSnapshot(),
        [typeof(global::CrmKernel.Lifecycle.LifecycleModel)] = () => global::CrmKernel.Lifecycle.DefaultLifecycleModel.Create(),
        [typeof(global::CrmKernel.Lifecycle.LifecycleModelBuilder)] = () => new global::CrmKernel.Lifecycle.LifecycleModelBuilder(global::CrmKernel.Lifecycle.DefaultLifecycleModel.Prospect),
        [typeof(global::CrmKernel.Lifecycle.LifecycleStage)] = () => global::CrmKernel.Lifecycle.DefaultLifecycleModel.Lapsed,
        [typeof(global::CrmKernel.Lifecycle.LifecycleTrigger)] = () => global::CrmKernel.Lifecycle.LifecycleTrigger.OnTouchpoint(TouchpointKind.Purchase),
        [typeof(Func<global::CrmKernel.Lifecycle.LifecycleContext, bool>)] = () => new Func<global::CrmKernel.Lifecycle.LifecycleContext, bool>(static _ => true),
        [typeof(ICustomerTouchpointStore)] = () => SampleCustomerTouchpoints(),
        [typeof(InMemoryCustomerTouchpointStore)] = () => SampleCustomerTouchpoints(),
        [typeof(global::CrmKernel.Services.Lifecycle.LifecycleService)] = () => new global::CrmKernel.Services.Lifecycle.LifecycleService(new global::CrmKernel.Services.Customers.CustomerRepository(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new FakeClock(Epoch)), global::CrmKernel.Lifecycle.DefaultLifecycleModel.Create()),
        [typeof(UnknownCustomerPolicy)] = () => UnknownCustomerPolicy.RecordTouchpoint,
        [typeof(ConsentPurpose)] = () => ConsentPurpose.Marketing,
        [typeof(ConsentEntry)] = () => new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "sample", Epoch),
        [typeof(ConsentLedger)] = () => Customer.Register(new TenantId("sample"), new PersonProfile("Ada", "Lovelace"), new FakeClock(Epoch)).Consent,
        [typeof(MessageContent)] = () => new MessageContent("Hello"),
        [typeof(QuietHours)] = () => new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0)),
        [typeof(LocalTime)] = () => new LocalTime(12, 0),
        [typeof(FrequencyCap)] = () => new FrequencyCap(new ChannelId("email"), 1, Duration.FromDays(1)),
        [typeof(ContactPolicy)] = () => ContactPolicy.Default,
        [typeof(ContactPolicyOptions)] = () => new ContactPolicyOptions(),
        [typeof(Action<ContactPolicyOptions>)] = () => new Action<ContactPolicyOptions>(_ => { }),
        [typeof(Action<CrmKernel.Lifecycle.DefaultLifecycleOptions>)] = () => new Action<CrmKernel.Lifecycle.DefaultLifecycleOptions>(_ => { }),
        [typeof(IDateTimeZoneProvider)] = () => DateTimeZoneProviders.Tzdb,
        [typeof(ILogger)] = () => NullLogger.Instance,
        [typeof(ChannelDescriptor)] = () => new RecordingChannel().Descriptor,
        [typeof(IChannelAdapter)] = () => new RecordingChannel(),
        [typeof(RecordingChannel)] = () => new RecordingChannel(),
        [typeof(CrmKernel.Testing.Channels.CrashingTouchpointStore)] = () => new CrmKernel.Testing.Channels.CrashingTouchpointStore(new InMemoryTouchpointStore()),
        [typeof(DeliveryResult)] = () => DeliveryResult.Delivered("sample"),
        [typeof(OutboundMessage)] = () => new OutboundMessage(new TenantId("sample"), CustomerId.New(), new ChannelId("test-email"), EmailAddress.Parse("someone@example.com"), ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent("Hello"), "sample-key"),
        [typeof(DispatchRequest)] = () => new DispatchRequest(CustomerId.New(), new ChannelId("test-email"), ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent("Hello"), "sample-key"),
        [typeof(PendingDispatch)] = () => new PendingDispatch(new TenantId("sample"), new DispatchRequest(CustomerId.New(), new ChannelId("test-email"), ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent("Hello"), "sample-key"), 1, Epoch),
        [typeof(InMemoryPendingDispatchStore)] = () => new InMemoryPendingDispatchStore(),
        [typeof(IPendingDispatchStore)] = () => new InMemoryPendingDispatchStore(),
        [typeof(ChannelDispatcher)] = () => new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(new FakeClock(Epoch)).AddChannel<RecordingChannel>()).BuildServiceProvider().GetRequiredService<ChannelDispatcher>(),
        [typeof(ChannelTestFixture)] = () => new SampleChannelFixture(),
        [typeof(global::CrmKernel.Calendars.BusinessCalendar)] = () => SampleCalendar,
        [typeof(IReadOnlyDictionary<global::CrmKernel.Cases.CasePriority, global::CrmKernel.Cases.SlaTargets>)] = () => SampleSlaTargets(),
        [typeof(global::CrmKernel.Cases.SlaPolicy)] = () => new global::CrmKernel.Cases.SlaPolicy("sample", SampleCalendar, SampleSlaTargets()),
        [typeof(char)] = () => ',',
        [typeof(global::CrmKernel.Services.Import.ImportMapping)] = () => new global::CrmKernel.Services.Import.ImportMapping { SourceSystem = "crm", CustomerKeyColumn = "key", GivenNameColumn = "name" },
        [typeof(global::CrmKernel.Services.Import.CustomerImporter)] = () => new global::CrmKernel.Services.Import.CustomerImporter(new CustomerRepository(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new FakeClock(Epoch)), new TouchpointIngestion(new InMemoryTouchpointStore(), new FakeClock(Epoch)), new FakeClock(Epoch)),
        [typeof(IAsyncEnumerable<global::CrmKernel.Services.Import.ImportRow>)] = () => AsyncEnumerable.Empty<global::CrmKernel.Services.Import.ImportRow>(),
        [typeof(IProgress<global::CrmKernel.Services.Import.ImportProgress>)] = () => new Progress<global::CrmKernel.Services.Import.ImportProgress>(),
        [typeof(global::CrmKernel.Privacy.ErasureRecord)] = () => new global::CrmKernel.Privacy.ErasureRecord(new TenantId("sample"), CustomerId.New(), Epoch, 2, "dpo", null, []),
        [typeof(IReadOnlyList<global::CrmKernel.Privacy.ErasureCount>)] = () => new List<global::CrmKernel.Privacy.ErasureCount> { new("tags", 1) },
        [typeof(global::CrmKernel.Privacy.LawfulHold)] = () => new global::CrmKernel.Privacy.LawfulHold("open-invoice", "billing"),
        [typeof(CustomerErasure)] = () => CustomerErasure.Create(new CustomerSnapshot { Id = CustomerId.New(), TenantId = new TenantId("sample"), Profile = new PersonProfile("Ada", "Lovelace"), CreatedAt = Epoch, UpdatedAt = Epoch, Version = 1 }, Epoch, "dpo", null),
        [typeof(InMemoryCustomerErasureStore)] = () => { var outbox = new InMemoryCrmOutbox(); return new InMemoryCustomerErasureStore(new InMemoryCustomerStore(outbox), new InMemoryCaseStore(outbox), new InMemorySalesStore(outbox), outbox); },
        [typeof(ICustomerErasureStore)] = () => { var outbox = new InMemoryCrmOutbox(); return new InMemoryCustomerErasureStore(new InMemoryCustomerStore(outbox), new InMemoryCaseStore(outbox), new InMemorySalesStore(outbox), outbox); },
        [typeof(IEnumerable<global::CrmKernel.Privacy.ILawfulHoldCheck>)] = () => Array.Empty<global::CrmKernel.Privacy.ILawfulHoldCheck>(),
        [typeof(IEnumerable<global::CrmKernel.Services.Privacy.IErasureParticipant>)] = () => Array.Empty<global::CrmKernel.Services.Privacy.IErasureParticipant>(),
        [typeof(Stream)] = () => new MemoryStream(),
        [typeof(global::CrmKernel.Services.Privacy.ErasureService)] = () => new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(new FakeClock(Epoch))).BuildServiceProvider().GetRequiredService<global::CrmKernel.Services.Privacy.ErasureService>(),
        [typeof(global::CrmKernel.Services.Privacy.PersonalDataExporter)] = () => new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(new FakeClock(Epoch))).BuildServiceProvider().GetRequiredService<global::CrmKernel.Services.Privacy.PersonalDataExporter>(),
    };

    private static InMemoryCustomerTouchpointStore SampleCustomerTouchpoints() => new(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore());

    private static NewTouchpoint SampleTouchpoint() => new()
    {
        CustomerId = CustomerId.New(),
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Epoch,
        Source = new ExternalIdentifier("sample", Guid.NewGuid().ToString("N")),
    };

    /// <summary>Registers more samples (used by later capabilities' tests through this one table).</summary>
    public static void Add<T>(Func<T> factory)
        where T : notnull
        => Factories[typeof(T)] = () => factory();

    public static bool TryCreate(Type type, out object? value)
    {
        if (Factories.TryGetValue(type, out var factory))
        {
            value = factory();
            return true;
        }

        if (type.IsEnum)
        {
            value = Enum.GetValues(type).GetValue(0);
            return true;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TryCreate(underlying, out value);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>)))
        {
            // An empty collection: valid wherever a collection is, and never the argument under test.
            value = Array.CreateInstance(type.GetGenericArguments()[0], 0);
            return true;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ILogger<>))
        {
            // A logger that discards everything, of the category asked for.
            value = typeof(NullLogger<>).MakeGenericType(type.GetGenericArguments()).GetField(nameof(NullLogger<object>.Instance))!.GetValue(null);
            return true;
        }

        if (type == typeof(CancellationToken))
        {
            value = CancellationToken.None;
            return true;
        }

        value = null;
        return false;
    }

    private sealed class SampleChannelFixture : ChannelTestFixture
    {
        public override IChannelAdapter Adapter { get; } = new RecordingChannel();

        public override ContactPoint Recipient => EmailAddress.Parse("someone@example.com");

        public override IReadOnlyList<ReceivedMessage> Received => [];

        public override void SetFarEnd(FarEndBehavior behavior)
        {
        }
    }

    private sealed class NoopPublisher : ICrmEventPublisher
    {
        public ValueTask PublishAsync(IReadOnlyList<Events.ICrmEvent> events, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
