namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The outcome of a maximum-likelihood fit: the fitted model, how the fit went and how precise it is. Check
/// <see cref="Converged"/> before using <see cref="Model"/> for decisions (and <see cref="Issues"/> to tell the user why
/// not), report <see cref="Parameters"/> with their standard errors, and compare models fitted to the same data by
/// <see cref="LogLikelihood"/> (higher is better; the models have the same number of parameters or say how they differ).
/// </summary>
/// <typeparam name="TModel">
/// The model type: <see cref="BgNbdModel"/>, <see cref="ParetoNbdModel"/>, <see cref="GammaGammaModel"/>,
/// <see cref="ShiftedBetaGeometricModel"/> or <see cref="BgBbModel"/>.
/// </typeparam>
public sealed class ModelFit<TModel>
    where TModel : class
{
    internal ModelFit(TModel model, double logLikelihood, FitIssues issues, IReadOnlyList<FittedParameter> parameters, int iterations, int customers, int distinctHistories)
    {
        Model = model;
        LogLikelihood = logLikelihood;
        Issues = issues;
        Parameters = parameters;
        Iterations = iterations;
        Customers = customers;
        DistinctHistories = distinctHistories;
    }

    /// <summary>The model with the maximum-likelihood parameters (the best point found when <see cref="Converged"/> is false).</summary>
    public TModel Model { get; }

    /// <summary>
    /// The maximised log-likelihood, the sum over <see cref="Customers"/> of the log of each customer's likelihood,
    /// with every constant included (so it matches the published figures). For the Gamma-Gamma model it is the
    /// log-density of the customers' mean repeat spend, not of their total repeat spend; the two differ by Σ ln x.
    /// </summary>
    public double LogLikelihood { get; }

    /// <summary>
    /// Whether the fit can be trusted: the optimiser met its stopping rule (a Newton step on the log-parameters, at a
    /// point where the log-likelihood is concave, moves none of them by more than 10⁻⁷, or a restarted simplex no longer
    /// improves) and nothing in <see cref="Issues"/> speaks against the result — no degenerate parameter, a likelihood
    /// with a proper maximum, data that identify the model. False for, e.g., a base where nobody bought twice: do not use
    /// such a model.
    /// </summary>
    public bool Converged => Issues == FitIssues.None;

    /// <summary>Why the fit is not to be trusted, every reason that applies; <see cref="FitIssues.None"/> when it converged.</summary>
    public FitIssues Issues { get; }

    /// <summary>
    /// The fitted parameters in the order of the model's constructor (e.g. r, α, a, b for BG/NBD), each with its
    /// estimate, its standard error from the observed information and a Wald confidence interval.
    /// </summary>
    public IReadOnlyList<FittedParameter> Parameters { get; }

    /// <summary>Optimiser iterations used: simplex iterations plus Newton steps.</summary>
    public int Iterations { get; }

    /// <summary>
    /// The customers the likelihood covers: all of the summary for the transaction models, the repeat buyers with a
    /// positive mean spend for Gamma-Gamma, the cohorts' initial sizes for sBG, the weighted histories for BG/BB.
    /// </summary>
    public int Customers { get; }

    /// <summary>The distinct histories the likelihood was evaluated over, e.g. (x, tₓ, T) or (x, z̄): what the cost of a fit grows with.</summary>
    public int DistinctHistories { get; }
}
