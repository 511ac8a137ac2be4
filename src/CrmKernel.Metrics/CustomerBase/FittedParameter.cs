using System.Globalization;
using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// One parameter of a fitted model with its standard error: use it to judge how precisely the data determine the
/// parameter, and to report it with a confidence interval. <see cref="ModelFit{TModel}.Parameters"/> lists them in the
/// order of the model's constructor.
/// </summary>
/// <remarks>
/// The standard error is from the observed information: the Hessian of the negative log-likelihood at the optimum in
/// the natural parameters, inverted (computed by central differences on the log-parameters with Richardson
/// extrapolation and transformed, which at a maximum is the same matrix). It is the asymptotic standard error of the
/// maximum-likelihood estimate, the figure lifetimes and CLVTools report.
/// </remarks>
public sealed class FittedParameter
{
    internal FittedParameter(string name, double estimate, double standardError)
    {
        Name = name;
        Estimate = estimate;
        StandardError = standardError;
    }

    /// <summary>The parameter's name: the name of the model's property that holds it, e.g. <c>Alpha</c>.</summary>
    public string Name { get; }

    /// <summary>The maximum-likelihood estimate (the value the model holds).</summary>
    public double Estimate { get; }

    /// <summary>
    /// The asymptotic standard error of <see cref="Estimate"/>; <see cref="double.NaN"/> when the observed information is
    /// not positive definite (<see cref="FitIssues.FlatLikelihood"/>).
    /// </summary>
    public double StandardError { get; }

    /// <summary>
    /// The Wald confidence interval, estimate ± z × standard error with z the normal quantile for
    /// <paramref name="level"/> (1.959964 for 95 %). Symmetric, so for a small parameter with a large standard error its
    /// lower end can be negative: the data then barely determine the parameter.
    /// </summary>
    /// <param name="level">The confidence level, strictly between 0 and 1; 0.95 by default.</param>
    /// <returns>The interval; both ends NaN when <see cref="StandardError"/> is NaN.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not strictly between 0 and 1.</exception>
    public ParameterInterval ConfidenceInterval(double level = 0.95)
    {
        if (!(level > 0d && level < 1d))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be strictly between 0 and 1.");
        }

        var half = SpecialFunctions.NormalQuantile(0.5d + (level / 2d)) * StandardError;
        return new ParameterInterval(Estimate - half, Estimate + half, level);
    }

    /// <summary>The parameter, e.g. <c>Alpha = 4.4136 (SE 0.378221)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Name} = {Estimate:G6} (SE {StandardError:G6})");
}

/// <summary>A confidence interval for a fitted parameter, from <see cref="FittedParameter.ConfidenceInterval"/>.</summary>
public readonly record struct ParameterInterval
{
    internal ParameterInterval(double lower, double upper, double level)
    {
        Lower = lower;
        Upper = upper;
        Level = Preconditions.Positive(level);
    }

    /// <summary>The lower end.</summary>
    public double Lower { get; }

    /// <summary>The upper end.</summary>
    public double Upper { get; }

    /// <summary>The confidence level, e.g. 0.95.</summary>
    public double Level { get; }
}
