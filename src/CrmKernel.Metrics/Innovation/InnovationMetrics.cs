using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Innovation;

/// <summary>
/// The catalogue entries of the innovation loop, computed by <see cref="InnovationMetricSource"/>: add <see cref="All"/> to a
/// hierarchy (e.g. <c>MetricHierarchy.Create([.. StandardMetrics.All, .. InnovationMetrics.All], StandardMetrics.Causes,
/// StandardMetrics.Identities)</c>) and give the evaluator the source (<c>AddMetrics()</c> does when an <c>IIdeaStore</c> is
/// registered). Per segment, set <see cref="Evaluation.MetricEvaluationRequest.Segment"/>: ideas then count those the
/// segment's members submitted, and participation is the segment's.
/// </summary>
/// <remarks>
/// Levels: ideas received and participation are customer-facing process outputs (operational &amp; process); decision
/// speed, shipping share and closing the loop are how the company answers (operational &amp; process); the outcome link
/// compares customer-strategic results of participants and non-participants.
/// </remarks>
public static class InnovationMetrics
{
    private const string PeriodRule = "Instants fall in the period when they are on or after its first day's start and before the day after its last day's start, in the reporting zone.";

    /// <summary>Ideas submitted or proposed in the period (rows: per subject area).</summary>
    public static FigureKey IdeasReceived { get; } = new("ideas-received");

    /// <summary>Of the ideas received in the period, those decided (planned, declined or merged) within the source's N days of submission.</summary>
    public static FigureKey IdeasDecidedWithinTarget { get; } = new("ideas-decided-within-target");

    /// <summary>Ideas decided (first moved to planned, declined or merged) in the period.</summary>
    public static FigureKey IdeasDecided { get; } = new("ideas-decided");

    /// <summary>Σ days from submission to decision over the ideas decided in the period.</summary>
    public static FigureKey DaysToDecision { get; } = new("idea-days-to-decision");

    /// <summary>Ideas closed (shipped, declined or merged) in the period.</summary>
    public static FigureKey IdeasClosed { get; } = new("ideas-closed");

    /// <summary>Ideas shipped in the period.</summary>
    public static FigureKey IdeasShipped { get; } = new("ideas-shipped");

    /// <summary>Σ days from submission to shipment over the ideas shipped in the period.</summary>
    public static FigureKey DaysToShipment { get; } = new("idea-days-to-shipment");

    /// <summary>Customers who received a closed-loop message (kind <c>idea-outcome</c>, delivered) in the period.</summary>
    public static FigureKey ParticipantsTold { get; } = new("idea-participants-told");

    /// <summary>Customers who submitted an idea or feedback, voted or commented in the period.</summary>
    public static FigureKey Participants { get; } = new("idea-participants");

    /// <summary>The customers participation is measured against: the segment's members, or every customer of the tenant.</summary>
    public static FigureKey Audience { get; } = new("idea-audience");

    /// <summary>Audience members who took part at any time before the period's end.</summary>
    public static FigureKey EverParticipants { get; } = new("idea-ever-participants");

    /// <summary>Of <see cref="EverParticipants"/>, those with a purchase touchpoint in the period.</summary>
    public static FigureKey EverParticipantsPurchasing { get; } = new("idea-ever-participants-purchasing");

    /// <summary>Of the audience members who never took part before the period's end, those with a purchase in the period.</summary>
    public static FigureKey NonParticipantsPurchasing { get; } = new("idea-non-participants-purchasing");

    /// <summary>The figures the source produces.</summary>
    public static IReadOnlyList<FigureKey> Figures { get; } = [IdeasReceived, IdeasDecidedWithinTarget, IdeasDecided, DaysToDecision, IdeasClosed, IdeasShipped, DaysToShipment, ParticipantsTold, Participants, Audience, EverParticipants, EverParticipantsPurchasing, NonParticipantsPurchasing];

    /// <summary>Operational: ideas received in the period, broken down by subject area.</summary>
    public static MetricDefinition Received { get; } = new(
        new("ideas-received"), "Ideas received", "Ideas customers submitted (and the company proposed) in the period, per subject area.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Count, BetterDirection.HigherIsBetter,
        MetricFormula.Create("count of ideas with submitted-at in the period, rows per subject area", [IdeasReceived], ReceivedOf, Scope("received")),
        PeriodRule + " Per segment only the ideas its members submitted count (company proposals have no customer).");

    /// <summary>Operational: the share of ideas received in the period that were decided within the source's N days.</summary>
    public static MetricDefinition DecidedWithinTarget { get; } = new(
        new("ideas-decided-within-target"), "Ideas decided within target", "Share of the period's ideas that were planned, declined or merged within the source's target of N days (30 by default) of submission.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(IdeasDecidedWithinTarget, IdeasReceived, "ideas received in the period decided within N days ÷ ideas received in the period", "ideas received", Scope("received")),
        PeriodRule + " Decided = the first move to planned, declined or merged. An idea received late in the period may not have had N days yet when evaluated: evaluate a period N days after its end for the final figure.");

    /// <summary>Operational: of the ideas closed in the period, the share shipped.</summary>
    public static MetricDefinition ShippedShare { get; } = new(
        new("ideas-shipped-share"), "Ideas shipped", "Of the ideas closed in the period (shipped, declined or merged), the share shipped.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(IdeasShipped, IdeasClosed, "ideas shipped in the period ÷ ideas shipped, declined or merged in the period", "ideas closed", Scope("closed")),
        PeriodRule);

    /// <summary>Operational: mean days from submission to decision.</summary>
    public static MetricDefinition TimeToDecision { get; } = new(
        new("idea-time-to-decision"), "Time to decision", "Mean days from an idea's submission to its decision (planned, declined or merged), over the ideas decided in the period.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Days, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(DaysToDecision, IdeasDecided, "Σ (decided-at − submitted-at) in days ÷ ideas decided in the period", "ideas decided", Scope("decided")),
        PeriodRule + " Days are exact (elapsed time ÷ 24 h), not calendar days.");

    /// <summary>Operational: mean days from submission to shipment.</summary>
    public static MetricDefinition TimeToShipment { get; } = new(
        new("idea-time-to-shipment"), "Time to shipment", "Mean days from an idea's submission to its shipment, over the ideas shipped in the period.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Days, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(DaysToShipment, IdeasShipped, "Σ (shipped-at − submitted-at) in days ÷ ideas shipped in the period", "ideas shipped", Scope("shipped")),
        PeriodRule + " Days are exact (elapsed time ÷ 24 h), not calendar days.");

    /// <summary>Operational: customers told the outcome of an idea they took part in.</summary>
    public static MetricDefinition Told { get; } = new(
        new("idea-participants-told"), "Participants told", "Customers who received a delivered closed-loop message (an idea they took part in shipped or was declined) in the period.",
        MetricLevel.OperationalProcess, MetricFocus.External, MetricUnit.Count, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(ParticipantsTold, "distinct customers with a delivered idea-outcome touchpoint in the period", Scope("told")),
        PeriodRule + " Counted from the touchpoints InnovationService.CloseTheLoopAsync records; refused messages (no consent, quiet hours) do not count.");

    /// <summary>Customer strategic: the share of the audience (a segment, or every customer) that took part in the period.</summary>
    public static MetricDefinition ParticipationRate { get; } = new(
        new("idea-participation-rate"), "Innovation participation", "Share of the segment's members (every customer without a segment) who submitted an idea or feedback, voted or commented in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(Participants, Audience, "distinct audience members with a voice record, vote or comment in the period ÷ audience members", "audience members", Scope("participants")),
        PeriodRule + " A vote counts at its latest cast or change; a withdrawn vote no longer counts.");

    /// <summary>Customer strategic: how much more often participants buy than non-participants — an association, not an effect.</summary>
    public static MetricDefinition ParticipantPurchaseLift { get; } = new(
        new("idea-participant-purchase-lift"), "Participant purchase lift", "How many times more likely customers who ever took part in the innovation loop are to buy in the period than those who never did. NOT CAUSAL: customers who take part are often the more engaged ones anyway; use it to watch the link, not to claim that participation causes purchases.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Ratio, BetterDirection.HigherIsBetter,
        MetricFormula.Create("(participants purchasing ÷ participants) ÷ (non-participants purchasing ÷ non-participants)", [EverParticipants, EverParticipantsPurchasing, NonParticipantsPurchasing, Audience], LiftOf, Scope("participants")),
        PeriodRule + " Participants = audience members with a voice record, vote or comment before the period's end; purchasing = a purchase touchpoint in the period. No value without participants, without non-participants, or when no non-participant bought. This is a correlation between groups that select themselves, not a causal effect.");

    /// <summary>The entries, to add to a hierarchy.</summary>
    public static IReadOnlyList<MetricDefinition> All { get; } = [Received, DecidedWithinTarget, ShippedShare, TimeToDecision, TimeToShipment, Told, ParticipationRate, ParticipantPurchaseLift];

    private static MetricRecordScope Scope(string selection) => MetricRecordScope.ProcessRecords(InnovationMetricSource.SourceName, selection);

    private static MetricValue ReceivedOf(MetricFigures f)
    {
        if (!f.TryGet(IdeasReceived, out var received))
        {
            return MetricFormula.Missing(IdeasReceived);
        }

        f.TryGetRows(IdeasReceived, out var rows);
        return MetricValue.Of(received).WithBreakdown([.. rows.Take(MetricValue.MaxBreakdownRows).Select(r => new MetricBreakdownRow(r.Key, MetricValue.Of(r.Value)))]);
    }

    private static MetricValue LiftOf(MetricFigures f)
    {
        if (!f.TryGet(EverParticipants, out var participants) || !f.TryGet(EverParticipantsPurchasing, out var buying) || !f.TryGet(NonParticipantsPurchasing, out var othersBuying) || !f.TryGet(Audience, out var audience))
        {
            return MetricFormula.Missing(EverParticipants);
        }

        var others = audience - participants;
        if (participants == 0m || others == 0m || othersBuying == 0m)
        {
            return MetricValue.None("no participants, no non-participants, or no non-participant purchases in the period");
        }

        return MetricValue.Of(buying / participants / (othersBuying / others));
    }
}
