namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// P(X(t) = x), the distribution of the number of repeat transactions in the first t time units after acquisition,
/// for the BG/NBD and Pareto/NBD models: the model side of a calibration-period frequency histogram.
/// </summary>
internal static class TransactionCounts
{
    /// <summary>Relative tolerance of the Pareto/NBD integral.</summary>
    private const double Tolerance = 1e-11;

    /// <summary>
    /// BG/NBD (Fader, Hardie &amp; Lee 2005, eq. 8):
    /// B(a, b+x)/B(a, b) NBD(x; t) + δₓ₍&gt;0₎ B(a+1, b+x−1)/B(a, b) [1 − Σⱼ₌₀..ₓ₋₁ NBD(j; t)],
    /// with NBD(j; t) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j.
    /// </summary>
    public static double BgNbd(double r, double alpha, double a, double b, int x, double t)
    {
        if (t == 0d)
        {
            return x == 0 ? 1d : 0d;
        }

        var logBetaAb = LogBeta(a, b);
        var logP = Math.Log(alpha / (alpha + t));
        var logQ = Math.Log(t / (alpha + t));
        var alive = Math.Exp(LogBeta(a, b + x) - logBetaAb + LogNbd(r, x, logP, logQ));
        if (x == 0)
        {
            return alive;
        }

        // 1 − P(NBD < x): the chance of at least x purchases before dropping out just after the x-th.
        var below = 0d;
        for (var j = 0; j < x; j++)
        {
            below += Math.Exp(LogNbd(r, j, logP, logQ));
        }

        var dropped = Math.Exp(LogBeta(a + 1d, b + x - 1d) - logBetaAb) * Math.Max(0d, 1d - below);
        return alive + dropped;
    }

    /// <summary>
    /// Pareto/NBD: with lifetimes τ ~ exponential(μ), μ ~ Gamma(s, β), independent of λ,
    /// P(X(t) = x) = NBD(x; t) (β/(β+t))^s + ∫₀ᵗ NBD(x; τ) (s/β) (β/(β+τ))^(s+1) dτ — the customer is alive throughout,
    /// or dies at τ &lt; t having made x purchases by then. The integral is smooth and is computed by adaptive Simpson.
    /// </summary>
    public static double ParetoNbd(double r, double alpha, double s, double beta, int x, double t)
    {
        if (t == 0d)
        {
            return x == 0 ? 1d : 0d;
        }

        var alive = Math.Exp(Nbd(r, alpha, x, t) + (s * Math.Log(beta / (beta + t))));
        double Density(double tau)
            => tau == 0d
                ? (x == 0 ? s / beta : 0d)
                : Math.Exp(Nbd(r, alpha, x, tau) + Math.Log(s / beta) + ((s + 1d) * Math.Log(beta / (beta + tau))));

        // Split [0, t] so the adaptive rule starts with a shape it can see (the density can peak early), then refine each
        // panel to an absolute tolerance relative to the whole integral; the depth bound caps the work at round-off.
        const int panels = 16;
        Span<double> ends = stackalloc double[(3 * panels) + 1];
        for (var k = 0; k <= 2 * panels; k++)
        {
            ends[k] = Density(t * k / (2d * panels));
        }

        var coarse = 0d;
        for (var k = 0; k < panels; k++)
        {
            coarse += t / panels / 6d * (ends[2 * k] + (4d * ends[(2 * k) + 1]) + ends[(2 * k) + 2]);
        }

        var tolerance = Math.Max(Tolerance * coarse, 1e-300) / panels;
        var died = 0d;
        for (var k = 0; k < panels; k++)
        {
            double from = t * k / panels, to = t * (k + 1) / panels;
            double fa = ends[2 * k], fm = ends[(2 * k) + 1], fb = ends[(2 * k) + 2];
            var whole = (to - from) / 6d * (fa + (4d * fm) + fb);
            died += Simpson(Density, from, to, fa, fm, fb, whole, tolerance, 20);
        }

        return alive + died;
    }

    /// <summary>ln NBD(x; τ) for the purchase process: ln[Γ(r+x)/(Γ(r) x!)] + r ln(α/(α+τ)) + x ln(τ/(α+τ)).</summary>
    private static double Nbd(double r, double alpha, int x, double tau)
        => LogNbd(r, x, Math.Log(alpha / (alpha + tau)), Math.Log(tau / (alpha + tau)));

    private static double LogNbd(double r, int j, double logP, double logQ)
        => SpecialFunctions.LogGamma(r + j) - SpecialFunctions.LogGamma(r) - SpecialFunctions.LogGamma(j + 1d) + (r * logP) + (j == 0 ? 0d : j * logQ);

    private static double LogBeta(double a, double b)
        => SpecialFunctions.LogGamma(a) + SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(a + b);

    private static double Simpson(Func<double, double> f, double a, double b, double fa, double fm, double fb, double whole, double tolerance, int depth)
    {
        var m = (a + b) / 2d;
        double lm = (a + m) / 2d, rm = (m + b) / 2d;
        double flm = f(lm), frm = f(rm);
        var left = (m - a) / 6d * (fa + (4d * flm) + fm);
        var right = (b - m) / 6d * (fm + (4d * frm) + fb);
        var delta = left + right - whole;
        if (depth <= 0 || Math.Abs(delta) <= 15d * tolerance)
        {
            return left + right + (delta / 15d);
        }

        return Simpson(f, a, m, fa, flm, fm, left, tolerance / 2d, depth - 1) + Simpson(f, m, b, fm, frm, fb, right, tolerance / 2d, depth - 1);
    }
}
