namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// Judges a maximum-likelihood fit honestly and measures its precision: the optimiser's own verdict, degenerate
/// parameters, a flat likelihood, and the standard errors from the observed information.
/// </summary>
internal static class FitDiagnostics
{
    /// <summary>Parameters outside [10⁻⁶, 10⁶] are degenerate (<see cref="FitIssues.BoundaryParameter"/>).</summary>
    private const double Smallest = 1e-6, Largest = 1e6;

    /// <summary>A log-parameter whose standard error exceeds this is not determined by the data (a factor of e¹⁰).</summary>
    private const double LargestLogStandardError = 10d;

    /// <summary>
    /// The step of the central differences on the log-parameters, halved once for Richardson's extrapolation. Rounding
    /// costs about ε|f|/h² ≈ 10⁻⁶ absolute on a log-likelihood of 10⁴, truncation after extrapolation about h⁴ ≈ 10⁻¹².
    /// </summary>
    private const double Step = 2e-3;

    /// <summary>Builds the fit of <paramref name="model"/> with its issues and standard errors.</summary>
    /// <param name="model">The model at the optimum.</param>
    /// <param name="objective">The negative log-likelihood over the log-parameters that was minimised.</param>
    /// <param name="result">The minimisation's outcome.</param>
    /// <param name="names">The parameters' names, in the order of the point.</param>
    /// <param name="known">Issues the caller found in the data (e.g. no repeat transactions).</param>
    /// <param name="customers">The customers the likelihood covers.</param>
    /// <param name="distinctHistories">The distinct terms of the likelihood.</param>
    public static ModelFit<TModel> Assess<TModel>(
        TModel model, IObjective objective, MinimisationResult result, string[] names, FitIssues known, long customers, int distinctHistories)
        where TModel : class
    {
        var issues = known;
        var point = result.Point;
        var n = point.Length;
        if (!result.Converged)
        {
            issues |= FitIssues.IterationLimit;
        }

        if (!double.IsFinite(result.Value))
        {
            issues |= FitIssues.NonFiniteLikelihood;
        }

        var estimates = new double[n];
        for (var i = 0; i < n; i++)
        {
            estimates[i] = Math.Exp(point[i]);
            if (!(estimates[i] >= Smallest && estimates[i] <= Largest))
            {
                issues |= FitIssues.BoundaryParameter;
            }
        }

        var standardErrors = new double[n];
        Array.Fill(standardErrors, double.NaN);
        if (double.IsFinite(result.Value))
        {
            var covariance = LogCovariance(objective, point, result.Value);
            var determined = covariance is not null;
            for (var i = 0; determined && i < n; i++)
            {
                var variance = covariance![(i * n) + i];
                determined = variance > 0d && Math.Sqrt(variance) <= LargestLogStandardError;
            }

            if (determined)
            {
                // The delta method: Var(θ) = diag(θ) Var(ln θ) diag(θ), the inverse Hessian in the natural parameters at a maximum.
                for (var i = 0; i < n; i++)
                {
                    standardErrors[i] = estimates[i] * Math.Sqrt(covariance![(i * n) + i]);
                }
            }
            else
            {
                issues |= FitIssues.FlatLikelihood;
            }
        }

        var parameters = new FittedParameter[n];
        for (var i = 0; i < n; i++)
        {
            parameters[i] = new FittedParameter(names[i], estimates[i], standardErrors[i]);
        }

        return new ModelFit<TModel>(
            model, -result.Value, issues, parameters, result.Iterations, (int)Math.Min(int.MaxValue, customers), distinctHistories);
    }

    /// <summary>
    /// The standard errors of the natural parameters <paramref name="estimates"/> from the observed information of
    /// <paramref name="objective"/> (over the log-parameters) there; null when it is not positive definite.
    /// </summary>
    internal static double[]? StandardErrors(IObjective objective, double[] estimates)
    {
        var point = Array.ConvertAll(estimates, Math.Log);
        var covariance = LogCovariance(objective, point, objective.Evaluate(point));
        if (covariance is null)
        {
            return null;
        }

        var n = estimates.Length;
        var errors = new double[n];
        for (var i = 0; i < n; i++)
        {
            errors[i] = estimates[i] * Math.Sqrt(covariance[(i * n) + i]);
        }

        return errors;
    }

    /// <summary>
    /// The inverse of the Hessian of <paramref name="objective"/> at <paramref name="point"/> (the covariance of the
    /// log-parameters), or null when the Hessian cannot be computed or is not positive definite.
    /// </summary>
    internal static double[]? LogCovariance(IObjective objective, double[] point, double value)
    {
        var n = point.Length;
        var coarse = Hessian(objective, point, value, 2d * Step);
        var fine = Hessian(objective, point, value, Step);
        if (coarse is null || fine is null)
        {
            return null;
        }

        // Richardson: the O(h²) error of the central differences cancels in (4 H(h) − H(2h)) / 3.
        var hessian = new double[n * n];
        for (var k = 0; k < hessian.Length; k++)
        {
            hessian[k] = ((4d * fine[k]) - coarse[k]) / 3d;
        }

        return Invert(hessian, n);
    }

    private static double[]? Hessian(IObjective objective, double[] point, double value, double h)
    {
        var n = point.Length;
        var hessian = new double[n * n];
        var scratch = new double[n];
        for (var i = 0; i < n; i++)
        {
            var second = (Shifted(objective, point, scratch, i, h, i, 0d) - (2d * value) + Shifted(objective, point, scratch, i, -h, i, 0d)) / (h * h);
            if (!double.IsFinite(second))
            {
                return null;
            }

            hessian[(i * n) + i] = second;
            for (var j = 0; j < i; j++)
            {
                var mixed = (Shifted(objective, point, scratch, i, h, j, h) - Shifted(objective, point, scratch, i, h, j, -h)
                    - Shifted(objective, point, scratch, i, -h, j, h) + Shifted(objective, point, scratch, i, -h, j, -h)) / (4d * h * h);
                if (!double.IsFinite(mixed))
                {
                    return null;
                }

                hessian[(i * n) + j] = mixed;
                hessian[(j * n) + i] = mixed;
            }
        }

        return hessian;
    }

    private static double Shifted(IObjective objective, double[] point, double[] scratch, int i, double di, int j, double dj)
    {
        point.CopyTo(scratch, 0);
        scratch[i] += di;
        scratch[j] += dj;
        return objective.Evaluate(scratch);
    }

    /// <summary>The inverse of a symmetric matrix by its Cholesky factor; null when it is not positive definite.</summary>
    private static double[]? Invert(double[] matrix, int n)
    {
        var l = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            var diagonal = matrix[(j * n) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= l[(j * n) + k] * l[(j * n) + k];
            }

            if (!(diagonal > 0d))
            {
                return null;
            }

            l[(j * n) + j] = Math.Sqrt(diagonal);
            for (var i = j + 1; i < n; i++)
            {
                var sum = matrix[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[(i * n) + k] * l[(j * n) + k];
                }

                l[(i * n) + j] = sum / l[(j * n) + j];
            }
        }

        // Column by column: solve L Lᵀ x = eₖ.
        var inverse = new double[n * n];
        var column = new double[n];
        for (var c = 0; c < n; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var sum = i == c ? 1d : 0d;
                for (var k = 0; k < i; k++)
                {
                    sum -= l[(i * n) + k] * column[k];
                }

                column[i] = sum / l[(i * n) + i];
            }

            for (var i = n - 1; i >= 0; i--)
            {
                var sum = column[i];
                for (var k = i + 1; k < n; k++)
                {
                    sum -= l[(k * n) + i] * column[k];
                }

                column[i] = sum / l[(i * n) + i];
            }

            for (var i = 0; i < n; i++)
            {
                inverse[(i * n) + c] = column[i];
            }
        }

        return inverse;
    }
}
