using CrmKernel.Primitives;

namespace CrmKernel.Lifecycle;

/// <summary>
/// One allowed transition of a <see cref="LifecycleModel"/>: a named rule that moves a customer from any of its
/// <see cref="From"/> stages to <see cref="To"/> when its <see cref="Trigger"/> fires and its guard (if any) holds.
/// Declare rules with <see cref="LifecycleModelBuilder.AddRule"/>.
/// </summary>
public sealed class LifecycleRule
{
    /// <summary>The longest rule name accepted.</summary>
    public const int MaxNameLength = 64;

    private readonly Func<LifecycleContext, bool>? _guard;

    internal LifecycleRule(string name, IReadOnlyList<LifecycleStage> from, LifecycleStage to, LifecycleTrigger trigger, Func<LifecycleContext, bool>? guard, string reason)
    {
        Name = name;
        From = from;
        To = to;
        Trigger = trigger;
        _guard = guard;
        Reason = reason;
    }

    /// <summary>The rule's name (a slug), recorded with every transition it allows.</summary>
    public string Name { get; }

    /// <summary>The stages the rule applies from.</summary>
    public IReadOnlyList<LifecycleStage> From { get; }

    /// <summary>The stage the rule moves to.</summary>
    public LifecycleStage To { get; }

    /// <summary>What fires the rule.</summary>
    public LifecycleTrigger Trigger { get; }

    /// <summary>True when the rule has a guard.</summary>
    public bool HasGuard => _guard is not null;

    /// <summary>The reason recorded with automatic transitions.</summary>
    public string Reason { get; }

    /// <summary>Whether the guard (if any) allows the transition in <paramref name="context"/>.</summary>
    /// <param name="context">What the guard sees.</param>
    /// <returns>True when there is no guard or it holds.</returns>
    public bool Allows(in LifecycleContext context) => _guard is null || _guard(context);

    /// <summary>The name and shape, e.g. <c>lapse: first-time-customer, repeat-customer -> lapsed on inactivity:180:00:00:00</c>.</summary>
    public override string ToString() => $"{Name}: {string.Join(", ", From)} -> {To} on {Trigger}";

    internal static bool IsValidName(string name) => Slug.Normalize(name, MaxNameLength) == name;
}
