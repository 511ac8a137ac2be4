using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Touchpoints;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>
/// The standard CRM metric catalogue: each metric with its level, focus, unit, exact formula, conventions and source
/// (docs/metrics.md lists them), and the default hierarchy that links them. Use <see cref="CreateHierarchy"/> as it is,
/// or take <see cref="All"/> and add your own metrics and links with <see cref="MetricHierarchy.Create"/>.
/// </summary>
public static class StandardMetrics
{
    // Static initialisers run in text order: these come before the definitions that use them.
    private static readonly TouchpointKind[] PurchaseKind = [TouchpointKind.Purchase];

    private static readonly MetricRecordScope SurveyScope = MetricRecordScope.Touchpoints();

    private static readonly MetricRecordScope IssueScope = MetricRecordScope.Touchpoints([TouchpointKind.Enquiry, TouchpointKind.Complaint], [CrmFunction.Service], InteractionDirection.Inbound);

    /// <summary>Corporate: revenue of the period's purchase touchpoints.</summary>
    public static MetricDefinition PurchaseRevenue { get; } = new(
        new("purchase-revenue"), "Purchase revenue", "Revenue recorded on purchase touchpoints in the period, in the reporting currency.",
        MetricLevel.Corporate, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(F.PurchaseRevenue, "Σ revenue of purchase touchpoints in the period", MetricRecordScope.Touchpoints(PurchaseKind)),
        "Gross: returns are not netted. Amounts are converted at the rate of the day the purchase occurred in the reporting zone.");

    /// <summary>Corporate: CRM revenue from the ledger (input).</summary>
    public static MetricDefinition CrmRevenue { get; } = new(
        new("crm-revenue"), "CRM revenue", "Revenue attributed to CRM, from the ledger.",
        MetricLevel.Corporate, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(F.CrmRevenue, "crm-revenue (input)"),
        "Supplied by the metric input provider; the attribution rule is the ledger's.");

    /// <summary>Corporate: CRM profit from the ledger (input).</summary>
    public static MetricDefinition CrmProfit { get; } = new(
        new("crm-profit"), "CRM profit", "Profit attributed to CRM, from the ledger.",
        MetricLevel.Corporate, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(F.CrmProfit, "crm-profit (input)"),
        "Supplied by the metric input provider.");

    /// <summary>Corporate: customer equity, Σ CLV over the active customers.</summary>
    public static MetricDefinition CustomerEquity { get; } = new(
        new("customer-equity"), "Customer equity", "The value of the customer base: Σ CLV over the period's purchasing customers, each valued at the existing-customer residual CLV.",
        MetricLevel.Corporate, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Create("purchasing customers × residual CLV", [F.PurchasingCustomers, F.PurchaseRevenue, F.MarginRatio, F.DiscountRate, F.CustomersRetained, F.CustomersAtRisk], f =>
            ClvOf(f, SimpleClvForm.ExistingResidual) is { HasValue: true } clv && f.TryGet(F.PurchasingCustomers, out var customers)
                ? MetricValue.Of(customers * clv.Value!.Value)
                : ClvOf(f, SimpleClvForm.ExistingResidual)),
        "Every purchasing customer of the period is valued alike at the simple residual CLV (m·r/(1+d−r)) with the period's retention and revenue per customer.",
        "Gupta, Lehmann & Stuart (2004), Valuing Customers");

    /// <summary>Corporate: cost to serve as a share of revenue.</summary>
    public static MetricDefinition CostToServe { get; } = new(
        new("cost-to-serve"), "Cost to serve", "Service cost recorded on touchpoints per unit of purchase revenue.",
        MetricLevel.Corporate, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.ServiceCost, F.PurchaseRevenue, "Σ cost of service touchpoints ÷ purchase revenue", "purchase revenue", MetricRecordScope.Touchpoints(functions: [CrmFunction.Service])),
        "Service cost is the cost recorded on service-function touchpoints in the period; no revenue gives no value.");

    /// <summary>Customer strategic: customers who purchased in the period.</summary>
    public static MetricDefinition PurchasingCustomers { get; } = new(
        new("purchasing-customers"), "Active customers", "Customers with at least one purchase in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Count, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(F.PurchasingCustomers, "customers with ≥ 1 purchase in the period", MetricRecordScope.Touchpoints(PurchaseKind)),
        "Active means purchased in the period (non-contractual).");

    /// <summary>Customer strategic: customers acquired (first purchase ever in the period).</summary>
    public static MetricDefinition Acquisitions { get; } = new(
        new("acquisitions"), "Acquisitions", "Customers whose first purchase ever falls in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Count, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(F.Acquisitions, "customers whose first purchase is in the period", MetricRecordScope.Touchpoints(PurchaseKind)),
        "A customer is acquired by their first purchase, whatever the registration date.");

    /// <summary>Customer strategic: customer acquisition cost.</summary>
    public static MetricDefinition AcquisitionCost { get; } = new(
        new("customer-acquisition-cost"), "Customer acquisition cost (CAC)", "Marketing spend per customer acquired.",
        MetricLevel.CustomerStrategic, MetricFocus.Internal, MetricUnit.Money, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.MarketingCost, F.Acquisitions, "marketing contact cost ÷ customers acquired", "customers acquired", MetricRecordScope.Touchpoints(functions: [CrmFunction.Marketing])),
        "Cost scope: paid — the cost recorded on marketing-function touchpoints in the period, not fully loaded (no salaries or agency fees). Zero acquisitions give no value.",
        "Farris et al., Marketing Metrics");

    /// <summary>Customer strategic: prospect conversion rate, from the acquisition journeys.</summary>
    public static MetricDefinition ProspectConversionRate { get; } = new(
        new("prospect-conversion-rate"), "Prospect conversion rate", "Share of the prospects reached by a communication in the period whose first purchase followed in it.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.ProspectsConverted, F.ProspectsReached, "prospects converted ÷ prospects reached", "prospects reached", Journeys(Acquisition.AcquisitionMetricSource.Reached)),
        AcquisitionRules + " Divides by distinct journeys (not attributed reach). First purchases with no communication before them (direct conversions) are in neither figure. No prospect reached gives no value.");

    /// <summary>Customer strategic: acquisition cost per acquired customer, from the costs on the journeys before the first purchase.</summary>
    public static MetricDefinition JourneyAcquisitionCost { get; } = new(
        new("acquisition-cost-per-customer"), "Acquisition cost per acquired customer", "Cost of the communications before the first purchase per prospect converted in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.Internal, MetricUnit.Money, BetterDirection.LowerIsBetter,
        MetricFormula.Create("Σ cost of the converted prospects' communications before the first purchase ÷ prospects converted", [F.JourneyAcquisitionCost, F.ProspectSpend, F.ProspectsConverted], JourneyCostOf, Journeys(Acquisition.AcquisitionMetricSource.Converted)),
        AcquisitionRules + " Converters only: the cost recorded on their own journeys (touchpoint costs, not salaries or agency fees), each converted at the rate of the touchpoint's UTC date. The breakdown adds the fully loaded figure: every reached prospect's journey cost, converted or not, per conversion. customer-acquisition-cost is the period-spend convention (all marketing cost of the period ÷ acquisitions); this one follows each customer's journey. No conversion gives no value.",
        "Farris et al., Marketing Metrics");

    /// <summary>Operational: communications per conversion, from the acquisition journeys.</summary>
    public static MetricDefinition CommunicationsPerConversion { get; } = new(
        new("communications-per-conversion"), "Communications per conversion", "Communications before the first purchase per prospect converted in the period.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Ratio, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.JourneyCommunications, F.ProspectsConverted, "communications before the first purchase ÷ prospects converted", "prospects converted", Journeys(Acquisition.AcquisitionMetricSource.Converted)),
        AcquisitionRules + " Counts the converted prospects' communications in the period strictly before their first purchase, of every channel, kind and campaign (AcquisitionAnalysis breaks them down). No conversion gives no value.");

    /// <summary>Customer strategic: forecast accuracy of the prediction markets resolved in the period (mean Brier score).</summary>
    public static MetricDefinition ForecastAccuracy { get; } = new(
        new("forecast-accuracy"), "Forecast accuracy (Brier score)", "Mean Brier score of the prediction markets resolved in the period: how far the crowd's closing prices were from what happened.",
        MetricLevel.CustomerStrategic, MetricFocus.Internal, MetricUnit.Ratio, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.MarketBrierScoreSum, F.MarketsResolved, "Σ Σᵢ (closing price of outcome i − 1 if it happened else 0)² ÷ markets resolved", "markets resolved", MetricRecordScope.ProcessRecords(Innovation.PredictionMarketMetricSource.SourceName, Innovation.PredictionMarketMetricSource.Resolved)),
        "A market counts in the period its resolution falls in (reporting zone); voided markets are left out. Prices are the LMSR prices when trading ended. 0 is a perfect forecast, 0.5 a binary market left at 50/50, 2 the worst. No market resolved gives no value.",
        "Brier, Verification of forecasts expressed in terms of probability (1950); Hanson, Logarithmic market scoring rules (2007)");

    /// <summary>Customer strategic: retention rate.</summary>
    public static MetricDefinition RetentionRate { get; } = new(
        new("customer-retention-rate"), "Customer retention rate", "Share of the customers active at the period start who are still buying in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.CustomersRetained, F.CustomersAtRisk, "retained ÷ customers at risk", "customers at risk", MetricRecordScope.Touchpoints(PurchaseKind)),
        "At risk = customers with a purchase in the look-back window: the previous period (the same number of whole months before a period of whole months, else the same number of days). Retained = those who purchase again in the period. Customers acquired inside the period count in neither. This is repeat-buying retention (non-contractual), not contract renewal. No customers at risk give no value. Annual = monthly¹².",
        "Farris et al., Marketing Metrics");

    /// <summary>Customer strategic: churn rate.</summary>
    public static MetricDefinition ChurnRate { get; } = new(
        new("churn-rate"), "Churn rate", "Share of the customers active at the period start who stopped buying: 1 − retention.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.LowerIsBetter,
        MetricFormula.Create("1 − retained ÷ customers at risk", [F.CustomersRetained, F.CustomersAtRisk], f =>
            f.TryGet(F.CustomersRetained, out var retained) && f.TryGet(F.CustomersAtRisk, out var atRisk)
                ? MetricValue.Ratio(atRisk - retained, atRisk, "customers at risk")
                : MetricFormula.Missing(F.CustomersAtRisk), MetricRecordScope.Touchpoints(PurchaseKind)),
        "Same window and rules as the retention rate; churn = 1 − retention for the same period.",
        "Farris et al., Marketing Metrics");

    /// <summary>Customer strategic: revenue per purchasing customer.</summary>
    public static MetricDefinition RevenuePerCustomer { get; } = new(
        new("revenue-per-customer"), "Revenue per customer", "Purchase revenue per purchasing customer in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.PurchaseRevenue, F.PurchasingCustomers, "purchase revenue ÷ purchasing customers", "purchasing customers", MetricRecordScope.Touchpoints(PurchaseKind)),
        "Equals purchase frequency × AOV (same window, same order definition).");

    /// <summary>Customer strategic: share of wallet.</summary>
    public static MetricDefinition ShareOfWallet { get; } = new(
        new("share-of-wallet"), "Share of wallet", "The firm's share of its buyers' spend in the category.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Create("purchase revenue of the firm's buyers ÷ their category spend", [F.PurchaseRevenue, F.CategorySpend], f =>
        {
            if (!f.TryGet(F.PurchaseRevenue, out var firm) || !f.TryGet(F.CategorySpend, out var category))
            {
                return MetricFormula.Missing(F.CategorySpend);
            }

            var share = MetricValue.Ratio(firm, category, "category spend");
            return share.Value > 1m ? MetricValue.None("data error: the firm's revenue exceeds its buyers' category spend (share above 100 %)") : share;
        }),
        "Over the firm's own buyers of the period; category spend is an input (a panel or survey). Missing category spend gives no value; a share above 1 is flagged as a data error, not shown.",
        "Farris et al., Marketing Metrics");

    /// <summary>Customer strategic: simple CLV of a prospect paying now.</summary>
    public static MetricDefinition ClvProspect { get; } = new(
        new("clv-prospect"), "CLV, prospect (first payment now)", "Simple CLV of a new customer whose first margin is earned now: the most worth spending to acquire one.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        ClvFormula(SimpleClvForm.ProspectPaysNow, "m(1+d) ÷ (1+d−r)"),
        ClvConventions, ClvSource);

    /// <summary>Customer strategic: simple residual CLV of an existing customer.</summary>
    public static MetricDefinition ClvExisting { get; } = new(
        new("clv-existing"), "CLV, existing customer (residual)", "Simple residual CLV of a customer who has just paid; the next margin comes in one period if they are retained.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        ClvFormula(SimpleClvForm.ExistingResidual, "m·r ÷ (1+d−r)"),
        ClvConventions, ClvSource);

    /// <summary>Customer strategic: Net Promoter Score.</summary>
    public static MetricDefinition Nps { get; } = new(
        new("net-promoter-score"), "Net Promoter Score", "Promoters minus detractors, in points, among the period's likelihood-to-recommend answers.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Score, BetterDirection.HigherIsBetter,
        MetricFormula.Create("100 × (promoters − detractors) ÷ answers", [F.NpsPromoters, F.NpsDetractors, F.NpsResponses], f =>
            f.TryGet(F.NpsPromoters, out var p) && f.TryGet(F.NpsDetractors, out var d) && f.TryGet(F.NpsResponses, out var n)
                ? MetricValue.Ratio(p - d, n, "NPS answers", 100m)
                : MetricFormula.Missing(F.NpsResponses), SurveyScope),
        "Scale 0–10: promoters 9–10, passives 7–8 (in the denominator), detractors 0–6. −100 to 100. No answers give no value.",
        "Reichheld (2003), The One Number You Need to Grow, HBR");

    /// <summary>Customer strategic: CSAT, top-2-box share.</summary>
    public static MetricDefinition Csat { get; } = new(
        new("customer-satisfaction"), "Customer satisfaction (CSAT)", "Share of the period's CSAT answers that are 4 or 5 on the 1–5 scale.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.CsatTopTwoBox, F.CsatResponses, "answers of 4 or 5 ÷ CSAT answers", "CSAT answers", SurveyScope),
        "Top-2-box share on a 1–5 scale (not the mean). No answers give no value.");

    /// <summary>Customer strategic: CES 2010, mean effort 1–5.</summary>
    public static MetricDefinition Ces { get; } = new(
        new("customer-effort-score"), "Customer Effort Score (2010)", "Mean of the period's CES answers on the 2010 scale: 1 (very low effort) to 5 (very high effort).",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Score, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.CesTotal, F.CesResponses, "Σ CES (1–5) answers ÷ CES answers", "CES (2010) answers", SurveyScope),
        "The 2010 scale only; CES 2.0 answers (1–7 agreement) are a separate metric and never mixed in. Lower is better.",
        "Dixon, Freeman & Toman (2010), Stop Trying to Delight Your Customers, HBR");

    /// <summary>Customer strategic: CES 2.0, mean agreement 1–7.</summary>
    public static MetricDefinition Ces2 { get; } = new(
        new("customer-effort-score-2"), "Customer Effort Score 2.0", "Mean of the period's CES 2.0 answers: 1 (strongly disagree that it was easy) to 7 (strongly agree).",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Score, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.Ces2Total, F.Ces2Responses, "Σ CES 2.0 (1–7) answers ÷ CES 2.0 answers", "CES 2.0 answers", SurveyScope),
        "The 2.0 scale only; never mixed with the 2010 scale. Higher is better.",
        "CEB (2013), The Effortless Experience");

    /// <summary>Customer strategic: complaints per order.</summary>
    public static MetricDefinition ComplaintRate { get; } = new(
        new("complaint-rate"), "Complaint rate", "Complaints per order in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.Complaints, F.Orders, "complaint touchpoints ÷ purchase touchpoints", "orders", MetricRecordScope.Touchpoints([TouchpointKind.Complaint])),
        "Complaints and orders of the same period; an order is one purchase touchpoint (PurchaseCounting.EachOrder; ComplaintRateBy(SameDayOccasion) divides by purchase occasions). No orders give no value.");

    /// <summary>Operational: campaign response rate.</summary>
    public static MetricDefinition CampaignResponseRate { get; } = new(
        new("campaign-response-rate"), "Campaign response rate", "Responses per campaign contact in the period.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.CampaignResponses, F.CampaignContacts, "response touchpoints ÷ campaign-contact touchpoints", "campaign contacts", MetricRecordScope.Touchpoints([TouchpointKind.CampaignContact, TouchpointKind.Response])),
        "Responses and contacts of the same period (a response to last period's contact counts now); no contacts give no value.");

    /// <summary>Operational: funnel conversion through the default lifecycle's acquisition-to-loyalty chain, from the lifecycle history.</summary>
    public static MetricDefinition FunnelConversionRate { get; } = new(
        new("funnel-conversion"), "Funnel conversion", "Share of the cohort entering the prospect stage in the period that became loyal advocates before its end.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Create("N(loyal-advocate) ÷ N(prospect) of the cohort; = Π N(i+1) ÷ N(i)", Evaluation.LifecycleFunnel.Customer.Figures, f => FunnelOf(f, Evaluation.LifecycleFunnel.Customer), MetricRecordScope.Customers),
        "Cohort = customers entering the first stage (prospect, i.e. created) in the period; stage i+1 counts those who entered it after stage i and before the period end (LifecycleFunnel). Right-censored at the period end: late joiners have had less time. The breakdown gives each stage conversion N(i+1) ÷ N(i); their product is the overall conversion. Counted from the customers' lifecycle history in the evaluation's pass.");

    /// <summary>Operational: recovery of dissatisfied customers through the default lifecycle (dissatisfied → recovered), from the lifecycle history.</summary>
    public static MetricDefinition LifecycleRecoveryRate { get; } = new(
        new("lifecycle-recovery-rate"), "Dissatisfied-customer recovery", "Share of the customers who became dissatisfied in the period that were recovered before its end.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Create("N(recovered) ÷ N(dissatisfied) of the cohort", Evaluation.LifecycleFunnel.Recovery.Figures, f => FunnelOf(f, Evaluation.LifecycleFunnel.Recovery), MetricRecordScope.Customers),
        "Cohort = customers entering the dissatisfied stage in the period (a complaint or negative feedback); recovered = entered the recovered stage afterwards and before the period end (right-censored). Per customer, unlike complaint-recovery-rate, which counts complaint cases resolved with a positive score.");

    /// <summary>Operational: average order value.</summary>
    public static MetricDefinition AverageOrderValue { get; } = new(
        new("average-order-value"), "Average order value (AOV)", "Revenue per order in the period.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.PurchaseRevenue, F.Orders, "purchase revenue ÷ orders", "orders", MetricRecordScope.Touchpoints(PurchaseKind)),
        "Gross of returns; an order is one purchase touchpoint (same-day purchases are not merged: PurchaseCounting.EachOrder; AverageOrderValueBy(SameDayOccasion) merges them). No orders give no value.",
        "Farris et al., Marketing Metrics");

    /// <summary>Operational: purchase frequency.</summary>
    public static MetricDefinition PurchaseFrequency { get; } = new(
        new("purchase-frequency"), "Purchase frequency", "Orders per purchasing customer in the period.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Ratio, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.Orders, F.PurchasingCustomers, "orders ÷ purchasing customers", "purchasing customers", MetricRecordScope.Touchpoints(PurchaseKind)),
        "Orders as for AOV (each purchase touchpoint: PurchaseCounting.EachOrder; PurchaseFrequencyBy(SameDayOccasion) merges same-day purchases); unique customers with at least one order.");

    /// <summary>Operational: repeat purchase rate.</summary>
    public static MetricDefinition RepeatPurchaseRate { get; } = new(
        new("repeat-purchase-rate"), "Repeat purchase rate", "Share of the period's buyers who bought at least twice in it.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.RepeatCustomers, F.PurchasingCustomers, "customers with ≥ 2 purchases ÷ customers with ≥ 1", "purchasing customers", MetricRecordScope.Touchpoints(PurchaseKind)),
        "Within the period; purchases are touchpoints, not merged by day (PurchaseCounting.EachOrder; RepeatPurchaseRateBy(SameDayOccasion) merges them, the customer-base models' convention). No buyers give no value.");

    /// <summary>Operational: first-contact resolution, from service cases.</summary>
    public static MetricDefinition FirstContactResolution { get; } = new(
        new("first-contact-resolution"), "First-contact resolution (FCR)", "Share of the cases resolved in the period that were resolved on the first contact and not reopened within 7 days.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Create("cases resolved with ≤ 1 contact and no reopen within 7 days ÷ cases resolved in the period", [F.CasesResolvedFirstContact, F.CasesResolved], f => PerStage(f, F.CasesResolvedFirstContact, F.CasesResolved, "cases resolved"), Cases(Evaluation.CaseScan.ResolvedInPeriod)),
        ServiceLevel + " " + CaseAsOfRule + " A case resolved in the period's last 7 days counts as resolved on first contact when it was not reopened before the period end (right-censored; later reopens do not change the period). The breakdown has one row per category. No case resolved gives no value.");

    /// <summary>Operational: average resolution time in business hours, from service cases.</summary>
    public static MetricDefinition AverageResolutionTime { get; } = new(
        new("average-resolution-time"), "Average resolution time", "Business time from opening to resolution per case resolved in the period, in seconds.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Duration, BetterDirection.LowerIsBetter,
        MetricFormula.Create("Σ business time (opened → latest resolution in the period) ÷ cases resolved in the period", [F.CaseResolutionSeconds, F.CasesResolved], f => PerStage(f, F.CaseResolutionSeconds, F.CasesResolved, "cases resolved"), Cases(Evaluation.CaseScan.ResolvedInPeriod)),
        ServiceLevel + " " + CaseAsOfRule + " Gross: time waiting on the customer counts (the SLA clock pauses it; see sla-attainment). " + CalendarRule + " The breakdown has one row per category. No case resolved gives no value.");

    /// <summary>Operational: average handle time in business hours, from service cases.</summary>
    public static MetricDefinition AverageHandleTime { get; } = new(
        new("average-handle-time"), "Average handle time (AHT)", "Business time spent in progress per case resolved in the period, in seconds.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Duration, BetterDirection.LowerIsBetter,
        MetricFormula.Create("Σ business time in progress before the resolution ÷ cases resolved in the period", [F.CaseHandleSeconds, F.CasesResolved], f => PerStage(f, F.CaseHandleSeconds, F.CasesResolved, "cases resolved"), Cases(Evaluation.CaseScan.ResolvedInPeriod)),
        ServiceLevel + " " + CaseAsOfRule + " Handle time is the case's time in progress (its handling intervals) before its latest resolution in the period, including earlier periods' handling. " + CalendarRule + " For the contact-centre platform's talk + hold + wrap time per contact, see touchpoint-average-handle-time. The breakdown has one row per category. No case resolved gives no value.");

    /// <summary>Operational: SLA attainment, from service cases.</summary>
    public static MetricDefinition SlaAttainment { get; } = new(
        new("sla-attainment"), "SLA attainment", "Share of the cases resolved in the period under an SLA policy that met both the first-response and the resolution target.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Create("cases meeting both targets ÷ cases resolved in the period under a policy", [F.CasesSlaMet, F.CasesResolvedUnderSla, F.CasesFirstResponseMet, F.CasesResolutionMet], SlaOf, Cases(Evaluation.CaseScan.ResolvedUnderSla)),
        ServiceLevel + " " + CaseAsOfRule + " Each case's policy clock (current priority, waiting on the customer paused) is evaluated at its latest resolution in the period; a target is met when its state is Met. Cases without a policy known to the source are left out. The breakdown has one row per target (first-response, resolution). No case resolved under a policy gives no value.");

    /// <summary>Operational: the case backlog at the period end, from service cases.</summary>
    public static MetricDefinition CaseBacklog { get; } = new(
        new("case-backlog"), "Case backlog", "Cases open (new, in progress or waiting on the customer) at the period end.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Count, BetterDirection.LowerIsBetter,
        MetricFormula.Create("cases whose status at the period end is new, in progress or waiting on the customer", [F.CasesOpen], BacklogOf, Cases(Evaluation.CaseScan.OpenAtEnd)),
        ServiceLevel + " " + CaseAsOfRule + " The breakdown has one row per priority (the case's current priority), low to urgent.");

    /// <summary>Operational: reopen rate, from service cases.</summary>
    public static MetricDefinition ReopenRate { get; } = new(
        new("reopen-rate"), "Reopen rate", "Share of the cases resolved in the period that were reopened within 7 days of a resolution in it.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.CasesReopened, F.CasesResolved, "cases reopened within 7 days of a resolution in the period ÷ cases resolved in the period", "cases resolved", Cases(Evaluation.CaseScan.ResolvedInPeriod)),
        ServiceLevel + " " + CaseAsOfRule + " Only reopens before the period end count (right-censored). No case resolved gives no value.");

    /// <summary>Operational: complaint recovery, from service cases.</summary>
    public static MetricDefinition ComplaintRecovery { get; } = new(
        new("complaint-recovery-rate"), "Complaint recovery rate", "Share of the complaint cases resolved in the period that were resolved to the customer's satisfaction.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.ComplaintCasesRecovered, F.ComplaintCasesResolved, "complaint cases resolved with a positive satisfaction score ÷ complaint cases resolved in the period", "complaint cases resolved", Cases(Evaluation.CaseScan.ComplaintsResolved)),
        ServiceLevel + " " + CaseAsOfRule + " Recovered when the resolution's satisfaction score has positive polarity (CSAT 4–5, NPS 9–10, CES 1–2, CES 2.0 5–7), the threshold the lifecycle uses for dissatisfied → recovered; no score is not recovered. No complaint case resolved gives no value.");

    /// <summary>Operational: first-contact resolution approximated from touchpoint outcomes, for tenants that record contacts without cases.</summary>
    public static MetricDefinition TouchpointFirstContactResolution { get; } = new(
        new("touchpoint-first-contact-resolution"), "First-contact resolution from touchpoints", "Share of inbound issues whose touchpoint outcome was resolved with no further contact within 7 days.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.IssuesResolvedFirstContact, F.Issues, "issues resolved on first contact ÷ issues", "issues", IssueScope),
        "An approximation for tenants without service cases (first-contact-resolution counts cases). An issue is an inbound service touchpoint of kind enquiry or complaint in the period. It is resolved on first contact when its outcome is 'resolved' and the customer makes no further inbound service contact within 7 days (verified by looking 7 days past the period end). No issues give no value.");

    /// <summary>Operational: average handle time per contact from the contact-centre platform (input).</summary>
    public static MetricDefinition TouchpointAverageHandleTime { get; } = new(
        new("touchpoint-average-handle-time"), "Average handle time per contact", "Talk, hold and after-contact work per handled interaction, in seconds.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Duration, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.HandleTimeSeconds, F.HandledInteractions, "(talk + hold + after-contact work) ÷ handled interactions", "handled interactions", MetricRecordScope.Touchpoints(functions: [CrmFunction.Service], direction: InteractionDirection.Inbound)),
        "Per contact, not per case (average-handle-time counts cases' business time in progress). Handle time is an input (the contact-centre platform's); handled interactions are the period's inbound service touchpoints.");

    /// <summary>Operational: complaint recovery approximated from resolution touchpoints, for tenants that record contacts without cases.</summary>
    public static MetricDefinition TouchpointComplaintRecovery { get; } = new(
        new("touchpoint-complaint-recovery-rate"), "Complaint recovery rate from touchpoints", "Share of resolution touchpoints with a positive satisfaction answer.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.ComplaintsRecovered, F.ComplaintsClosed, "resolutions with a positive satisfaction answer ÷ resolutions", "complaints closed", MetricRecordScope.Touchpoints([TouchpointKind.Resolution])),
        "An approximation for tenants without service cases (complaint-recovery-rate counts complaint cases). A closed complaint is a resolution touchpoint in the period; it is recovered when its satisfaction answer is positive on its scale (CSAT 4–5, NPS 9–10, CES 1–2, CES 2.0 5–7). No resolutions give no value.");

    /// <summary>Operational: cost per contact, by channel.</summary>
    public static MetricDefinition CostPerContact { get; } = new(
        new("cost-per-contact"), "Cost per contact", "Recorded cost per costed contact, overall and by channel.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Money, BetterDirection.LowerIsBetter,
        MetricFormula.Create("Σ contact cost ÷ contacts that carry a cost (per channel)", [F.ContactCost, F.CostedContacts], f =>
        {
            var total = f.TryGet(F.ContactCost, out var cost) && f.TryGet(F.CostedContacts, out var costed)
                ? MetricValue.Ratio(cost, costed, "contacts with a cost")
                : MetricFormula.Missing(F.ContactCost);
            return total.WithBreakdown([.. f.Channels.Select(c => new MetricBreakdownRow(c.Channel.Value, MetricValue.Ratio(c.Cost, c.CostedContacts, "contacts with a cost")))]);
        }, MetricRecordScope.Touchpoints()),
        "Contacts that record no cost are left out of the denominator (a web purchase is not a zero-cost contact).");

    /// <summary>Operational: channel profitability.</summary>
    public static MetricDefinition ChannelProfitability { get; } = new(
        new("channel-profitability"), "Channel profitability", "Attributed revenue − direct cost − allocated shared cost, overall and by channel.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Create("Σ channel (revenue − direct cost − shared cost × channel contacts ÷ contacts)", [F.SharedChannelCost], f =>
        {
            if (!f.TryGet(F.SharedChannelCost, out var shared))
            {
                return MetricFormula.Missing(F.SharedChannelCost);
            }

            var contacts = f.Channels.Sum(c => c.Contacts);
            var rows = f.Channels.Select(c => new MetricBreakdownRow(
                c.Channel.Value,
                MetricValue.Of(c.Revenue - c.Cost - (contacts == 0 ? 0m : shared * c.Contacts / contacts)))).ToList();
            var total = f.Channels.Sum(c => c.Revenue - c.Cost) - (contacts == 0 ? 0m : shared);
            return MetricValue.Of(total).WithBreakdown(rows);
        }, MetricRecordScope.Touchpoints()),
        "Attribution rule: a channel earns the revenue recorded on its own touchpoints (last touch). Direct cost is the cost recorded on them; shared cost is an input allocated by share of contacts. Missing shared cost gives no value.");

    /// <summary>Operational: win rate by count, from deals.</summary>
    public static MetricDefinition WinRate { get; } = new(
        new("win-rate"), "Win rate", "Share of the deals closed in the period that were won.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.DealsWon, F.DealsClosed, "deals won ÷ deals won or lost in the period", "deals closed", Deals(Evaluation.OpportunityScan.ClosedInPeriod)),
        SalesLevel + " " + AsOfRule + " Closed in the period = the deal's state at the period end is won or lost, reached inside the period (a deal lost and reopened later still counts as lost here). No deal closed gives no value.");

    /// <summary>Operational: win rate by value, from deals.</summary>
    public static MetricDefinition WinRateByValue { get; } = new(
        new("win-rate-by-value"), "Win rate by value", "Share of the amount closed in the period that was won.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.AmountWon, F.AmountClosed, "amount won ÷ amount won or lost in the period", "amount closed", Deals(Evaluation.OpportunityScan.ClosedInPeriod)),
        SalesLevel + " " + AsOfRule + " Amounts are converted at the rate of the closing day in the reporting zone; the deal's current amount counts (line items have no history). No amount closed gives no value.");

    /// <summary>Operational: average deal size, from deals.</summary>
    public static MetricDefinition AverageDealSize { get; } = new(
        new("average-deal-size"), "Average deal size", "Amount won per deal won in the period.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.AmountWon, F.DealsWon, "amount won ÷ deals won in the period", "deals won", Deals(Evaluation.OpportunityScan.WonInPeriod)),
        SalesLevel + " " + AsOfRule + " Lost deals are left out. Converted at the rate of the closing day. No deal won gives no value.");

    /// <summary>Operational: sales cycle length, from deals.</summary>
    public static MetricDefinition SalesCycleLength { get; } = new(
        new("sales-cycle-length"), "Sales cycle length", "Mean days from opening a deal to winning it, over the deals won in the period.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Days, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.WonCycleDays, F.DealsWon, "Σ (won at − opened at) ÷ deals won in the period", "deals won", Deals(Evaluation.OpportunityScan.WonInPeriod)),
        SalesLevel + " " + AsOfRule + " Elapsed days of 86,400 s from the history entry that opened the deal to the one that won it (time spent lost before a reopen included); lost deals are left out. No deal won gives no value.");

    /// <summary>Operational: pipeline value at the period end, from deals.</summary>
    public static MetricDefinition PipelineValue { get; } = new(
        new("pipeline-value"), "Pipeline value", "Σ amount of the deals open at the period end.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(F.PipelineAmount, "Σ amount of the deals open at the period end", Deals(Evaluation.OpportunityScan.OpenAtEnd)),
        SalesLevel + " " + AsOfRule + " Open at the period end = the deal's state after its last history entry before the end is open (not 'open now'); whatever its expected close date. Converted at the rate of the period's last day. None open gives 0.");

    /// <summary>Operational: weighted pipeline value at the period end, from deals.</summary>
    public static MetricDefinition WeightedPipelineValue { get; } = new(
        new("weighted-pipeline-value"), "Weighted pipeline value", "Σ amount × probability of the deals open at the period end.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(F.WeightedPipelineAmount, "Σ amount × stage probability of the deals open at the period end", Deals(Evaluation.OpportunityScan.OpenAtEnd)),
        SalesLevel + " " + AsOfRule + " The probability is the one of the stage the deal was in at the period end: recorded on the deal for its latest visit, the pipeline's for an earlier one. Never above the pipeline value. None open gives 0.");

    /// <summary>Operational: pipeline velocity, from deals.</summary>
    public static MetricDefinition PipelineVelocity { get; } = new(
        new("pipeline-velocity"), "Pipeline velocity", "Amount the pipeline is expected to turn into won business per day: open deals × win rate × average deal size ÷ sales cycle length.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Create("open deals × win rate × average deal size ÷ sales cycle length (per day)", [F.OpenDeals, F.DealsWon, F.DealsLost, F.AmountWon, F.WonCycleDays], Velocity, Deals(Evaluation.OpportunityScan.Velocity)),
        SalesLevel + " " + AsOfRule + " Open deals are those open at the period end; win rate (by count), average deal size and cycle length are the period's, as in their own metrics, so velocity = open × amount won × won ÷ ((won + lost) × Σ cycle days). Money per day in the reporting currency. No deal won, or a total cycle of zero days, gives no value.");

    /// <summary>Operational: stage conversion, per pipeline stage, from the deals' stage history.</summary>
    public static MetricDefinition StageConversion { get; } = new(
        new("stage-conversion"), "Stage conversion", "Share of the deals entering a stage in the period that moved on to a later stage or were won before its end, overall and per stage.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Create("Σ advanced ÷ Σ entered; per stage: deals that moved on from it ÷ deals that entered it", [F.StageEntries, F.StageAdvances], f => PerStage(f, F.StageAdvances, F.StageEntries, "stage entries"), Deals(Evaluation.OpportunityScan.EnteredStage)),
        SalesLevel + " " + AsOfRule + " A deal entering a stage (opened into it, moved to it, reopened into it) in the period counts once per stage; it advanced when, after that first entry and before the period end, it moved to a stage later in its pipeline's order or was won. Right-censored at the period end. The breakdown has one row per pipeline stage entered in the period, keyed {pipeline id}/{stage key}, in stage order. No stage entered gives no value.");

    /// <summary>Operational: average time in stage, per pipeline stage, from the deals' stage history.</summary>
    public static MetricDefinition TimeInStage { get; } = new(
        new("time-in-stage"), "Time in stage", "Mean days a deal spent in a stage, over the stage visits that ended in the period, overall and per stage.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Days, BetterDirection.LowerIsBetter,
        MetricFormula.Create("Σ visit days ÷ visits ended in the period; per stage likewise", [F.StageVisitDays, F.StageVisits], f => PerStage(f, F.StageVisitDays, F.StageVisits, "stage visits ended"), Deals(Evaluation.OpportunityScan.LeftStage)),
        SalesLevel + " " + AsOfRule + " A visit runs from the history entry that put the deal in the stage to the next entry (a move, a win, a loss); it counts in the period its end falls in, with its whole length (elapsed days of 86,400 s). Visits still running at the period end are left out. The breakdown has one row per stage with a visit ended in the period, keyed {pipeline id}/{stage key}, in stage order. No visit ended gives no value.");

    /// <summary>Operational: the sales forecast by category for the period, from deals.</summary>
    public static MetricDefinition SalesForecast { get; } = new(
        new("sales-forecast"), "Sales forecast", "The amount expected to close in the period by forecast category (pipeline, best case, commit) plus the amount closed (won) in it.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Create("pipeline + best case + commit (open at the period end, expected to close in it) + closed (won in it)", [F.ForecastPipeline, F.ForecastBestCase, F.ForecastCommit, F.AmountWon], ForecastOf, Deals(Evaluation.OpportunityScan.Forecast)),
        SalesLevel + " " + AsOfRule + " The breakdown has one row per category: pipeline, best case and commit sum the deals open at the period end whose expected close date falls in the period, by their category at the period end; closed is the amount won in the period. Categories are not cumulative (add them for commit + closed). For a period not yet over this is the live forecast. Zero when there are none.");

    /// <summary>Infrastructure: data completeness.</summary>
    public static MetricDefinition DataCompleteness { get; } = new(
        new("data-completeness"), "Data completeness", "Share of the expected customer profile values that are populated.",
        MetricLevel.InfrastructureInput, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.PopulatedValues, F.ExpectedValues, "populated values ÷ expected values", "expected values", MetricRecordScope.Customers),
        "Three values are expected per customer: a contact point, a home time zone, an external identifier. Measured over all customer records at evaluation time.",
        "DAMA UK (2013), The Six Primary Dimensions for Data Quality Assessment");

    /// <summary>Infrastructure: uniqueness.</summary>
    public static MetricDefinition Uniqueness { get; } = new(
        new("uniqueness"), "Uniqueness", "Real entities per customer record.",
        MetricLevel.InfrastructureInput, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Create("(records − duplicate records) ÷ records", [F.Customers, F.DuplicateRecords], f =>
            f.TryGet(F.Customers, out var records) && f.TryGet(F.DuplicateRecords, out var duplicates)
                ? MetricValue.Ratio(records - duplicates, records, "customer records")
                : MetricFormula.Missing(F.DuplicateRecords), MetricRecordScope.Customers),
        "Duplicate records (records that are another record's entity) come from a duplicate-detection run, an input.",
        "DAMA UK (2013), The Six Primary Dimensions for Data Quality Assessment");

    /// <summary>Infrastructure: duplicate rate.</summary>
    public static MetricDefinition DuplicateRate { get; } = new(
        new("duplicate-rate"), "Duplicate rate", "Share of customer records that duplicate another: 1 − uniqueness.",
        MetricLevel.InfrastructureInput, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.DuplicateRecords, F.Customers, "duplicate records ÷ records", "customer records", MetricRecordScope.Customers),
        "As for uniqueness.");

    /// <summary>Infrastructure: system availability (input).</summary>
    public static MetricDefinition SystemAvailability { get; } = new(
        new("system-availability"), "System availability", "Share of the scheduled, non-maintenance time the CRM systems were up.",
        MetricLevel.InfrastructureInput, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Create("uptime ÷ (scheduled time − planned maintenance)", [F.UptimeHours, F.ScheduledHours, F.MaintenanceHours], f =>
            f.TryGet(F.UptimeHours, out var up) && f.TryGet(F.ScheduledHours, out var scheduled) && f.TryGet(F.MaintenanceHours, out var maintenance)
                ? MetricValue.Ratio(up, scheduled - maintenance, "scheduled hours outside maintenance")
                : MetricFormula.Missing(F.UptimeHours)),
        "Hours are inputs from the monitoring system.");

    /// <summary>
    /// Average order value under a purchase-counting convention: <see cref="AverageOrderValue"/> for
    /// <see cref="PurchaseCounting.EachOrder"/>; for <see cref="PurchaseCounting.SameDayOccasion"/>, revenue per purchase
    /// occasion (<c>average-order-value-by-occasion</c>: a customer's same-day purchases are one occasion).
    /// </summary>
    /// <param name="counting">What counts as one order.</param>
    /// <returns>The definition; the same instance on every call.</returns>
    /// <exception cref="System.ComponentModel.InvalidEnumArgumentException"><paramref name="counting"/> is not defined.</exception>
    public static MetricDefinition AverageOrderValueBy(PurchaseCounting counting)
        => Preconditions.Defined(counting) == PurchaseCounting.EachOrder ? AverageOrderValue : AverageOccasionValue;

    /// <summary>
    /// Purchase frequency under a purchase-counting convention: <see cref="PurchaseFrequency"/> for
    /// <see cref="PurchaseCounting.EachOrder"/>; for <see cref="PurchaseCounting.SameDayOccasion"/>, purchase occasions per
    /// purchasing customer (<c>purchase-frequency-by-occasion</c>).
    /// </summary>
    /// <param name="counting">What counts as one order.</param>
    /// <returns>The definition; the same instance on every call.</returns>
    /// <exception cref="System.ComponentModel.InvalidEnumArgumentException"><paramref name="counting"/> is not defined.</exception>
    public static MetricDefinition PurchaseFrequencyBy(PurchaseCounting counting)
        => Preconditions.Defined(counting) == PurchaseCounting.EachOrder ? PurchaseFrequency : OccasionFrequency;

    /// <summary>
    /// Repeat purchase rate under a purchase-counting convention: <see cref="RepeatPurchaseRate"/> for
    /// <see cref="PurchaseCounting.EachOrder"/>; for <see cref="PurchaseCounting.SameDayOccasion"/>, the share of the
    /// period's buyers who bought on at least two different days (<c>repeat-purchase-rate-by-occasion</c>), the
    /// convention of customer-base analysis (946 / 2,357 on the CDNOW calibration period, against 959 counting orders).
    /// </summary>
    /// <param name="counting">What counts as one purchase.</param>
    /// <returns>The definition; the same instance on every call.</returns>
    /// <exception cref="System.ComponentModel.InvalidEnumArgumentException"><paramref name="counting"/> is not defined.</exception>
    public static MetricDefinition RepeatPurchaseRateBy(PurchaseCounting counting)
        => Preconditions.Defined(counting) == PurchaseCounting.EachOrder ? RepeatPurchaseRate : RepeatOccasionRate;

    /// <summary>
    /// Complaint rate under a purchase-counting convention: <see cref="ComplaintRate"/> (complaints per order) for
    /// <see cref="PurchaseCounting.EachOrder"/>; complaints per purchase occasion (<c>complaint-rate-by-occasion</c>) for
    /// <see cref="PurchaseCounting.SameDayOccasion"/>.
    /// </summary>
    /// <param name="counting">What counts as one order.</param>
    /// <returns>The definition; the same instance on every call.</returns>
    /// <exception cref="System.ComponentModel.InvalidEnumArgumentException"><paramref name="counting"/> is not defined.</exception>
    public static MetricDefinition ComplaintRateBy(PurchaseCounting counting)
        => Preconditions.Defined(counting) == PurchaseCounting.EachOrder ? ComplaintRate : OccasionComplaintRate;

    private const string OccasionConvention = "A purchase occasion is all of a customer's purchase touchpoints on one day in the reporting zone (PurchaseCounting.SameDayOccasion), the convention of customer-base analysis.";

    private static readonly MetricDefinition AverageOccasionValue = new(
        new("average-order-value-by-occasion"), "Average order value (AOV), same-day occasions", "Revenue per purchase occasion in the period.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Money, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.PurchaseRevenue, F.PurchaseOccasions, "purchase revenue ÷ purchase occasions", "purchase occasions", MetricRecordScope.Touchpoints(PurchaseKind)),
        "Gross of returns. " + OccasionConvention + " No purchases give no value.",
        "Farris et al., Marketing Metrics");

    private static readonly MetricDefinition OccasionFrequency = new(
        new("purchase-frequency-by-occasion"), "Purchase frequency, same-day occasions", "Purchase occasions per purchasing customer in the period.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Ratio, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.PurchaseOccasions, F.PurchasingCustomers, "purchase occasions ÷ purchasing customers", "purchasing customers", MetricRecordScope.Touchpoints(PurchaseKind)),
        OccasionConvention + " Revenue = active customers × this × AOV by occasion.");

    private static readonly MetricDefinition RepeatOccasionRate = new(
        new("repeat-purchase-rate-by-occasion"), "Repeat purchase rate, same-day occasions", "Share of the period's buyers who bought on at least two different days in it.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(F.RepeatOccasionCustomers, F.PurchasingCustomers, "customers with ≥ 2 purchase occasions ÷ customers with ≥ 1", "purchasing customers", MetricRecordScope.Touchpoints(PurchaseKind)),
        "Within the period. " + OccasionConvention + " No buyers give no value.");

    private static readonly MetricDefinition OccasionComplaintRate = new(
        new("complaint-rate-by-occasion"), "Complaint rate, same-day occasions", "Complaints per purchase occasion in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(F.Complaints, F.PurchaseOccasions, "complaint touchpoints ÷ purchase occasions", "purchase occasions", MetricRecordScope.Touchpoints([TouchpointKind.Complaint])),
        "Complaints and purchase occasions of the same period. " + OccasionConvention + " No purchases give no value.");

    /// <summary>Every metric of the catalogue, in level order (corporate first).</summary>
    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        PurchaseRevenue, CrmRevenue, CrmProfit, CustomerEquity, CostToServe,
        PurchasingCustomers, Acquisitions, AcquisitionCost, ProspectConversionRate, JourneyAcquisitionCost, ForecastAccuracy, RetentionRate, ChurnRate, RevenuePerCustomer, ShareOfWallet, ClvProspect, ClvExisting, Nps, Csat, Ces, Ces2, ComplaintRate,
        CampaignResponseRate, CommunicationsPerConversion, FunnelConversionRate, LifecycleRecoveryRate, AverageOrderValue, PurchaseFrequency, RepeatPurchaseRate, CaseBacklog, ReopenRate, FirstContactResolution, AverageResolutionTime, AverageHandleTime, SlaAttainment, ComplaintRecovery,
        TouchpointFirstContactResolution, TouchpointAverageHandleTime, TouchpointComplaintRecovery, CostPerContact, ChannelProfitability,
        WinRate, WinRateByValue, AverageDealSize, SalesCycleLength, PipelineValue, WeightedPipelineValue, PipelineVelocity, StageConversion, TimeInStage, SalesForecast,
        DataCompleteness, Uniqueness, DuplicateRate, SystemAvailability,
    ];

    /// <summary>The identities of the default hierarchy, each checked on every evaluation.</summary>
    public static IReadOnlyList<MetricIdentity> Identities { get; } =
    [
        MetricIdentity.Product(PurchaseRevenue.Id, [PurchasingCustomers.Id, PurchaseFrequency.Id, AverageOrderValue.Id], "revenue = active customers × purchase frequency × AOV"),
        MetricIdentity.Product(RevenuePerCustomer.Id, [PurchaseFrequency.Id, AverageOrderValue.Id], "revenue per customer = purchase frequency × AOV"),
        MetricIdentity.Product(CustomerEquity.Id, [PurchasingCustomers.Id, ClvExisting.Id], "customer equity = Σ CLV = active customers × residual CLV"),
        MetricIdentity.Complement(ChurnRate.Id, RetentionRate.Id, "churn = 1 − retention"),
        MetricIdentity.Complement(DuplicateRate.Id, Uniqueness.Id, "duplicate rate = 1 − uniqueness"),
    ];

    /// <summary>The hypothesised causal links of the default hierarchy.</summary>
    public static IReadOnlyList<DriverLink> Causes { get; } =
    [
        DriverLink.Cause(DataCompleteness.Id, CampaignResponseRate.Id, "complete contact data lets campaigns reach and fit their audience"),
        DriverLink.Cause(Uniqueness.Id, CampaignResponseRate.Id, "duplicate records waste and annoy with repeated contacts"),
        DriverLink.Cause(SystemAvailability.Id, FirstContactResolution.Id, "agents resolve issues when the systems are up"),
        DriverLink.Cause(SystemAvailability.Id, AverageHandleTime.Id, "slow or missing systems lengthen every contact"),
        DriverLink.Cause(FirstContactResolution.Id, Csat.Id, "issues fixed on first contact leave customers satisfied"),
        DriverLink.Cause(ComplaintRecovery.Id, RetentionRate.Id, "a well-recovered complaint keeps the customer"),
        DriverLink.Cause(LifecycleRecoveryRate.Id, RetentionRate.Id, "a recovered customer keeps buying"),
        DriverLink.Cause(Csat.Id, RetentionRate.Id, "satisfied customers keep buying"),
        DriverLink.Cause(Nps.Id, RetentionRate.Id, "promoters stay and recommend"),
        DriverLink.Cause(Ces.Id, RetentionRate.Id, "high effort drives disloyalty (Dixon et al. 2010)"),
        DriverLink.Cause(Ces2.Id, RetentionRate.Id, "easy service drives loyalty"),
        DriverLink.Cause(ComplaintRate.Id, RetentionRate.Id, "complaints signal customers about to leave"),
        DriverLink.Cause(RetentionRate.Id, ClvExisting.Id, "CLV rises steeply with retention"),
        DriverLink.Cause(RetentionRate.Id, ClvProspect.Id, "CLV rises steeply with retention"),
        DriverLink.Cause(RetentionRate.Id, PurchasingCustomers.Id, "active(t+1) = active(t) × retention + acquisitions"),
        DriverLink.Cause(Acquisitions.Id, PurchasingCustomers.Id, "active(t+1) = active(t) × retention + acquisitions"),
        DriverLink.Cause(CampaignResponseRate.Id, Acquisitions.Id, "responses become first purchases"),
        DriverLink.Cause(FunnelConversionRate.Id, Acquisitions.Id, "prospects converted are customers acquired"),
        DriverLink.Cause(ProspectConversionRate.Id, Acquisitions.Id, "prospects reached and converted are customers acquired"),
        DriverLink.Cause(CampaignResponseRate.Id, ProspectConversionRate.Id, "prospects who respond go on to buy"),
        DriverLink.Cause(CommunicationsPerConversion.Id, JourneyAcquisitionCost.Id, "every communication before the first purchase is spend on the journey"),
        DriverLink.Cause(JourneyAcquisitionCost.Id, CrmProfit.Id, "acquisition spend is a cost"),
        DriverLink.Cause(RepeatPurchaseRate.Id, PurchaseFrequency.Id, "more repeat buyers raise orders per customer"),
        DriverLink.Cause(ShareOfWallet.Id, PurchaseRevenue.Id, "a larger share of the buyers' spend is more revenue"),
        DriverLink.Cause(CostPerContact.Id, CostToServe.Id, "cheaper contacts lower the cost to serve"),
        DriverLink.Cause(AverageHandleTime.Id, CostToServe.Id, "shorter contacts lower the cost to serve"),
        DriverLink.Cause(PurchaseRevenue.Id, CrmRevenue.Id, "purchases recorded as touchpoints are part of CRM revenue"),
        DriverLink.Cause(CrmRevenue.Id, CrmProfit.Id, "revenue less cost is profit"),
        DriverLink.Cause(CustomerEquity.Id, CrmProfit.Id, "the customer base's value is realised as profit"),
        DriverLink.Cause(ChannelProfitability.Id, CrmProfit.Id, "profitable channels add to profit"),
        DriverLink.Cause(AcquisitionCost.Id, CrmProfit.Id, "acquisition spend is a cost"),
        DriverLink.Cause(CostToServe.Id, CrmProfit.Id, "service cost is a cost"),
        DriverLink.Cause(StageConversion.Id, WinRate.Id, "deals that move on through every stage end won"),
        DriverLink.Cause(TimeInStage.Id, SalesCycleLength.Id, "the cycle is the sum of the stages' times"),
        DriverLink.Cause(WinRate.Id, PipelineVelocity.Id, "velocity = open deals × win rate × average deal size ÷ cycle length"),
        DriverLink.Cause(AverageDealSize.Id, PipelineVelocity.Id, "velocity = open deals × win rate × average deal size ÷ cycle length"),
        DriverLink.Cause(SalesCycleLength.Id, PipelineVelocity.Id, "velocity = open deals × win rate × average deal size ÷ cycle length"),
        DriverLink.Cause(PipelineValue.Id, PipelineVelocity.Id, "more open deals move more business"),
        DriverLink.Cause(WinRate.Id, Acquisitions.Id, "a deal won with a prospect is a first purchase (its won deal records the purchase touchpoint)"),
        DriverLink.Cause(AverageDealSize.Id, AverageOrderValue.Id, "a won deal records one purchase touchpoint of its amount"),
        DriverLink.Cause(PipelineVelocity.Id, PurchaseRevenue.Id, "won deals are recorded as purchases"),
        DriverLink.Cause(SlaAttainment.Id, Csat.Id, "answers and fixes within the promised time leave customers satisfied"),
        DriverLink.Cause(AverageResolutionTime.Id, Csat.Id, "slow resolutions leave customers dissatisfied"),
        DriverLink.Cause(CaseBacklog.Id, AverageResolutionTime.Id, "a growing backlog makes every case wait longer"),
        DriverLink.Cause(ReopenRate.Id, FirstContactResolution.Id, "a reopened case was not resolved on first contact"),
        DriverLink.Cause(TouchpointFirstContactResolution.Id, Csat.Id, "issues fixed on first contact leave customers satisfied"),
        DriverLink.Cause(TouchpointComplaintRecovery.Id, RetentionRate.Id, "a well-recovered complaint keeps the customer"),
        DriverLink.Cause(TouchpointAverageHandleTime.Id, CostToServe.Id, "shorter contacts lower the cost to serve"),
        DriverLink.Cause(WeightedPipelineValue.Id, SalesForecast.Id, "the weighted pipeline is the probability-weighted forecast"),
        DriverLink.Cause(SalesForecast.Id, PurchaseRevenue.Id, "the forecast is next purchases' revenue"),
    ];

    private const string SalesLevel = "Operational and process level: it measures how the selling process runs (deals moving through a pipeline's stages), the way campaign response and first-contact resolution measure marketing and service; it drives the customer-strategic figures (acquisitions, active customers) and through them revenue.";

    private const string AsOfRule = "Counted from the tenant's deals (OpportunityMetricSource), each judged by its state at the period end reconstructed from its stage history (OpportunityScan), in the reporting zone's days.";

    private const string ServiceLevel = "Operational and process level: it measures how the service process runs (cases from opening to resolution), as win rate measures selling; it drives satisfaction and retention.";

    private const string CaseAsOfRule = "Counted from the tenant's service cases (CaseMetricSource), each judged by its status history before the period end (CaseScan), in the reporting zone's days; duplicates merged before the end are left out.";

    private const string CalendarRule = "Business time on the calendar of the case's SLA policy, or the source's default calendar for a case without a known policy.";

    private const string AcquisitionRules = "Counted from the acquisition journeys (AcquisitionMetricSource, the rules of AcquisitionAnalysis): a prospect (in the prospect stage at the period start and with no purchase before it) is reached by a marketing or sales communication in the period and converted when their first purchase falls in the period; the journey is their communications in the period strictly before it.";

    private static MetricRecordScope Journeys(string selection) => MetricRecordScope.ProcessRecords(Acquisition.AcquisitionMetricSource.SourceName, selection);

    private static MetricValue JourneyCostOf(MetricFigures f)
    {
        if (!f.TryGet(F.JourneyAcquisitionCost, out var cost) || !f.TryGet(F.ProspectSpend, out var spend) || !f.TryGet(F.ProspectsConverted, out var converted))
        {
            return MetricFormula.Missing(F.ProspectsConverted);
        }

        var value = MetricValue.Ratio(cost, converted, "prospects converted");
        return converted == 0m ? value : value.WithBreakdown(
        [
            new MetricBreakdownRow("converters-only", value),
            new MetricBreakdownRow("fully-loaded", MetricValue.Ratio(spend, converted, "prospects converted")),
        ]);
    }

    private static MetricRecordScope Cases(string selection) => MetricRecordScope.ProcessRecords(Evaluation.CaseMetricSource.SourceName, selection);

    private static MetricValue SlaOf(MetricFigures f)
    {
        if (!f.TryGet(F.CasesSlaMet, out var met) || !f.TryGet(F.CasesResolvedUnderSla, out var resolved) || !f.TryGet(F.CasesFirstResponseMet, out var response) || !f.TryGet(F.CasesResolutionMet, out var resolution))
        {
            return MetricFormula.Missing(F.CasesSlaMet);
        }

        const string Denominator = "cases resolved under a policy";
        var value = MetricValue.Ratio(met, resolved, Denominator);
        return resolved == 0m ? value : value.WithBreakdown(
        [
            new MetricBreakdownRow("first-response", MetricValue.Ratio(response, resolved, Denominator)),
            new MetricBreakdownRow("resolution", MetricValue.Ratio(resolution, resolved, Denominator)),
        ]);
    }

    private static MetricValue BacklogOf(MetricFigures f)
    {
        if (!f.TryGet(F.CasesOpen, out var open))
        {
            return MetricFormula.Missing(F.CasesOpen);
        }

        f.TryGetRows(F.CasesOpen, out var rows);
        return MetricValue.Of(open).WithBreakdown([.. rows.Select(r => new MetricBreakdownRow(r.Key, MetricValue.Of(r.Value)))]);
    }

    private static MetricRecordScope Deals(string selection) => MetricRecordScope.ProcessRecords(Evaluation.OpportunityMetricSource.SourceName, selection);

    private static MetricValue Velocity(MetricFigures f)
    {
        if (!f.TryGet(F.OpenDeals, out var open) || !f.TryGet(F.DealsWon, out var won) || !f.TryGet(F.DealsLost, out var lost) || !f.TryGet(F.AmountWon, out var amountWon) || !f.TryGet(F.WonCycleDays, out var cycleDays))
        {
            return MetricFormula.Missing(F.DealsWon);
        }

        if (won == 0m)
        {
            return MetricValue.None("no deals won in the period");
        }

        return MetricValue.Ratio(open * amountWon * won, (won + lost) * cycleDays, "sales cycle days (every deal won on the day it opened)");
    }

    private static MetricValue PerStage(MetricFigures f, FigureKey numerator, FigureKey denominator, string denominatorName)
    {
        if (!f.TryGet(numerator, out var n))
        {
            return MetricFormula.Missing(numerator);
        }

        if (!f.TryGet(denominator, out var d))
        {
            return MetricFormula.Missing(denominator);
        }

        f.TryGetRows(numerator, out var numerators);
        f.TryGetRows(denominator, out var denominators);
        var byKey = numerators.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var rows = denominators.Where(r => r.Value != 0m).Take(MetricValue.MaxBreakdownRows).Select(r => new MetricBreakdownRow(r.Key, MetricValue.Ratio(byKey.GetValueOrDefault(r.Key), r.Value, denominatorName))).ToList();
        return MetricValue.Ratio(n, d, denominatorName).WithBreakdown(rows);
    }

    private static MetricValue ForecastOf(MetricFigures f)
    {
        if (!f.TryGet(F.ForecastPipeline, out var pipeline) || !f.TryGet(F.ForecastBestCase, out var bestCase) || !f.TryGet(F.ForecastCommit, out var commit) || !f.TryGet(F.AmountWon, out var closed))
        {
            return MetricFormula.Missing(F.ForecastCommit);
        }

        return MetricValue.Of(pipeline + bestCase + commit + closed).WithBreakdown(
        [
            new MetricBreakdownRow("pipeline", MetricValue.Of(pipeline)),
            new MetricBreakdownRow("best-case", MetricValue.Of(bestCase)),
            new MetricBreakdownRow("commit", MetricValue.Of(commit)),
            new MetricBreakdownRow("closed", MetricValue.Of(closed)),
        ]);
    }

    private const string ClvConventions = "m = revenue per purchasing customer × margin ratio (input) for one period; r = the period's retention rate; d = the discount rate per period (input). Needs r < 1 + d, otherwise no value. The forms differ in when the first cash flow falls; see SimpleClvForm.";

    private const string ClvSource = "Fader & Hardie (2012), Reconciling and Clarifying CLV Formulas (note 024)";

    /// <summary>The standard hierarchy: every metric of <see cref="All"/>, linked by <see cref="Causes"/> and <see cref="Identities"/>.</summary>
    public static MetricHierarchy CreateHierarchy() => MetricHierarchy.Create(All, Causes, Identities);

    private static MetricValue FunnelOf(MetricFigures f, Evaluation.LifecycleFunnel funnel)
    {
        var counts = new long[funnel.Figures.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            if (!f.TryGet(funnel.Figures[i], out var count))
            {
                return MetricFormula.Missing(funnel.Figures[i]);
            }

            if (count < 0 || (i > 0 && count > counts[i - 1]))
            {
                return MetricValue.None($"figure '{funnel.Figures[i]}' exceeds the stage before; a cohort funnel never grows");
            }

            counts[i] = (long)count;
        }

        var result = FunnelConversion.Compute(counts);
        var rows = new MetricBreakdownRow[result.StageConversions.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new MetricBreakdownRow($"{funnel.Stages[i]} → {funnel.Stages[i + 1]}", result.StageConversions[i]);
        }

        return MetricValue.Ratio(counts[^1], counts[0], $"customers entering {funnel.Stages[0]}").WithBreakdown(rows);
    }

    private static MetricFormula ClvFormula(SimpleClvForm form, string text)
        => MetricFormula.Create(text, [F.PurchaseRevenue, F.PurchasingCustomers, F.MarginRatio, F.DiscountRate, F.CustomersRetained, F.CustomersAtRisk], f => ClvOf(f, form));

    private static MetricValue ClvOf(MetricFigures f, SimpleClvForm form)
    {
        if (!f.TryGet(F.MarginRatio, out var marginRatio))
        {
            return MetricFormula.Missing(F.MarginRatio);
        }

        if (!f.TryGet(F.DiscountRate, out var discount))
        {
            return MetricFormula.Missing(F.DiscountRate);
        }

        var revenuePerCustomer = MetricValue.Ratio(f.Values.GetValueOrDefault(F.PurchaseRevenue), f.Values.GetValueOrDefault(F.PurchasingCustomers), "purchasing customers");
        var retention = MetricValue.Ratio(f.Values.GetValueOrDefault(F.CustomersRetained), f.Values.GetValueOrDefault(F.CustomersAtRisk), "customers at risk");
        return !revenuePerCustomer.HasValue ? revenuePerCustomer
            : !retention.HasValue ? retention
            : SimpleClv.Compute(form, revenuePerCustomer.Value!.Value * marginRatio, retention.Value!.Value, discount);
    }
}
