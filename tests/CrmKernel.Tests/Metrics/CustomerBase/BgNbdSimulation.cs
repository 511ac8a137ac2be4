using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>
/// Draws a customer base from the BG/NBD generative process (FHL 2005 §3) with Gamma-Gamma spend. By default it is
/// shaped like the CDNOW cohort: customers acquired uniformly over the first 12 weeks of 1997 (first purchase at noon
/// UTC) and observed to 1997-09-30. Seeded, so every run draws the same base.
/// </summary>
/// <remarks>
/// The summary dates purchases and merges those on one date, as the published conventions require; the continuous-time
/// model does not. Where customers buy every few days that matters: merging truncates the heaviest buyers, and a fit
/// to a CDNOW-shaped base comes out with r and α a few per cent high. Parameter-recovery tests therefore draw a slower
/// market over a longer calendar (purchases months apart), where dating costs no information.
/// </remarks>
internal static class BgNbdSimulation
{
    public static readonly LocalDate Start = new(1997, 1, 1);


    /// <summary>
    /// While alive, a customer buys at rate λ ~ Gamma(r, α) per week; after each repeat purchase they drop out with
    /// probability p ~ Beta(a, b). Each purchase is worth Gamma(p, ν) dollars with ν ~ Gamma(q, γ) per customer.
    /// </summary>
    /// <param name="customers">How many customers.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="model">The transaction process, rates per week.</param>
    /// <param name="spend">The spend process.</param>
    /// <param name="acquisitionDays">Customers are acquired uniformly on the first this many days from <see cref="Start"/>.</param>
    /// <param name="calibrationDays">The calibration period ends this many days after <see cref="Start"/> (see <see cref="CalibrationEnd"/>).</param>
    public static List<PurchaseRecord> Draw(int customers, int seed, BgNbdModel model, GammaGammaModel spend, int acquisitionDays = 84, int calibrationDays = 272)
    {
        var random = new Random(seed);
        var purchases = new List<PurchaseRecord>(customers * 2);
        for (var i = 1; i <= customers; i++)
        {
            var id = new CustomerId(new Guid(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(seed & 0xFF)));
            var day = random.Next(acquisitionDays);
            var acquired = Start.PlusDays(day).At(new LocalTime(12, 0)).InUtc().ToInstant();

            // Observed for T = (calibration end − acquisition date) weeks; a purchase t weeks after noon on day d falls on
            // date d + round(7t), so t ≤ T keeps it in calibration.
            var age = (calibrationDays - day) / 7d;
            var lambda = NextGamma(random, model.R) / model.Alpha;
            var x = NextGamma(random, model.A);
            var dropout = x / (x + NextGamma(random, model.B));
            var nu = NextGamma(random, spend.Q) / spend.Gamma;

            purchases.Add(new PurchaseRecord(id, acquired, Value(random, spend.P, nu)));
            var t = 0d;
            while (true)
            {
                t += -Math.Log(1d - random.NextDouble()) / lambda;
                if (t > age)
                {
                    break;
                }

                purchases.Add(new PurchaseRecord(id, acquired + Duration.FromSeconds(Math.Round(t * 7d * 86_400d)), Value(random, spend.P, nu)));
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }
        }

        return purchases;
    }

    /// <summary>The last calibration date for a base drawn with <paramref name="calibrationDays"/>: 1997-09-30 by default, like CDNOW.</summary>
    public static LocalDate CalibrationEnd(int calibrationDays = 272) => Start.PlusDays(calibrationDays);

    /// <summary>A Gamma(shape, 1) draw: Marsaglia &amp; Tsang (2000), boosted by U^(1/shape) for shapes below 1.</summary>
    public static double NextGamma(Random random, double shape)
    {
        if (shape < 1d)
        {
            return NextGamma(random, shape + 1d) * Math.Pow(1d - random.NextDouble(), 1d / shape);
        }

        var d = shape - (1d / 3d);
        var c = 1d / Math.Sqrt(9d * d);
        while (true)
        {
            double z, v;
            do
            {
                z = NextNormal(random);
                v = 1d + (c * z);
            }
            while (v <= 0d);

            v = v * v * v;
            var u = 1d - random.NextDouble();
            if (Math.Log(u) < (0.5d * z * z) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private static Money Value(Random random, double p, double nu)
        => new(Math.Max(0.01m, Math.Round((decimal)(NextGamma(random, p) / nu), 2)), Currency.USD);

    private static double NextNormal(Random random)
    {
        // Box–Muller; one of the pair is enough here.
        var u1 = 1d - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2d * Math.Log(u1)) * Math.Cos(2d * Math.PI * u2);
    }
}
