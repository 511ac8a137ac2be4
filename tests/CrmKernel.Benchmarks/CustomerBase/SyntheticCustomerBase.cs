using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Benchmarks.CustomerBase;

/// <summary>
/// A CDNOW-shaped customer base drawn from the BG/NBD generative process (FHL 2005 §3) with Gamma-Gamma spend:
/// customers acquired uniformly over the first 12 weeks of 1997 (first purchase at noon UTC), observed to 1997-09-30,
/// generated with the published CDNOW estimates. Seeded. (The test project has the same generator; benchmarks cannot
/// reference tests.)
/// </summary>
internal static class SyntheticCustomerBase
{
    public static readonly BgNbdModel Transactions = new(0.243, 4.414, 0.793, 2.426);

    public static readonly GammaGammaModel Spend = new(6.25, 3.74, 15.44);

    public static readonly LocalDate Start = new(1997, 1, 1);

    public static readonly LocalDate CalibrationEnd = new(1997, 9, 30);

    public static List<PurchaseRecord> Draw(int customers, int seed)
    {
        var random = new Random(seed);
        var purchases = new List<PurchaseRecord>(customers * 2 + 16);
        var calibrationDays = Period.Between(Start, CalibrationEnd, PeriodUnits.Days).Days;
        for (var i = 1; i <= customers; i++)
        {
            var id = new CustomerId(new Guid(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(seed & 0xFF)));
            var day = random.Next(84);
            var acquired = Start.PlusDays(day).At(new LocalTime(12, 0)).InUtc().ToInstant();
            var age = (calibrationDays - day) / 7d;
            var lambda = NextGamma(random, Transactions.R) / Transactions.Alpha;
            var x = NextGamma(random, Transactions.A);
            var dropout = x / (x + NextGamma(random, Transactions.B));
            var nu = NextGamma(random, Spend.Q) / Spend.Gamma;

            purchases.Add(new PurchaseRecord(id, acquired, Value(random, nu)));
            var t = 0d;
            while (true)
            {
                t += -Math.Log(1d - random.NextDouble()) / lambda;
                if (t > age)
                {
                    break;
                }

                purchases.Add(new PurchaseRecord(id, acquired + Duration.FromSeconds(Math.Round(t * 7d * 86_400d)), Value(random, nu)));
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }
        }

        return purchases;
    }

    private static Money Value(Random random, double nu)
        => new(Math.Max(0.01m, Math.Round((decimal)(NextGamma(random, Spend.P) / nu), 2)), Currency.USD);

    /// <summary>A Gamma(shape, 1) draw: Marsaglia &amp; Tsang (2000), boosted by U^(1/shape) for shapes below 1.</summary>
    private static double NextGamma(Random random, double shape)
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
                z = Math.Sqrt(-2d * Math.Log(1d - random.NextDouble())) * Math.Cos(2d * Math.PI * random.NextDouble());
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
}
