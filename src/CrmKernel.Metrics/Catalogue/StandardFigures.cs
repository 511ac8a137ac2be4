using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>
/// The figures the standard catalogue reads. Those marked "scanned" come from the evaluator's pass over customers and
/// touchpoints (<see cref="Evaluation.MetricScan"/>); those marked "input" are figures the kernel cannot see and asks
/// the <see cref="Evaluation.IMetricInputProvider"/> for; those marked "from deals" come from the tenant's deals through
/// an <see cref="Evaluation.IMetricRecordSource"/> (<see cref="Evaluation.OpportunityMetricSource"/>), judged at the
/// period end (<see cref="Evaluation.OpportunityScan"/>). Money figures are in the reporting currency.
/// </summary>
public static class StandardFigures
{
    /// <summary>Scanned: customer records.</summary>
    public static FigureKey Customers { get; } = new("customers");

    /// <summary>Scanned: profile values expected (three per customer: a contact point, a home time zone, an external identifier).</summary>
    public static FigureKey ExpectedValues { get; } = new("expected-values");

    /// <summary>Scanned: of the expected profile values, those populated.</summary>
    public static FigureKey PopulatedValues { get; } = new("populated-values");

    /// <summary>Scanned: purchase touchpoints in the period (orders; not merged by day: <see cref="PurchaseCounting.EachOrder"/>).</summary>
    public static FigureKey Orders { get; } = new("orders");

    /// <summary>
    /// Scanned: purchase occasions in the period — a customer's purchase touchpoints on one day (in the reporting zone)
    /// count once, the convention of the customer-base models (<see cref="PurchaseCounting.SameDayOccasion"/>).
    /// </summary>
    public static FigureKey PurchaseOccasions { get; } = new("purchase-occasions");

    /// <summary>Scanned: customers with purchases on at least two different days in the period (the same-day-occasion twin of <see cref="RepeatCustomers"/>).</summary>
    public static FigureKey RepeatOccasionCustomers { get; } = new("repeat-occasion-customers");

    /// <summary>Scanned: revenue of the period's purchase touchpoints (gross: returns are not netted).</summary>
    public static FigureKey PurchaseRevenue { get; } = new("purchase-revenue");

    /// <summary>Scanned: customers with at least one purchase in the period.</summary>
    public static FigureKey PurchasingCustomers { get; } = new("purchasing-customers");

    /// <summary>Scanned: customers with at least two purchase touchpoints in the period (each order counts).</summary>
    public static FigureKey RepeatCustomers { get; } = new("repeat-customers");

    /// <summary>Scanned: customers at risk — with a purchase in the look-back window, the previous period (the month before a month, else the same number of days before).</summary>
    public static FigureKey CustomersAtRisk { get; } = new("customers-at-risk");

    /// <summary>Scanned: customers at risk who purchased again in the period.</summary>
    public static FigureKey CustomersRetained { get; } = new("customers-retained");

    /// <summary>Scanned: customers whose first purchase ever is in the period.</summary>
    public static FigureKey Acquisitions { get; } = new("acquisitions");

    /// <summary>Scanned: cost recorded on marketing-function touchpoints in the period (paid contact cost).</summary>
    public static FigureKey MarketingCost { get; } = new("marketing-cost");

    /// <summary>Scanned: campaign-contact touchpoints in the period.</summary>
    public static FigureKey CampaignContacts { get; } = new("campaign-contacts");

    /// <summary>Scanned: response touchpoints in the period.</summary>
    public static FigureKey CampaignResponses { get; } = new("campaign-responses");

    /// <summary>Scanned: NPS answers in the period.</summary>
    public static FigureKey NpsResponses { get; } = new("nps-responses");

    /// <summary>Scanned: NPS answers of 9 or 10.</summary>
    public static FigureKey NpsPromoters { get; } = new("nps-promoters");

    /// <summary>Scanned: NPS answers of 0 to 6.</summary>
    public static FigureKey NpsDetractors { get; } = new("nps-detractors");

    /// <summary>Scanned: CSAT answers in the period.</summary>
    public static FigureKey CsatResponses { get; } = new("csat-responses");

    /// <summary>Scanned: CSAT answers of 4 or 5 (the top-2 box).</summary>
    public static FigureKey CsatTopTwoBox { get; } = new("csat-top-two-box");

    /// <summary>Scanned: CES (2010, 1–5) answers in the period.</summary>
    public static FigureKey CesResponses { get; } = new("ces-responses");

    /// <summary>Scanned: the sum of CES (2010) answers.</summary>
    public static FigureKey CesTotal { get; } = new("ces-total");

    /// <summary>Scanned: CES 2.0 (1–7) answers in the period.</summary>
    public static FigureKey Ces2Responses { get; } = new("ces2-responses");

    /// <summary>Scanned: the sum of CES 2.0 answers.</summary>
    public static FigureKey Ces2Total { get; } = new("ces2-total");

    /// <summary>Scanned: touchpoints in the period.</summary>
    public static FigureKey Contacts { get; } = new("contacts");

    /// <summary>Scanned: touchpoints in the period that carry a cost.</summary>
    public static FigureKey CostedContacts { get; } = new("costed-contacts");

    /// <summary>Scanned: the cost recorded on the period's touchpoints.</summary>
    public static FigureKey ContactCost { get; } = new("contact-cost");

    /// <summary>Scanned: the cost recorded on the period's service-function touchpoints.</summary>
    public static FigureKey ServiceCost { get; } = new("service-cost");

    /// <summary>Scanned: issues — inbound service touchpoints of kind enquiry or complaint in the period.</summary>
    public static FigureKey Issues { get; } = new("issues");

    /// <summary>Scanned: issues resolved on first contact — outcome resolved and no further inbound service contact by the customer within 7 days.</summary>
    public static FigureKey IssuesResolvedFirstContact { get; } = new("issues-resolved-first-contact");

    /// <summary>Scanned: complaint touchpoints in the period.</summary>
    public static FigureKey Complaints { get; } = new("complaints");

    /// <summary>Scanned: resolution touchpoints in the period (complaints closed).</summary>
    public static FigureKey ComplaintsClosed { get; } = new("complaints-closed");

    /// <summary>Scanned: resolutions whose satisfaction answer is positive (resolved to the customer's satisfaction).</summary>
    public static FigureKey ComplaintsRecovered { get; } = new("complaints-recovered");

    /// <summary>Scanned: inbound service touchpoints in the period (handled interactions).</summary>
    public static FigureKey HandledInteractions { get; } = new("handled-interactions");

    /// <summary>Input: talk + hold + after-contact work, in seconds, of the period's handled interactions.</summary>
    public static FigureKey HandleTimeSeconds { get; } = new("handle-time-seconds");

    /// <summary>Input: the category spend (with all suppliers) of the firm's buyers in the period.</summary>
    public static FigureKey CategorySpend { get; } = new("category-spend");

    /// <summary>Input: revenue from the ledger attributed to CRM.</summary>
    public static FigureKey CrmRevenue { get; } = new("crm-revenue");

    /// <summary>Input: profit from the ledger attributed to CRM.</summary>
    public static FigureKey CrmProfit { get; } = new("crm-profit");

    /// <summary>Input: hours the CRM systems were up.</summary>
    public static FigureKey UptimeHours { get; } = new("uptime-hours");

    /// <summary>Input: hours the CRM systems were scheduled to be up.</summary>
    public static FigureKey ScheduledHours { get; } = new("scheduled-hours");

    /// <summary>Input: hours of planned maintenance within the scheduled hours.</summary>
    public static FigureKey MaintenanceHours { get; } = new("maintenance-hours");

    /// <summary>Input: customer records that duplicate another record (from a duplicate-detection run).</summary>
    public static FigureKey DuplicateRecords { get; } = new("duplicate-records");

    /// <summary>Input: the gross margin as a fraction of revenue (for CLV's margin per period).</summary>
    public static FigureKey MarginRatio { get; } = new("margin-ratio");

    /// <summary>Input: the discount rate per period (for CLV).</summary>
    public static FigureKey DiscountRate { get; } = new("discount-rate");

    /// <summary>Scanned from the lifecycle history: customers entering the <see cref="Evaluation.LifecycleFunnel.Customer"/> funnel's first stage (prospect) in the period (<c>funnel-stage-0</c>).</summary>
    public static FigureKey FunnelEntered { get; } = Evaluation.LifecycleFunnel.Customer.Figures[0];

    /// <summary>Scanned from the lifecycle history: of that cohort, those that reached its last stage (loyal advocate) before the period end (<c>funnel-stage-3</c>).</summary>
    public static FigureKey FunnelCompleted { get; } = Evaluation.LifecycleFunnel.Customer.Figures[^1];

    /// <summary>Input: channel cost not recorded on touchpoints (platforms, staff), allocated to channels by contacts.</summary>
    public static FigureKey SharedChannelCost { get; } = new("shared-channel-cost");

    /// <summary>From deals: deals won in the period (their state at the period end is won, reached inside it; <see cref="Evaluation.OpportunityScan"/>).</summary>
    public static FigureKey DealsWon { get; } = new("deals-won");

    /// <summary>From deals: deals lost in the period.</summary>
    public static FigureKey DealsLost { get; } = new("deals-lost");

    /// <summary>From deals: deals closed (won or lost) in the period: <see cref="DealsWon"/> + <see cref="DealsLost"/>.</summary>
    public static FigureKey DealsClosed { get; } = new("deals-closed");

    /// <summary>From deals: the amount of the deals closed in the period: <see cref="AmountWon"/> + <see cref="AmountLost"/>.</summary>
    public static FigureKey AmountClosed { get; } = new("amount-closed");

    /// <summary>From deals: the amount of the deals won in the period, converted at the rate of the closing day.</summary>
    public static FigureKey AmountWon { get; } = new("amount-won");

    /// <summary>From deals: the amount of the deals lost in the period, converted at the rate of the closing day.</summary>
    public static FigureKey AmountLost { get; } = new("amount-lost");

    /// <summary>From deals: Σ days from opening to winning over the deals won in the period.</summary>
    public static FigureKey WonCycleDays { get; } = new("won-cycle-days");

    /// <summary>From deals: deals open at the period end.</summary>
    public static FigureKey OpenDeals { get; } = new("open-deals");

    /// <summary>From deals: Σ amount of the deals open at the period end, converted at the rate of the period's last day.</summary>
    public static FigureKey PipelineAmount { get; } = new("pipeline-amount");

    /// <summary>From deals: Σ amount × probability (at the period end) of the deals open at the period end.</summary>
    public static FigureKey WeightedPipelineAmount { get; } = new("weighted-pipeline-amount");

    /// <summary>From deals: Σ amount of the deals open at the period end in the pipeline forecast category and expected to close in the period.</summary>
    public static FigureKey ForecastPipeline { get; } = new("forecast-pipeline");

    /// <summary>From deals: as <see cref="ForecastPipeline"/> for the best-case category.</summary>
    public static FigureKey ForecastBestCase { get; } = new("forecast-best-case");

    /// <summary>From deals: as <see cref="ForecastPipeline"/> for the commit category.</summary>
    public static FigureKey ForecastCommit { get; } = new("forecast-commit");

    /// <summary>From deals, with rows per pipeline stage: deals entering the stage in the period (once per deal and stage).</summary>
    public static FigureKey StageEntries { get; } = new("stage-entries");

    /// <summary>From deals, with rows per pipeline stage: of those entries, the deals that moved to a later stage or were won before the period end.</summary>
    public static FigureKey StageAdvances { get; } = new("stage-advances");

    /// <summary>From deals, with rows per pipeline stage: stage visits that ended (the deal moved, was won or lost) in the period.</summary>
    public static FigureKey StageVisits { get; } = new("stage-visits");

    /// <summary>From deals, with rows per pipeline stage: Σ days of those visits.</summary>
    public static FigureKey StageVisitDays { get; } = new("stage-visit-days");

    /// <summary>Every figure produced from deals (<see cref="Evaluation.OpportunityMetricSource"/>).</summary>
    public static IReadOnlyList<FigureKey> FromDeals { get; } =
    [
        DealsWon, DealsLost, DealsClosed, AmountWon, AmountLost, AmountClosed, WonCycleDays, OpenDeals, PipelineAmount, WeightedPipelineAmount,
        ForecastPipeline, ForecastBestCase, ForecastCommit, StageEntries, StageAdvances, StageVisits, StageVisitDays,
    ];

    /// <summary>From cases, with rows per category: cases resolved in the period (a resolution entry inside it; <see cref="Evaluation.CaseScan"/>).</summary>
    public static FigureKey CasesResolved { get; } = new("cases-resolved");

    /// <summary>From cases, with rows per category: of those, resolved with at most one contact and not reopened within 7 days before the period end.</summary>
    public static FigureKey CasesResolvedFirstContact { get; } = new("cases-resolved-first-contact");

    /// <summary>From cases, with rows per category: Σ business seconds from opening to the latest resolution in the period, over the cases resolved in it.</summary>
    public static FigureKey CaseResolutionSeconds { get; } = new("case-resolution-seconds");

    /// <summary>From cases, with rows per category: Σ business seconds spent in progress before the latest resolution in the period, over the cases resolved in it.</summary>
    public static FigureKey CaseHandleSeconds { get; } = new("case-handle-seconds");

    /// <summary>From cases: of the cases resolved in the period, those reopened within 7 days of a resolution in the period, before its end.</summary>
    public static FigureKey CasesReopened { get; } = new("cases-reopened");

    /// <summary>From cases: cases resolved in the period under an SLA policy the source knows.</summary>
    public static FigureKey CasesResolvedUnderSla { get; } = new("cases-resolved-under-sla");

    /// <summary>From cases: of those, the cases that met both the first-response and the resolution target.</summary>
    public static FigureKey CasesSlaMet { get; } = new("cases-sla-met");

    /// <summary>From cases: of those, the cases that met the first-response target.</summary>
    public static FigureKey CasesFirstResponseMet { get; } = new("cases-first-response-met");

    /// <summary>From cases: of those, the cases that met the resolution target.</summary>
    public static FigureKey CasesResolutionMet { get; } = new("cases-resolution-met");

    /// <summary>From cases, with rows per priority: cases open (new, in progress or waiting on the customer) at the period end.</summary>
    public static FigureKey CasesOpen { get; } = new("cases-open");

    /// <summary>From cases: complaint cases resolved in the period.</summary>
    public static FigureKey ComplaintCasesResolved { get; } = new("complaint-cases-resolved");

    /// <summary>From cases: of those, resolved with a satisfaction score of positive polarity.</summary>
    public static FigureKey ComplaintCasesRecovered { get; } = new("complaint-cases-recovered");

    /// <summary>Every figure produced from cases (<see cref="Evaluation.CaseMetricSource"/>).</summary>
    public static IReadOnlyList<FigureKey> FromCases { get; } =
    [
        CasesResolved, CasesResolvedFirstContact, CaseResolutionSeconds, CaseHandleSeconds, CasesReopened, CasesResolvedUnderSla, CasesSlaMet,
        CasesFirstResponseMet, CasesResolutionMet, CasesOpen, ComplaintCasesResolved, ComplaintCasesRecovered,
    ];

    /// <summary>From acquisition journeys: prospects reached by a communication in the period (<see cref="Acquisition.AcquisitionAnalysis"/> gives the rules).</summary>
    public static FigureKey ProspectsReached { get; } = new("prospects-reached");

    /// <summary>From acquisition journeys: of the prospects reached, those whose first purchase falls in the period.</summary>
    public static FigureKey ProspectsConverted { get; } = new("prospects-converted");

    /// <summary>From acquisition journeys: the communications before the first purchase of the prospects converted.</summary>
    public static FigureKey JourneyCommunications { get; } = new("journey-communications");

    /// <summary>From acquisition journeys: Σ cost of the communications before the first purchase of the prospects converted, converted at the rate of each touchpoint's UTC date.</summary>
    public static FigureKey JourneyAcquisitionCost { get; } = new("journey-acquisition-cost");

    /// <summary>From acquisition journeys: Σ cost of every reached prospect's journey, converted or not (fully loaded).</summary>
    public static FigureKey ProspectSpend { get; } = new("prospect-spend");

    /// <summary>Every figure produced from acquisition journeys (<see cref="Acquisition.AcquisitionMetricSource"/>).</summary>
    public static IReadOnlyList<FigureKey> FromAcquisition { get; } = [ProspectsReached, ProspectsConverted, JourneyCommunications, JourneyAcquisitionCost, ProspectSpend];

    /// <summary>From prediction markets: markets resolved in the period (voided ones are left out).</summary>
    public static FigureKey MarketsResolved { get; } = new("markets-resolved");

    /// <summary>From prediction markets: Σ Brier score of the markets resolved in the period, each Σᵢ (price of outcome i at close − 1 if it won else 0)².</summary>
    public static FigureKey MarketBrierScoreSum { get; } = new("market-brier-score-sum");

    /// <summary>Every figure produced from prediction markets (<see cref="Innovation.PredictionMarketMetricSource"/>).</summary>
    public static IReadOnlyList<FigureKey> FromPredictionMarkets { get; } = [MarketsResolved, MarketBrierScoreSum];

    /// <summary>Every figure the scan produces.</summary>
    public static IReadOnlyList<FigureKey> Scanned { get; } =
    [
        Customers, ExpectedValues, PopulatedValues, Orders, PurchaseOccasions, PurchaseRevenue, PurchasingCustomers, RepeatCustomers, RepeatOccasionCustomers, CustomersAtRisk,
        CustomersRetained, Acquisitions, MarketingCost, CampaignContacts, CampaignResponses, NpsResponses, NpsPromoters, NpsDetractors,
        CsatResponses, CsatTopTwoBox, CesResponses, CesTotal, Ces2Responses, Ces2Total, Contacts, CostedContacts, ContactCost, ServiceCost,
        Issues, IssuesResolvedFirstContact, Complaints, ComplaintsClosed, ComplaintsRecovered, HandledInteractions,
    ];
}
