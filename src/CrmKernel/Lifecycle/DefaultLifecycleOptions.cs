using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// The thresholds of the <see cref="DefaultLifecycleModel"/>. Create one, change what you need, and pass it to
/// <see cref="DefaultLifecycleModel.Create(DefaultLifecycleOptions?)"/>.
/// </summary>
public sealed class DefaultLifecycleOptions
{
    /// <summary>How long without a purchase makes a customer lapse (exact elapsed time). Default 180 days.</summary>
    public Duration LapseAfter { get; set; } = Duration.FromDays(180);

    /// <summary>How many purchases within <see cref="LoyaltyWindow"/> make a repeat customer a loyal advocate (2 to <see cref="LifecycleFacts.MaxRecentPurchases"/>). Default 3.</summary>
    public int LoyaltyPurchases { get; set; } = 3;

    /// <summary>The window, ending at the latest purchase, in which <see cref="LoyaltyPurchases"/> must fall. Default 365 days.</summary>
    public Duration LoyaltyWindow { get; set; } = Duration.FromDays(365);
}
