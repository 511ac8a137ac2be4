using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Timeline;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// One purchase by one customer — who, when and for how much — the input of customer-base analysis. Build one per
/// purchase (an order, a purchase touchpoint, a line of an imported transaction log) and hand the lot to
/// <see cref="CustomerBaseSummary.Create"/>; purchases on the same day are merged there, so several lines of one
/// order need no pre-aggregation.
/// </summary>
/// <remarks>
/// Only the customer, the instant and the value matter to the models. The value is the purchase's revenue (net or
/// gross, as your spend metric defines it); a zero value is a purchase that still counts as a transaction, a
/// negative value (a refund) is not a purchase and is rejected. <c>default(PurchaseRecord)</c> has no customer and is
/// rejected by <see cref="CustomerBaseSummary.Create"/>.
/// </remarks>
public readonly record struct PurchaseRecord
{
    /// <summary>Creates a purchase record.</summary>
    /// <param name="customerId">The customer who bought; not the default id.</param>
    /// <param name="occurredAt">When the purchase happened; bucketed into a date in the summary's time zone.</param>
    /// <param name="value">What the customer spent; zero or more, in the currency the summary is built in.</param>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public PurchaseRecord(CustomerId customerId, Instant occurredAt, Money value)
    {
        Preconditions.NotDefault(customerId);
        if (value.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A purchase's value is zero or more; record refunds elsewhere.");
        }

        CustomerId = customerId;
        OccurredAt = occurredAt;
        Value = value;
    }

    /// <summary>The customer who bought.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>When the purchase happened.</summary>
    public Instant OccurredAt { get; }

    /// <summary>What the customer spent.</summary>
    public Money Value { get; }

    /// <summary>
    /// The purchases among recorded touchpoints: every touchpoint of kind <see cref="TouchpointKind.Purchase"/> becomes a
    /// record with its revenue as the value (zero when it carries none). This is how customer-base analysis reads the
    /// kernel's own touchpoints, e.g. a <see cref="CustomerTimeline"/> stream.
    /// </summary>
    /// <param name="touchpoints">Touchpoints of any kinds.</param>
    /// <param name="currency">The currency of purchases without revenue.</param>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoints"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A purchase's revenue is negative (a refund recorded as a purchase).</exception>
    public static IEnumerable<PurchaseRecord> FromTouchpoints(IEnumerable<Touchpoint> touchpoints, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(touchpoints);
        return Project(touchpoints, currency);

        static IEnumerable<PurchaseRecord> Project(IEnumerable<Touchpoint> touchpoints, Currency currency)
        {
            foreach (var touchpoint in touchpoints)
            {
                if (touchpoint.Kind == TouchpointKind.Purchase)
                {
                    yield return new PurchaseRecord(touchpoint.CustomerId, touchpoint.OccurredAt, touchpoint.Revenue ?? Money.Zero(currency));
                }
            }
        }
    }
}
