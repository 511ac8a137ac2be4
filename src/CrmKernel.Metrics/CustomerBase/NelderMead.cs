namespace CrmKernel.Metrics.CustomerBase;

/// <summary>A function to minimise over ℝⁿ; non-finite values are treated as +∞ (outside the feasible region).</summary>
internal interface IObjective
{
    /// <summary>The value at <paramref name="point"/>.</summary>
    double Evaluate(ReadOnlySpan<double> point);

    /// <summary>
    /// The value to about 10⁻⁹ relative precision, where that is cheaper (the Pareto/NBD ₂F₁ terms): enough for a
    /// simplex that stops at a relative spread of 10⁻⁹.
    /// </summary>
    double EvaluateCoarsely(ReadOnlySpan<double> point) => Evaluate(point);
}

/// <summary>The outcome of a minimisation.</summary>
/// <param name="Point">The best point found.</param>
/// <param name="Value">The objective there.</param>
/// <param name="Converged">Whether the stopping rule was met (rather than the iteration limit).</param>
/// <param name="Iterations">Iterations used, over every restart.</param>
/// <param name="Evaluations">Objective evaluations used.</param>
internal readonly record struct MinimisationResult(double[] Point, double Value, bool Converged, int Iterations, int Evaluations);

/// <summary>
/// The Nelder–Mead downhill simplex with the dimension-adaptive coefficients of Gao &amp; Han (2012) and restarts.
/// </summary>
/// <remarks>
/// <para>
/// Why this method for the customer-base models: the log-likelihoods have three or four parameters, are smooth
/// but built from series whose derivatives in the parameters are awkward (the Pareto/NBD ₂F₁ terms), and are
/// undefined outside the positive orthant. Working on log-parameters makes every point feasible, and the simplex
/// needs only values, so a non-finite value far from the optimum is simply a bad vertex, not a failure.
/// </para>
/// <para>
/// A simplex can collapse before it reaches the optimum, so after it converges the search restarts from a fresh
/// simplex around the best point; the result is accepted when a restart no longer improves the value by more than
/// the tolerance (Nelder–Mead's standard safeguard, as in Press et al., <i>Numerical Recipes</i> §10.5).
/// </para>
/// </remarks>
internal static class NelderMead
{
    /// <summary>Minimises <paramref name="objective"/> from <paramref name="start"/>.</summary>
    /// <param name="objective">The function.</param>
    /// <param name="start">The starting point.</param>
    /// <param name="initialStep">The initial simplex's edge along each axis.</param>
    /// <param name="valueTolerance">Stop when the simplex's values differ by at most this, relative to the best value (or 1).</param>
    /// <param name="pointTolerance">…and its vertices lie within this distance (maximum norm) of the best.</param>
    /// <param name="maxIterations">The iteration budget over every restart.</param>
    /// <param name="maxRestarts">How many fresh simplices to try after the first converges (0 for a single run).</param>
    public static MinimisationResult Minimise<TObjective>(
        TObjective objective,
        ReadOnlySpan<double> start,
        double initialStep,
        double valueTolerance,
        double pointTolerance,
        int maxIterations,
        int maxRestarts)
        where TObjective : IObjective
    {
        var n = start.Length;
        var search = new Simplex<TObjective>(objective, n);
        var best = start.ToArray();
        var bestValue = double.PositiveInfinity;
        var iterations = 0;
        var step = initialStep;

        for (var restart = 0; restart <= maxRestarts; restart++)
        {
            search.Initialise(best, step);
            var (converged, used) = search.Run(valueTolerance, pointTolerance, maxIterations - iterations);
            iterations += used;
            var previous = bestValue;
            search.Best(best, out bestValue);
            if (!converged)
            {
                return new MinimisationResult(best, bestValue, false, iterations, search.Evaluations);
            }

            // Accept once a fresh simplex around the best point cannot improve on it.
            if (maxRestarts == 0 || (restart > 0 && previous - bestValue <= valueTolerance * Math.Max(1d, Math.Abs(bestValue))))
            {
                return new MinimisationResult(best, bestValue, double.IsFinite(bestValue), iterations, search.Evaluations);
            }

            // Later restarts explore a smaller neighbourhood, but never a degenerate one.
            step = Math.Max(initialStep / 10d, 100d * pointTolerance);
        }

        return new MinimisationResult(best, bestValue, false, iterations, search.Evaluations);
    }

    /// <summary>The working state: n + 1 vertices and their values, in one flat array.</summary>
    private sealed class Simplex<TObjective>
        where TObjective : IObjective
    {
        private readonly TObjective _objective;
        private readonly int _n;
        private readonly double[] _vertices;
        private readonly double[] _values;
        private readonly double[] _centroid;
        private readonly double[] _reflected;
        private readonly double[] _trial;

        // Gao & Han (2012): reflection 1, expansion 1 + 2/n, contraction 3/4 − 1/(2n), shrink 1 − 1/n.
        private readonly double _expansion;
        private readonly double _contraction;
        private readonly double _shrink;

        public Simplex(TObjective objective, int n)
        {
            _objective = objective;
            _n = n;
            _vertices = new double[(n + 1) * n];
            _values = new double[n + 1];
            _centroid = new double[n];
            _reflected = new double[n];
            _trial = new double[n];
            _expansion = 1d + (2d / n);
            _contraction = 0.75d - (1d / (2d * n));
            _shrink = 1d - (1d / n);
        }

        public int Evaluations { get; private set; }

        public void Initialise(ReadOnlySpan<double> start, double step)
        {
            for (var i = 0; i <= _n; i++)
            {
                var vertex = Vertex(i);
                start.CopyTo(vertex);
                if (i > 0)
                {
                    vertex[i - 1] += step;
                }

                _values[i] = Evaluate(vertex);
            }
        }

        public void Best(Span<double> point, out double value)
        {
            var best = 0;
            for (var i = 1; i <= _n; i++)
            {
                if (_values[i] < _values[best])
                {
                    best = i;
                }
            }

            Vertex(best).CopyTo(point);
            value = _values[best];
        }

        public (bool Converged, int Iterations) Run(double valueTolerance, double pointTolerance, int maxIterations)
        {
            for (var iteration = 0; iteration < maxIterations; iteration++)
            {
                Order();
                if (HasConverged(valueTolerance, pointTolerance))
                {
                    return (true, iteration);
                }

                Step();
            }

            Order();
            return (HasConverged(valueTolerance, pointTolerance), maxIterations);
        }

        private Span<double> Vertex(int i) => _vertices.AsSpan(i * _n, _n);

        private double Evaluate(ReadOnlySpan<double> point)
        {
            Evaluations++;
            var value = _objective.Evaluate(point);
            return double.IsNaN(value) ? double.PositiveInfinity : value;
        }

        /// <summary>Insertion sort of the vertices by value (n is tiny), best first.</summary>
        private void Order()
        {
            Span<double> held = stackalloc double[_n];
            for (var i = 1; i <= _n; i++)
            {
                var value = _values[i];
                Vertex(i).CopyTo(held);
                var j = i - 1;
                while (j >= 0 && _values[j] > value)
                {
                    _values[j + 1] = _values[j];
                    Vertex(j).CopyTo(Vertex(j + 1));
                    j--;
                }

                _values[j + 1] = value;
                held.CopyTo(Vertex(j + 1));
            }
        }

        private bool HasConverged(double valueTolerance, double pointTolerance)
        {
            var best = _values[0];
            if (!double.IsFinite(best) || !double.IsFinite(_values[_n]))
            {
                return false;
            }

            if (_values[_n] - best > valueTolerance * Math.Max(1d, Math.Abs(best)))
            {
                return false;
            }

            var origin = Vertex(0);
            for (var i = 1; i <= _n; i++)
            {
                var vertex = Vertex(i);
                for (var k = 0; k < _n; k++)
                {
                    if (Math.Abs(vertex[k] - origin[k]) > pointTolerance)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private void Step()
        {
            var worst = Vertex(_n);
            _centroid.AsSpan().Clear();
            for (var i = 0; i < _n; i++)
            {
                var vertex = Vertex(i);
                for (var k = 0; k < _n; k++)
                {
                    _centroid[k] += vertex[k];
                }
            }

            for (var k = 0; k < _n; k++)
            {
                _centroid[k] /= _n;
                _reflected[k] = (2d * _centroid[k]) - worst[k];
            }

            var reflected = Evaluate(_reflected);
            if (reflected < _values[0])
            {
                for (var k = 0; k < _n; k++)
                {
                    _trial[k] = _centroid[k] + (_expansion * (_reflected[k] - _centroid[k]));
                }

                var expanded = Evaluate(_trial);
                if (expanded < reflected)
                {
                    Replace(_trial, expanded);
                }
                else
                {
                    Replace(_reflected, reflected);
                }

                return;
            }

            if (reflected < _values[_n - 1])
            {
                Replace(_reflected, reflected);
                return;
            }

            if (reflected < _values[_n])
            {
                // Outside contraction, towards the reflected point.
                for (var k = 0; k < _n; k++)
                {
                    _trial[k] = _centroid[k] + (_contraction * (_reflected[k] - _centroid[k]));
                }

                var contracted = Evaluate(_trial);
                if (contracted <= reflected)
                {
                    Replace(_trial, contracted);
                    return;
                }
            }
            else
            {
                // Inside contraction, towards the worst point.
                for (var k = 0; k < _n; k++)
                {
                    _trial[k] = _centroid[k] + (_contraction * (worst[k] - _centroid[k]));
                }

                var contracted = Evaluate(_trial);
                if (contracted < _values[_n])
                {
                    Replace(_trial, contracted);
                    return;
                }
            }

            // Shrink every vertex towards the best.
            var best = Vertex(0);
            for (var i = 1; i <= _n; i++)
            {
                var vertex = Vertex(i);
                for (var k = 0; k < _n; k++)
                {
                    vertex[k] = best[k] + (_shrink * (vertex[k] - best[k]));
                }

                _values[i] = Evaluate(vertex);
            }
        }

        private void Replace(ReadOnlySpan<double> point, double value)
        {
            point.CopyTo(Vertex(_n));
            _values[_n] = value;
        }
    }
}
