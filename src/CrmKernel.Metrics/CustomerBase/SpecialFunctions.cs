namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The special functions the customer-base models need, written for the arguments they meet: positive reals for
/// the gamma family, and the Gauss hypergeometric series on <c>0 ≤ z &lt; 1</c>. Accuracy is close to double
/// precision (see the unit tests against reference values).
/// </summary>
internal static class SpecialFunctions
{
    /// <summary>Relative size below which a series term no longer changes a double-precision sum.</summary>
    private const double SeriesEpsilon = 1.1102230246251565e-16;

    /// <summary>A continued fraction has converged when two approximants agree to this (about 4.5 ulp).</summary>
    private const double ContinuedFractionEpsilon = 1e-15;

    /// <summary>A series that has not converged after this many terms is reported as NaN.</summary>
    private const int MaxSeriesTerms = 2_000_000;

    /// <summary>ln √(2π).</summary>
    private const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>Arguments below this are shifted up by the recurrence before the asymptotic series is used.</summary>
    private const double AsymptoticThreshold = 10d;

    /// <summary>
    /// ln(1 + x), accurate also for tiny x (where <c>Math.Log(1 + x)</c> loses every digit, and .NET's
    /// <c>double.LogP1</c> is that same expression): Goldberg's correction ln(u) x / (u − 1) with u = 1 + x.
    /// </summary>
    public static double Log1P(double x)
    {
        if (Math.Abs(x) >= 0.5d || double.IsNaN(x))
        {
            return Math.Log(1d + x);
        }

        var u = 1d + x;
        return u == 1d ? x : Math.Log(u) * x / (u - 1d);
    }

    /// <summary>
    /// eˣ − 1, accurate also for tiny x (Kahan's correction (u − 1) x / ln u with u = eˣ; .NET's <c>double.ExpM1</c>
    /// is the naive <c>Math.Exp(x) - 1</c>).
    /// </summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) >= 0.5d || double.IsNaN(x))
        {
            return Math.Exp(x) - 1d;
        }

        var u = Math.Exp(x);
        return u == 1d ? x : (u - 1d) * x / Math.Log(u);
    }

    /// <summary>
    /// ln Γ(x) for x &gt; 0: Stirling's asymptotic series with seven correction terms, after shifting x to at
    /// least 10 with Γ(x) = Γ(x + n) / (x (x + 1) … (x + n − 1)). At x ≥ 10 the first omitted term is below
    /// 3·10⁻¹⁷, so the result is accurate to a few units in the last place (absolutely near the zeros at 1 and 2).
    /// </summary>
    /// <returns>ln Γ(x); NaN for x ≤ 0 or NaN, +∞ for +∞.</returns>
    public static double LogGamma(double x)
    {
        if (!(x > 0d))
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(x))
        {
            return double.PositiveInfinity;
        }

        var shift = 0d;
        if (x < AsymptoticThreshold)
        {
            // The product of at most ten factors stays far from overflow and, for tiny x, from underflow.
            var product = 1d;
            while (x < AsymptoticThreshold)
            {
                product *= x;
                x += 1d;
            }

            shift = Math.Log(product);
        }

        var inverse = 1d / x;
        var inverseSquared = inverse * inverse;

        // Bernoulli terms B(2k) / (2k (2k − 1) x^(2k − 1)), k = 1 … 7, by Horner's rule in 1/x².
        var series = inverse * (1d / 12d
            + inverseSquared * (-1d / 360d
            + inverseSquared * (1d / 1260d
            + inverseSquared * (-1d / 1680d
            + inverseSquared * (1d / 1188d
            + inverseSquared * (-691d / 360360d
            + inverseSquared * (1d / 156d)))))));

        return ((x - 0.5d) * Math.Log(x)) - x + HalfLogTwoPi + series - shift;
    }

    /// <summary>
    /// The digamma function ψ(x) = d ln Γ(x) / dx for x &gt; 0: the asymptotic series after shifting x to at least
    /// 10 with ψ(x) = ψ(x + 1) − 1/x.
    /// </summary>
    /// <returns>ψ(x); NaN for x ≤ 0 or NaN.</returns>
    public static double Digamma(double x)
    {
        if (!(x > 0d))
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(x))
        {
            return double.PositiveInfinity;
        }

        var shift = 0d;
        while (x < AsymptoticThreshold)
        {
            shift += 1d / x;
            x += 1d;
        }

        var inverseSquared = 1d / (x * x);

        // B(2k) / (2k x^(2k)), k = 1 … 7.
        var series = inverseSquared * (1d / 12d
            + inverseSquared * (-1d / 120d
            + inverseSquared * (1d / 252d
            + inverseSquared * (-1d / 240d
            + inverseSquared * (1d / 132d
            + inverseSquared * (-691d / 32760d
            + inverseSquared * (1d / 12d)))))));

        return Math.Log(x) - (0.5d / x) - series - shift;
    }

    /// <summary>
    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for c &gt; 0 and 0 ≤ z &lt; 1, by its power series
    /// Σ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ.
    /// </summary>
    /// <remarks>
    /// The series converges for every such z, but at a geometric rate of about z per term: a caller that can meet z
    /// close to 1 should first apply a transformation that keeps the terms positive and shrinking (the models use
    /// Euler's, ₂F₁(a, b; c; z) = (1 − z)^(c − a − b) ₂F₁(c − a, c − b; c; z)). Summation stops when the next term,
    /// bounded by a geometric tail, can no longer change the sum.
    /// </remarks>
    /// <returns>The sum; NaN if it has not converged after two million terms.</returns>
    public static double Hypergeometric2F1(double a, double b, double c, double z)
        => 1d + Tail(a * b / c * z, 1, a, b, c, z);

    /// <summary>
    /// ₂F₁(1, b; c; z) for 0 &lt; b &lt; c and 0 ≤ z &lt; 1, the function in the Pareto/NBD likelihood after Euler's
    /// transformation. Its series has positive terms whose ratio (b + n) z / (c + n) stays below z, so up to z = ½ the
    /// series is summed with an exact geometric bound on the rest; above, where the series needs about 37 / (1 − z)
    /// terms, Gauss's continued fraction is used instead, which needs only about 20 / √(1 − z) steps.
    /// </summary>
    /// <param name="b">b, with 0 &lt; b &lt; c.</param>
    /// <param name="c">c.</param>
    /// <param name="z">z, with 0 ≤ z &lt; 1.</param>
    /// <param name="tolerance">The relative precision to stop at: double precision by default.</param>
    /// <returns>The value; NaN if it has not converged after two million terms or steps.</returns>
    public static double Hypergeometric2F1UnitA(double b, double c, double z, double tolerance = SeriesEpsilon)
    {
        if (z > 0.5d)
        {
            return GaussContinuedFraction(b, c, z, Math.Max(tolerance, ContinuedFractionEpsilon));
        }

        if (z == 0d)
        {
            return 1d;
        }

        // Every later term is at most z times the previous one, so the rest after tₙ is at most tₙ z / (1 − z). Terms
        // are taken in pairs, tₙ₊₁ and tₙ₊₂ from tₙ with one division: the division, not the multiplications, sets the pace.
        var threshold = tolerance * (1d - z) / z;
        var sum = 1d;
        var term = 1d;
        for (var n = 0; n < MaxSeriesTerms; n += 2)
        {
            var cn = c + n;
            var scaled = term * (b + n) * z / (cn * (cn + 1d));
            var first = scaled * (cn + 1d);
            term = scaled * (b + n + 1d) * z;
            sum += first + term;
            if (term <= threshold * sum)
            {
                return sum;
            }
        }

        return double.NaN;
    }

    /// <summary>
    /// ₂F₁(1, b; c; z) = ₂F₁(b, 1; c; z) by Gauss's continued fraction for ₂F₁(a, 1; c′ + 1; z) / ₂F₁(a, 0; c′; z) with
    /// a = b, c′ = c − 1: 1 / (1 − k₁z / (1 − k₂z / (1 − …))), k₂ₙ₊₁ = (a+n)(c′+n) / ((c′+2n)(c′+2n+1)),
    /// k₂ₙ = n(c′−a+n) / ((c′+2n−1)(c′+2n)), all positive.
    /// </summary>
    /// <remarks>
    /// Evaluated by the fundamental (Wallis) recurrences after an equivalence transformation that clears the kₙ's
    /// denominators qₙ — Aₙ = qₙAₙ₋₁ − z pₙ qₙ₋₁ Aₙ₋₂, likewise Bₙ — so that a step costs multiplications only; the
    /// approximants Bₙ/Aₙ are compared every second step, and Aₙ, Bₙ rescaled before they overflow.
    /// </remarks>
    private static double GaussContinuedFraction(double b, double c, double z, double tolerance)
    {
        var a = b;
        var cPrime = c - 1d;
        double previousA = 1d, currentA = 1d, previousB = 0d, currentB = 1d;
        var previousQ = 1d;
        var previousRatio = 1d;
        for (var step = 1; step < MaxSeriesTerms; step++)
        {
            var n = step >> 1;
            double p, q;
            if ((step & 1) == 1)
            {
                p = (a + n) * (cPrime + n);
                q = (cPrime + (2 * n)) * (cPrime + (2 * n) + 1d);
            }
            else
            {
                p = n * (cPrime - a + n);
                q = (cPrime + (2 * n) - 1d) * (cPrime + (2 * n));
            }

            var partial = -z * p * previousQ;
            var nextA = (q * currentA) + (partial * previousA);
            var nextB = (q * currentB) + (partial * previousB);
            (previousA, currentA, previousB, currentB, previousQ) = (currentA, nextA, currentB, nextB, q);

            var magnitude = Math.Abs(currentA);
            if (magnitude > 1e150 || magnitude < 1e-150)
            {
                var scale = 1d / currentA;
                previousA *= scale;
                currentA = 1d;
                previousB *= scale;
                currentB *= scale;
            }

            if ((step & 1) == 0)
            {
                var ratio = currentB / currentA;
                if (Math.Abs(ratio - previousRatio) <= tolerance * Math.Abs(ratio))
                {
                    return ratio;
                }

                previousRatio = ratio;
            }
        }

        return double.NaN;
    }

    /// <summary>
    /// The tail of a ₂F₁-type series: the sum over n ≥ 1 of tₙ, where t₁ = <paramref name="first"/> and
    /// tₙ₊₁ = tₙ (a + n)(b + n) z / ((c + n)(n + 1)). With t₁ = a b z / c it is ₂F₁(a, b; c; z) − 1; other first terms
    /// give the same series divided by a constant (e.g. by b or by c), summed without the division, so that it stays
    /// exact where that constant vanishes. Needs c + n &gt; 0 for n ≥ 1 and 0 ≤ z &lt; 1.
    /// </summary>
    /// <returns>The sum; NaN if it has not converged after two million terms.</returns>
    public static double Hypergeometric2F1Tail(double first, double a, double b, double c, double z)
        => Tail(first, 1, a, b, c, z);

    /// <summary>
    /// Sums the terms of the ₂F₁ series from term <paramref name="firstIndex"/> (whose value is
    /// <paramref name="first"/>) on; every later term is the previous one times (a + n)(b + n) z / ((c + n)(n + 1)).
    /// </summary>
    private static double Tail(double first, int firstIndex, double a, double b, double c, double z)
    {
        var term = first;
        var sum = first;
        for (var n = firstIndex; n < MaxSeriesTerms; n++)
        {
            if (term == 0d)
            {
                return sum;
            }

            var ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;

            // The ratio tends to z; from above it decreases, from below it stays under z. Either way the rest of the
            // series is at most |term| ρ / (1 − ρ) with ρ the larger of the two, once ρ < 1.
            var rho = Math.Max(Math.Abs(ratio), z);
            if (rho < 1d && Math.Abs(term) * rho <= SeriesEpsilon * (1d - rho) * Math.Abs(sum))
            {
                return sum;
            }

            term *= ratio;
            sum += term;
            if (!double.IsFinite(sum))
            {
                return double.NaN;
            }
        }

        return double.NaN;
    }

    /// <summary>
    /// The standard normal distribution function Φ(x) = ½ erfc(−x/√2): erf by its Taylor series for |x/√2| ≤ 2.5 and
    /// erfc by its continued fraction beyond (modified Lentz), both to about 10⁻¹⁵.
    /// </summary>
    public static double NormalCdf(double x)
    {
        var u = Math.Abs(x) / Math.Sqrt(2d);
        double upperTail;
        if (u <= 2.5d)
        {
            // erf(u) = 2/√π Σ (−1)ⁿ u^(2n+1) / (n! (2n + 1)).
            var squared = u * u;
            var power = u;
            var sum = u;
            for (var n = 1; n < 200; n++)
            {
                power *= -squared / n;
                var term = power / ((2d * n) + 1d);
                sum += term;
                if (Math.Abs(term) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }

            upperTail = 0.5d * (1d - (2d / Math.Sqrt(Math.PI) * sum));
        }
        else
        {
            // erfc(u) = e^(−u²)/√π · 1/(u + (1/2)/(u + 1/(u + (3/2)/(u + …)))), by Lentz's method.
            const double Tiny = 1e-300;
            var f = u;
            var c = u;
            var d = 0d;
            for (var k = 1; k < 500; k++)
            {
                var a = k / 2d;
                d = u + (a * d);
                d = Math.Abs(d) < Tiny ? Tiny : d;
                c = u + (a / c);
                c = Math.Abs(c) < Tiny ? Tiny : c;
                d = 1d / d;
                var delta = c * d;
                f *= delta;
                if (Math.Abs(delta - 1d) < 1e-16)
                {
                    break;
                }
            }

            upperTail = 0.5d * Math.Exp(-u * u) / (Math.Sqrt(Math.PI) * f);
        }

        return x >= 0d ? 1d - upperTail : upperTail;
    }

    /// <summary>
    /// The standard normal quantile Φ⁻¹(p) for 0 &lt; p &lt; 1, by Newton's method on <see cref="NormalCdf"/> from a
    /// logistic first guess (the distribution function is smooth and its density known, so a few steps reach 10⁻¹²).
    /// </summary>
    public static double NormalQuantile(double p)
    {
        if (p < 0.5d)
        {
            return -NormalQuantile(1d - p);
        }

        var x = Math.Log(p / (1d - p)) * 0.6d;
        for (var i = 0; i < 100; i++)
        {
            var density = Math.Exp(-0.5d * x * x) / Math.Sqrt(2d * Math.PI);
            var step = (NormalCdf(x) - p) / density;
            step = Math.Clamp(step, -1d, 1d);
            x -= step;
            if (Math.Abs(step) < 1e-13 * Math.Max(1d, Math.Abs(x)))
            {
                break;
            }
        }

        return x;
    }
}
