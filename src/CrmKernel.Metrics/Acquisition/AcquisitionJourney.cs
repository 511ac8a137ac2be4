using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// One customer behind an acquisition figure, with the touchpoints it was computed from: the communications in the
/// window before the first purchase, the first purchase (when it falls in the window), the journey's cost and the credit
/// each channel took. What the drill-down of <see cref="AcquisitionAnalysis"/> streams.
/// </summary>
public sealed class AcquisitionJourney
{
    internal AcquisitionJourney(
        CustomerId customerId,
        IReadOnlyList<Touchpoint> communications,
        Touchpoint? firstPurchase,
        decimal cost,
        IReadOnlyDictionary<ChannelId, decimal> credit,
        IReadOnlyList<string> products)
    {
        CustomerId = customerId;
        Communications = communications;
        FirstPurchase = firstPurchase;
        Cost = cost;
        Credit = credit;
        Products = products;
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The communications in the window strictly before the first purchase, in timeline order; empty for a direct conversion.</summary>
    public IReadOnlyList<Touchpoint> Communications { get; }

    /// <summary>The first purchase, when it falls in the window; null for a prospect reached who has not bought.</summary>
    public Touchpoint? FirstPurchase { get; }

    /// <summary>True when the first purchase falls in the window.</summary>
    public bool Converted => FirstPurchase is not null;

    /// <summary>Σ cost of <see cref="Communications"/> in the reporting currency.</summary>
    public decimal Cost { get; }

    /// <summary>Each channel's credit under the request's attribution rule (summing to 1); empty for a direct conversion.</summary>
    public IReadOnlyDictionary<ChannelId, decimal> Credit { get; }

    /// <summary>The products the journey counts for (the first purchase's, else those its communications name); empty when none is named.</summary>
    public IReadOnlyList<string> Products { get; }

    /// <summary>From the first communication to the first purchase; null unless converted after a communication.</summary>
    public Duration? TimeToFirstPurchase => FirstPurchase is { } p && Communications.Count > 0 ? p.OccurredAt - Communications[0].OccurredAt : null;

    /// <summary>The customer and outcome, for test output; never personal data.</summary>
    public override string ToString() => $"{CustomerId}: {Communications.Count} communications, {(Converted ? "converted" : "not converted")}";
}
