using BenchmarkDotNet.Attributes;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Benchmarks.Innovation;

/// <summary>
/// The price of a trade on a prediction market: <see cref="PredictionMarket.Quote"/> computes the LMSR cost function
/// twice (log-sum-exp over the outcomes, in double) and rounds it to points, which is the arithmetic every trade does
/// before its bookkeeping; <see cref="Lmsr.Prices"/> is the softmax every trade records. A binary market and one with
/// the most outcomes (16), each with 1,000 participants and traded quantities.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PredictionMarketBenchmarks
{
    private static readonly Instant At = Instant.FromUtc(2026, 4, 1, 9, 0);

    private PredictionMarket _market = null!;
    private double[] _quantities = null!;
    private double[] _prices = null!;

    /// <summary>Outcomes of the market.</summary>
    [Params(2, 16)]
    public int Outcomes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _market = PredictionMarket.Open(new TenantId("bench"), PredictionMarketId.New(), null, "Adopted?", [.. Enumerable.Range(0, Outcomes).Select(i => $"o{i}")], 100m, At);
        for (var i = 0; i < 1_000; i++)
        {
            var customer = CustomerId.New();
            _market.Grant(customer, 100m, At);
            _market.Trade(customer, i % Outcomes, 1.25m, $"t{i}", At);
        }

        _quantities = [.. _market.Quantities.Select(q => (double)q)];
        _prices = new double[Outcomes];
        Lmsr.Prices(_quantities, 100, _prices);
        if (Math.Abs(_prices[0] - _market.Prices[0]) > 1e-15)
        {
            throw new InvalidOperationException("The benchmark's prices are not the market's.");
        }
    }

    /// <summary>The cost of buying 10 shares of outcome 0 now.</summary>
    [Benchmark]
    public decimal Quote() => _market.Quote(0, 10m);

    /// <summary>Every outcome's price from the quantities.</summary>
    [Benchmark]
    public double Prices()
    {
        Lmsr.Prices(_quantities, 100, _prices);
        return _prices[0];
    }
}
