using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// The kernel's customer lifecycle: prospect → first-time customer → repeat customer → loyal advocate; any
/// customer stage → dissatisfied → recovered; → lapsed after no purchase for a while; → former on cancellation,
/// termination or request; lapsed or former → won back on a new purchase. Registered by <c>AddCrmKernel</c>;
/// use <see cref="Create"/> to build it with other thresholds, and the stage properties to compare stages.
/// </summary>
/// <remarks>
/// <para>The rules (name: from → to on trigger [guard]):</para>
/// <list type="bullet">
/// <item><c>first-purchase</c>: prospect → first-time-customer on a purchase.</item>
/// <item><c>second-purchase</c>: first-time-customer → repeat-customer on a purchase.</item>
/// <item><c>loyal-by-purchases</c>: repeat-customer → loyal-advocate on a purchase [at least <see cref="DefaultLifecycleOptions.LoyaltyPurchases"/> purchases within <see cref="DefaultLifecycleOptions.LoyaltyWindow"/> ending at it].</item>
/// <item><c>loyal-by-referral</c>: repeat-customer → loyal-advocate on a referral.</item>
/// <item><c>loyal-by-promoter-score</c>: repeat-customer → loyal-advocate on positive feedback [the score is an NPS promoter score, 9–10].</item>
/// <item><c>complaint</c> and <c>negative-feedback</c>: first-time, repeat, loyal, recovered or won-back → dissatisfied on a complaint, or on feedback whose satisfaction score is negative (by its scale's polarity).</item>
/// <item><c>recovered</c>: dissatisfied → recovered on positive feedback [no complaint is open and the latest resolution occurred at or before the feedback].</item>
/// <item><c>purchase-again</c>: recovered or won-back → repeat-customer on a purchase.</item>
/// <item><c>lapse</c>: every customer stage except lapsed and former → lapsed once <see cref="DefaultLifecycleOptions.LapseAfter"/> has elapsed since the last purchase (at exactly 180 days the customer has lapsed).</item>
/// <item><c>cancellation</c>, <c>termination</c>: every customer stage (including lapsed) → former on a cancellation or termination touchpoint.</item>
/// <item><c>mark-former</c>: the same stages → former on the <see cref="MarkFormer"/> command.</item>
/// <item><c>won-back</c>: lapsed or former → won-back on a purchase.</item>
/// </list>
/// <para>A day is exact elapsed time (24 hours), not a local calendar day: thresholds do not depend on the customer's home time zone or daylight saving.</para>
/// </remarks>
public static class DefaultLifecycleModel
{
    /// <summary>The command that marks a customer as former on request (e.g. the customer asked to leave).</summary>
    public const string MarkFormer = "mark-former";

    /// <summary>Not yet bought anything; the initial stage.</summary>
    public static LifecycleStage Prospect { get; } = new("prospect");

    /// <summary>Bought once.</summary>
    public static LifecycleStage FirstTimeCustomer { get; } = new("first-time-customer");

    /// <summary>Bought at least twice.</summary>
    public static LifecycleStage RepeatCustomer { get; } = new("repeat-customer");

    /// <summary>Buys often, refers others or promotes the enterprise.</summary>
    public static LifecycleStage LoyalAdvocate { get; } = new("loyal-advocate");

    /// <summary>Complained or gave a negative score; at risk.</summary>
    public static LifecycleStage Dissatisfied { get; } = new("dissatisfied");

    /// <summary>Was dissatisfied; the complaint was resolved and a later contact was positive.</summary>
    public static LifecycleStage Recovered { get; } = new("recovered");

    /// <summary>Has not bought for the lapse period.</summary>
    public static LifecycleStage Lapsed { get; } = new("lapsed");

    /// <summary>Ended the relationship (cancellation, termination or request).</summary>
    public static LifecycleStage Former { get; } = new("former");

    /// <summary>Bought again after lapsing or leaving.</summary>
    public static LifecycleStage WonBack { get; } = new("won-back");

    /// <summary>Builds the default model with the given thresholds.</summary>
    /// <param name="options">The thresholds; null for the defaults.</param>
    /// <returns>The validated model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is out of range (durations must be positive; loyalty purchases 2 to 16).</exception>
    public static LifecycleModel Create(DefaultLifecycleOptions? options = null)
    {
        options ??= new DefaultLifecycleOptions();
        var lapseAfter = options.LapseAfter;
        var window = options.LoyaltyWindow;
        var loyaltyPurchases = options.LoyaltyPurchases;
        if (lapseAfter <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), lapseAfter, "LapseAfter must be positive.");
        }

        if (window <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), window, "LoyaltyWindow must be positive.");
        }

        if (loyaltyPurchases is < 2 or > LifecycleFacts.MaxRecentPurchases)
        {
            throw new ArgumentOutOfRangeException(nameof(options), loyaltyPurchases, $"LoyaltyPurchases is 2 to {LifecycleFacts.MaxRecentPurchases}.");
        }

        LifecycleStage[] buying = [FirstTimeCustomer, RepeatCustomer, LoyalAdvocate, Recovered, WonBack];
        LifecycleStage[] active = [.. buying, Dissatisfied];
        LifecycleStage[] leaving = [.. active, Lapsed];
        var purchase = LifecycleTrigger.OnTouchpoint(TouchpointKind.Purchase);
        var positiveFeedback = LifecycleTrigger.OnTouchpoint(TouchpointKind.Feedback, SatisfactionPolarity.Positive);

        return new LifecycleModelBuilder(Prospect)
            .AddStage(FirstTimeCustomer)
            .AddStage(RepeatCustomer)
            .AddStage(LoyalAdvocate)
            .AddStage(Dissatisfied)
            .AddStage(Recovered)
            .AddStage(Lapsed)
            .AddStage(Former)
            .AddStage(WonBack)
            .AddRule("first-purchase", [Prospect], FirstTimeCustomer, purchase, reason: "first purchase")
            .AddRule("second-purchase", [FirstTimeCustomer], RepeatCustomer, purchase, reason: "second purchase")
            .AddRule("loyal-by-purchases", [RepeatCustomer], LoyalAdvocate, purchase, c => c.Facts.PurchasesWithin(window, c.Touchpoint!.OccurredAt) >= loyaltyPurchases, $"{loyaltyPurchases} purchases within the loyalty window")
            .AddRule("loyal-by-referral", [RepeatCustomer], LoyalAdvocate, LifecycleTrigger.OnTouchpoint(TouchpointKind.Referral), reason: "referred someone")
            .AddRule("loyal-by-promoter-score", [RepeatCustomer], LoyalAdvocate, positiveFeedback, c => c.Touchpoint!.Satisfaction is NpsScore { IsPromoter: true }, "promoter score")
            .AddRule("complaint", buying, Dissatisfied, LifecycleTrigger.OnTouchpoint(TouchpointKind.Complaint), reason: "complained")
            .AddRule("negative-feedback", buying, Dissatisfied, LifecycleTrigger.OnTouchpoint(TouchpointKind.Feedback, SatisfactionPolarity.Negative), reason: "negative satisfaction score")
            .AddRule("recovered", [Dissatisfied], Recovered, positiveFeedback, c => c.Facts.OpenComplaints == 0 && (c.Facts.LastResolutionAt is null || c.Facts.LastResolutionAt <= c.Touchpoint!.OccurredAt), "complaints resolved and a later positive contact")
            .AddRule("purchase-again", [Recovered, WonBack], RepeatCustomer, purchase, reason: "bought again")
            .AddRule("lapse", active, Lapsed, LifecycleTrigger.AfterInactivity(lapseAfter), reason: "no purchase within the lapse period")
            .AddRule("cancellation", leaving, Former, LifecycleTrigger.OnTouchpoint(TouchpointKind.Cancellation), reason: "cancelled")
            .AddRule("termination", leaving, Former, LifecycleTrigger.OnTouchpoint(TouchpointKind.Termination), reason: "relationship terminated")
            .AddRule(MarkFormer, leaving, Former, LifecycleTrigger.OnCommand(MarkFormer), reason: "marked former on request")
            .AddRule("won-back", [Lapsed, Former], WonBack, purchase, reason: "bought again after leaving")
            .Build();
    }
}
