using Microsoft.Extensions.Options;
using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>Checks <see cref="DefaultLifecycleOptions"/> at start-up against the rules of <see cref="DefaultLifecycleModel.Create"/>, naming each bad setting.</summary>
internal sealed class DefaultLifecycleOptionsValidator : IValidateOptions<DefaultLifecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, DefaultLifecycleOptions options)
    {
        const string Prefix = nameof(DefaultLifecycleOptions) + ".";
        var errors = new List<string>();
        if (options.LapseAfter <= Duration.Zero)
        {
            errors.Add($"{Prefix}{nameof(options.LapseAfter)} must be positive; it is {options.LapseAfter}.");
        }

        if (options.LoyaltyWindow <= Duration.Zero)
        {
            errors.Add($"{Prefix}{nameof(options.LoyaltyWindow)} must be positive; it is {options.LoyaltyWindow}.");
        }

        if (options.LoyaltyPurchases is < 2 or > LifecycleFacts.MaxRecentPurchases)
        {
            errors.Add($"{Prefix}{nameof(options.LoyaltyPurchases)} must be 2 to {LifecycleFacts.MaxRecentPurchases}; it is {options.LoyaltyPurchases}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
