using CrmKernel.Metrics.CustomerBase;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

[Collection(CustomerBaseCollection.Name)]
public sealed class LogLikelihoodSearchTests
{
    private sealed class Rosenbrock : IObjective
    {
        public double Evaluate(ReadOnlySpan<double> p) => (100d * Math.Pow(p[1] - (p[0] * p[0]), 2)) + Math.Pow(1d - p[0], 2);
    }

    /// <summary>A shifted quadratic that is +∞ (infeasible) on half of the space it starts in.</summary>
    private sealed class WalledQuadratic : IObjective
    {
        public double Evaluate(ReadOnlySpan<double> p)
            => p[0] < -1d ? double.PositiveInfinity : Math.Pow(p[0] - 3d, 2) + (2d * Math.Pow(p[1] + 1d, 2)) + Math.Pow(p[2], 2) + (0.5d * p[0] * p[2]) + Math.Pow(p[3] - 0.25, 2);
    }

    private sealed class Unbounded : IObjective
    {
        public double Evaluate(ReadOnlySpan<double> p) => -p[0] - p[1];
    }

    [Fact]
    public void Minimise_FindsTheRosenbrockMinimum()
    {
        var result = LogLikelihoodSearch.Minimise(new Rosenbrock(), [-1.2, 1d]);

        Assert.True(result.Converged);
        Assert.Equal(1d, result.Point[0], 6);
        Assert.Equal(1d, result.Point[1], 6);
    }

    [Fact]
    public void Minimise_IgnoresInfeasibleRegions_AndPolishesToFullPrecision()
    {
        var result = LogLikelihoodSearch.Minimise(new WalledQuadratic(), [-0.9, 0d, 0d, 0d]);

        // ∂/∂x₀: 2(x₀ − 3) + 0.5 x₂ = 0 and ∂/∂x₂: 2 x₂ + 0.5 x₀ = 0 give x₂ = −x₀/4 and x₀ = 6 / 1.875 = 3.2.
        var x0 = 6d / (2d - 0.125d);
        Assert.True(result.Converged);
        Assert.Equal(x0, result.Point[0], 7);
        Assert.Equal(-1d, result.Point[1], 7);
        Assert.Equal(-0.25d * x0, result.Point[2], 7);
        Assert.Equal(0.25d, result.Point[3], 7);
    }

    [Fact]
    public void Minimise_WithoutAMinimum_DoesNotClaimConvergence()
        => Assert.False(LogLikelihoodSearch.Minimise(new Unbounded(), [0d, 0d]).Converged);
}
