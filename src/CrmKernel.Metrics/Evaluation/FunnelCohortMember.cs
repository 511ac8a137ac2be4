using CrmKernel.Lifecycle;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>One customer of a funnel's cohort (<see cref="MetricEvaluator.StreamFunnelCohortAsync"/>).</summary>
/// <param name="Customer">The customer.</param>
/// <param name="JoinedAt">When they entered the funnel's first stage (in the period).</param>
/// <param name="StageIndex">The index of the furthest stage reached before the period end (0 = only the first).</param>
/// <param name="Stage">That stage.</param>
public readonly record struct FunnelCohortMember(Primitives.CustomerId Customer, Instant JoinedAt, int StageIndex, LifecycleStage Stage);
