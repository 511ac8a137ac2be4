namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The outcome of a maximum-likelihood fit: the fitted model and how the fit went. Check <see cref="Converged"/>
/// before using <see cref="Model"/> for decisions, and compare models fitted to the same summary by
/// <see cref="LogLikelihood"/> (higher is better; the models have the same number of parameters or say how they differ).
/// </summary>
/// <typeparam name="TModel">The model type: <see cref="BgNbdModel"/>, <see cref="ParetoNbdModel"/> or <see cref="GammaGammaModel"/>.</typeparam>
public sealed class ModelFit<TModel>
    where TModel : class
{
    internal ModelFit(TModel model, double logLikelihood, bool converged, int iterations, int customers, int distinctHistories)
    {
        Model = model;
        LogLikelihood = logLikelihood;
        Converged = converged;
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
    /// Whether the optimiser met its stopping rule: a Newton step on the log-parameters, at a point where the
    /// log-likelihood is concave, moves none of them by more than 10⁻⁷ (or, where Newton's method cannot proceed, a
    /// restarted simplex whose log-likelihoods agree to 1 part in 10¹² and log-parameters to 10⁻⁷ no longer improves).
    /// False means the iteration budget ran out, typically because the likelihood keeps rising towards a boundary
    /// (e.g. a summary with no repeat buyers): do not use such a model.
    /// </summary>
    public bool Converged { get; }

    /// <summary>Optimiser iterations used: simplex iterations plus Newton steps.</summary>
    public int Iterations { get; }

    /// <summary>The customers the likelihood covers: all of the summary for the transaction models, the repeat buyers with a positive mean spend for Gamma-Gamma.</summary>
    public int Customers { get; }

    /// <summary>The distinct histories the likelihood was evaluated over, (x, tₓ, T) or (x, z̄): what the cost of a fit grows with.</summary>
    public int DistinctHistories { get; }
}
