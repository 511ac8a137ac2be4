using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// One step of a customer's lifecycle in compact form: the stage the customer entered and when. What a whole-tenant
/// scan reads of a <see cref="LifecycleTransitionRecord"/> (its <see cref="LifecycleTransitionRecord.To"/> and
/// <see cref="LifecycleTransitionRecord.At"/>); see <c>CustomerScanRow.StageEntries</c>. Use the full record for
/// anything that needs the rule, trigger, reason or actor.
/// </summary>
public readonly record struct LifecycleStageEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="stage">The stage entered.</param>
    /// <param name="at">When it was entered.</param>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is the default.</exception>
    public LifecycleStageEntry(LifecycleStage stage, Instant at)
    {
        Stage = Preconditions.NotDefault(stage);
        At = at;
    }

    /// <summary>The stage entered.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>When it was entered.</summary>
    public Instant At { get; }

    /// <summary>The entry of a recorded transition: its target stage and time.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="transition"/> is null.</exception>
    public static LifecycleStageEntry Of(LifecycleTransitionRecord transition)
    {
        Preconditions.NotNull(transition);
        return new LifecycleStageEntry(transition.To, transition.At);
    }
}
