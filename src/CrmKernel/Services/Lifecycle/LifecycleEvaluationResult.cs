namespace CrmKernel.Services.Lifecycle;

/// <summary>What a <see cref="LifecycleEvaluator"/> run did.</summary>
/// <param name="Examined">Customers read.</param>
/// <param name="Changed">Customers that moved to another stage and were committed.</param>
/// <param name="Skipped">Customers whose stored stage the model does not declare (left unchanged).</param>
public readonly record struct LifecycleEvaluationResult(long Examined, long Changed, long Skipped);
