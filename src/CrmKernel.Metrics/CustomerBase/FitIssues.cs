namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// Why a maximum-likelihood fit is not to be trusted; <see cref="ModelFit{TModel}.Issues"/> holds every one that
/// applies and <see cref="ModelFit{TModel}.Converged"/> is true only when there is none. Switch on it to tell a user what
/// to change: more data or a longer calibration period for <see cref="NoRepeatTransactions"/> and
/// <see cref="FlatLikelihood"/>, a different model for <see cref="BoundaryParameter"/>.
/// </summary>
[Flags]
public enum FitIssues
{
    /// <summary>No issue: the optimiser met its stopping rule at a point where the likelihood has a proper maximum.</summary>
    None = 0,

    /// <summary>The optimiser used its whole iteration budget without meeting its stopping rule.</summary>
    IterationLimit = 1,

    /// <summary>
    /// A fitted parameter is degenerate: below 10⁻⁶ or above 10⁶ (e.g. r ≈ 7·10⁻⁴¹, α ≈ 3·10¹⁷). The likelihood is still
    /// rising towards the edge of the parameter space, and the model's forecasts there are limits, not estimates.
    /// </summary>
    BoundaryParameter = 2,

    /// <summary>
    /// The likelihood is flat at the optimum in some direction: the observed information (the Hessian of the negative
    /// log-likelihood) is not positive definite, or leaves a parameter's scale undetermined within a factor of e¹⁰.
    /// The data do not identify every parameter; no standard errors are reported.
    /// </summary>
    FlatLikelihood = 4,

    /// <summary>
    /// Nobody in the data made a repeat transaction (BG/NBD, Pareto/NBD, BG/BB), so nothing identifies the purchase
    /// rate or the dropout process: e.g. a base where every customer bought exactly once.
    /// </summary>
    NoRepeatTransactions = 8,

    /// <summary>No customer of any cohort cancelled (sBG), so nothing identifies the churn probability.</summary>
    NoChurn = 16,

    /// <summary>The log-likelihood at the best point found is not a finite number.</summary>
    NonFiniteLikelihood = 32,
}
