namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// How every customer-base model is fitted: minimise the negative log-likelihood over the log-parameters with a
/// Nelder–Mead simplex to a loose tolerance, then polish with Newton's method on finite-difference derivatives.
/// </summary>
/// <remarks>
/// <para>
/// <b>Why.</b> The simplex needs only likelihood values, so it is robust from a crude start and in regions where
/// the likelihood is not finite; working on log-parameters keeps every point feasible. But it converges linearly and
/// needs hundreds of evaluations to pin four parameters down to 10⁻⁷. Near the optimum the log-likelihood is almost
/// exactly quadratic in the log-parameters, where Newton's method converges quadratically: two or three steps, each
/// with a central-difference gradient (2n evaluations) and, every few steps, Hessian (2n + 2n(n − 1) more), take the
/// simplex's answer to full precision in about a third of the evaluations the simplex alone would need. Derivatives by
/// differences keep one code path for all three models (the Pareto/NBD ₂F₁ terms have no convenient analytic
/// derivatives in the parameters).
/// </para>
/// <para>
/// <b>Safeguards.</b> A Newton step is taken only where the Hessian is positive definite and is halved until the
/// value does not increase; if the polish fails (an indefinite Hessian, a step that never improves), the simplex
/// restarts from the best point with tight tolerances and restarts until it no longer improves.
/// </para>
/// </remarks>
internal static class LogLikelihoodSearch
{
    /// <summary>The simplex stops at this relative spread of values and this spread of log-parameters…</summary>
    private const double CoarseValueTolerance = 1e-9;

    private const double CoarsePointTolerance = 1e-3;

    /// <summary>…and, if the polish fails, continues to these.</summary>
    private const double FineValueTolerance = 1e-12;

    private const double FinePointTolerance = 1e-7;

    /// <summary>The Newton polish has converged when its step moves no log-parameter by more than this.</summary>
    private const double StepTolerance = 1e-7;

    /// <summary>
    /// The finite-difference steps in the log-parameters. The gradient decides where Newton's method stops, so it takes a
    /// small step (truncation error h²f‴/6 ≈ 10⁻¹¹ relative to the curvature); the Hessian only decides how fast it gets
    /// there, so it takes a larger one that keeps rounding error (≈ ε|f|/h²) small.
    /// </summary>
    private const double GradientStep = 1e-5;

    private const double HessianStep = 2e-4;

    /// <summary>
    /// The initial simplex's edge in the log-parameters: a factor e^½ ≈ 1.65 on each parameter. Larger first steps
    /// send the simplex through regions where the Pareto/NBD ₂F₁ arguments approach 1 and each likelihood costs more.
    /// </summary>
    private const double InitialStep = 0.5d;

    private const int MaxNewtonSteps = 20;

    /// <summary>How many Newton steps may reuse one finite-difference Hessian.</summary>
    private const int HessianReuse = 3;

    private const int MaxIterations = 20_000;

    public static MinimisationResult Minimise<TObjective>(TObjective objective, ReadOnlySpan<double> start)
        where TObjective : IObjective
    {
        var coarse = NelderMead.Minimise(new Coarse<TObjective>(objective), start, InitialStep, CoarseValueTolerance, CoarsePointTolerance, MaxIterations, maxRestarts: 0);
        var point = coarse.Point;
        var value = objective.Evaluate(point);
        var polished = Polish(objective, point, ref value, out var steps, out var evaluations);
        if (polished)
        {
            return new MinimisationResult(point, value, true, coarse.Iterations + steps, coarse.Evaluations + evaluations);
        }

        var fine = NelderMead.Minimise(objective, coarse.Point, initialStep: 0.1d, FineValueTolerance, FinePointTolerance, MaxIterations - coarse.Iterations, maxRestarts: 8);
        return new MinimisationResult(
            fine.Point,
            fine.Value,
            fine.Converged,
            coarse.Iterations + steps + fine.Iterations,
            coarse.Evaluations + evaluations + fine.Evaluations);
    }

    /// <summary>The objective's cheaper, less precise evaluation, for the coarse simplex.</summary>
    private readonly struct Coarse<TObjective>(TObjective objective) : IObjective
        where TObjective : IObjective
    {
        public double Evaluate(ReadOnlySpan<double> point) => objective.EvaluateCoarsely(point);
    }

    /// <summary>
    /// Newton's method from <paramref name="point"/> (updated in place, with <paramref name="value"/>) until a step
    /// is below <see cref="StepTolerance"/>. Returns false, leaving the best point found, when it cannot proceed.
    /// </summary>
    private static bool Polish<TObjective>(TObjective objective, double[] point, ref double value, out int steps, out int evaluations)
        where TObjective : IObjective
    {
        var n = point.Length;
        var gradient = new double[n];
        var factor = new double[n * n];
        var direction = new double[n];
        var trial = new double[n];
        evaluations = 0;
        steps = 0;
        if (!double.IsFinite(value))
        {
            return false;
        }

        // The Hessian changes little over the last steps, so it is reused ("chord" Newton) while steps are accepted
        // whole, and recomputed after HessianReuse steps or a step that had to be shortened; the gradient is always fresh,
        // so the fixed point is still where the gradient vanishes.
        var stale = true;
        var reused = 0;
        for (steps = 1; steps <= MaxNewtonSteps; steps++)
        {
            if (stale || reused >= HessianReuse)
            {
                if (!Derivatives(objective, point, value, gradient, factor, trial, ref evaluations) || !FactorCholesky(factor, n))
                {
                    return false;
                }

                stale = false;
                reused = 0;
            }
            else if (!Gradient(objective, point, gradient, trial, ref evaluations))
            {
                return false;
            }
            else
            {
                reused++;
            }

            // direction = H⁻¹ g; the Newton step is −direction.
            SolveCholesky(factor, gradient, direction, n);
            var length = 0d;
            for (var k = 0; k < n; k++)
            {
                length = Math.Max(length, Math.Abs(direction[k]));
            }

            if (length <= StepTolerance)
            {
                return true;
            }

            var accepted = false;
            var fraction = 1d;
            for (var halvings = 0; halvings < 30; halvings++, fraction /= 2d)
            {
                for (var k = 0; k < n; k++)
                {
                    trial[k] = point[k] - (fraction * direction[k]);
                }

                var trialValue = objective.Evaluate(trial);
                evaluations++;
                if (trialValue <= value)
                {
                    trial.CopyTo(point, 0);
                    value = trialValue;
                    accepted = true;
                    length *= fraction;
                    stale = halvings > 0;
                    break;
                }
            }

            if (!accepted)
            {
                // No step along a descent direction improves: the value is at its rounding floor, unless the step was large.
                return length <= 1e3 * StepTolerance;
            }

            if (length <= StepTolerance)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Central-difference gradient at <paramref name="point"/>.</summary>
    private static bool Gradient<TObjective>(TObjective objective, double[] point, double[] gradient, double[] scratch, ref int evaluations)
        where TObjective : IObjective
    {
        for (var i = 0; i < point.Length; i++)
        {
            var plus = Shifted(objective, point, scratch, i, GradientStep, i, 0d);
            var minus = Shifted(objective, point, scratch, i, -GradientStep, i, 0d);
            evaluations += 2;
            if (!double.IsFinite(plus) || !double.IsFinite(minus))
            {
                return false;
            }

            gradient[i] = (plus - minus) / (2d * GradientStep);
        }

        return true;
    }

    /// <summary>Central-difference gradient and Hessian at <paramref name="point"/>, whose value is <paramref name="value"/>.</summary>
    private static bool Derivatives<TObjective>(TObjective objective, double[] point, double value, double[] gradient, double[] hessian, double[] scratch, ref int evaluations)
        where TObjective : IObjective
    {
        var n = point.Length;
        const double H = HessianStep;
        for (var i = 0; i < n; i++)
        {
            var plus = Shifted(objective, point, scratch, i, GradientStep, i, 0d);
            var minus = Shifted(objective, point, scratch, i, -GradientStep, i, 0d);
            var farPlus = Shifted(objective, point, scratch, i, H, i, 0d);
            var farMinus = Shifted(objective, point, scratch, i, -H, i, 0d);
            evaluations += 4;
            if (!double.IsFinite(plus) || !double.IsFinite(minus) || !double.IsFinite(farPlus) || !double.IsFinite(farMinus))
            {
                return false;
            }

            gradient[i] = (plus - minus) / (2d * GradientStep);
            hessian[(i * n) + i] = (farPlus - (2d * value) + farMinus) / (H * H);
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var pp = Shifted(objective, point, scratch, i, H, j, H);
                var pm = Shifted(objective, point, scratch, i, H, j, -H);
                var mp = Shifted(objective, point, scratch, i, -H, j, H);
                var mm = Shifted(objective, point, scratch, i, -H, j, -H);
                evaluations += 4;
                var mixed = (pp - pm - mp + mm) / (4d * H * H);
                if (!double.IsFinite(mixed))
                {
                    return false;
                }

                hessian[(i * n) + j] = mixed;
                hessian[(j * n) + i] = mixed;
            }
        }

        return true;
    }

    private static double Shifted<TObjective>(TObjective objective, double[] point, double[] scratch, int i, double di, int j, double dj)
        where TObjective : IObjective
    {
        point.CopyTo(scratch, 0);
        scratch[i] += di;
        scratch[j] += dj;
        return objective.Evaluate(scratch);
    }

    /// <summary>Overwrites the lower triangle of H with its Cholesky factor L (H = L Lᵀ); false when H is not positive definite.</summary>
    private static bool FactorCholesky(double[] h, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var diagonal = h[(j * n) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= h[(j * n) + k] * h[(j * n) + k];
            }

            if (!(diagonal > 0d))
            {
                return false;
            }

            var l = Math.Sqrt(diagonal);
            h[(j * n) + j] = l;
            for (var i = j + 1; i < n; i++)
            {
                var sum = h[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= h[(i * n) + k] * h[(j * n) + k];
                }

                h[(i * n) + j] = sum / l;
            }
        }

        return true;
    }

    /// <summary>Solves L Lᵀ x = g with the factor from <see cref="FactorCholesky"/>.</summary>
    private static void SolveCholesky(double[] l, double[] g, double[] x, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var sum = g[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[(i * n) + k] * x[k];
            }

            x[i] = sum / l[(i * n) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[(k * n) + i] * x[k];
            }

            x[i] = sum / l[(i * n) + i];
        }
    }
}
