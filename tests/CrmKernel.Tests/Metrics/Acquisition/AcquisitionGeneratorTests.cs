using CrmKernel.Customers;
using CrmKernel.Metrics.Acquisition;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Metrics.Acquisition.AcquisitionTestData;

namespace CrmKernel.Tests.Metrics.Acquisition;

/// <summary>
/// A seeded generator plants a conversion rate in each of 2 products × 2 segments × 3 channels = 12 cells (400 prospects
/// each, reached by 1–3 communications on the cell's channel about the cell's product in 1–10 January, converting on
/// 20–21 January with the planted probability). The analysis must give back exactly what the generator realised, under
/// every attribution rule (one channel per journey takes all the credit), and the planted rate within 4 standard errors
/// (√(p(1−p)/400) ≤ 0.025, so within 0.1).
/// </summary>
public sealed class AcquisitionGeneratorTests
{
    private const int PerCell = 400;
    private static readonly string[] Products = ["sku-a", "sku-b"];
    private static readonly string[] Regions = ["north", "south"];
    private static readonly string[] Channels = ["email", "sms", "phone"];
    private static readonly Lazy<Generated> Data = new(() => Generate(20260105));

    private sealed record CellTruth(string Product, string Segment, string Channel, double Planted, long Reached, long Converted, long Communications, decimal Cost, decimal Spend);

    private sealed record Generated(List<(CustomerSnapshot, Touchpoint[])> Customers, SegmentSnapshot[] Segments, List<CellTruth> Truth);

    private static Generated Generate(int seed)
    {
        var random = new Random(seed);
        var customers = new List<(CustomerSnapshot, Touchpoint[])>();
        var members = Regions.ToDictionary(r => r, _ => new List<CustomerId>());
        var truth = new List<CellTruth>();
        var cell = 0;
        foreach (var product in Products)
        {
            foreach (var region in Regions)
            {
                for (var c = 0; c < Channels.Length; c++)
                {
                    var planted = 0.05 + (0.05 * cell++);
                    long converted = 0, communications = 0;
                    decimal cost = 0m, spend = 0m;
                    for (var i = 0; i < PerCell; i++)
                    {
                        var id = CustomerId.New();
                        members[region].Add(id);
                        var touches = random.Next(1, 4);
                        var timeline = new List<Touchpoint>();
                        var journeyCost = 0m;
                        for (var k = 0; k < touches; k++)
                        {
                            var price = (c + 1) * 0.10m;
                            journeyCost += price;
                            timeline.Add(Touch(id, Jan(1 + random.Next(0, 10), random.Next(0, 24)), Channels[c], TouchpointKind.CampaignContact, cost: Money.Of(price, "GBP"), products: [product]));
                        }

                        spend += journeyCost;
                        if (random.NextDouble() < planted)
                        {
                            converted++;
                            communications += touches;
                            cost += journeyCost;
                            timeline.Add(Purchase(id, Jan(20 + random.Next(0, 2), random.Next(0, 24)), product));
                        }

                        customers.Add((Snapshot(id), [.. timeline]));
                    }

                    truth.Add(new CellTruth(product, region, Channels[c], planted, PerCell, converted, communications, cost, spend));
                }
            }
        }

        return new Generated(customers, [.. Regions.Select(r => Segment(r, [.. members[r]]))], truth);
    }

    [Theory]
    [InlineData(AttributionRule.FirstTouch)]
    [InlineData(AttributionRule.LastTouch)]
    [InlineData(AttributionRule.Linear)]
    [InlineData(AttributionRule.PositionBased)]
    public void EveryCell_IsWhatTheGeneratorRealised(AttributionRule rule)
    {
        var data = Data.Value;
        var report = Scan(Request(rule, data.Segments), data.Customers);
        foreach (var t in data.Truth)
        {
            var key = new AcquisitionCellKey(new AcquisitionGroupKey(t.Product, new SegmentId(t.Segment)), new ChannelId(t.Channel));
            var cell = report.Find(key);
            Assert.NotNull(cell);
            Assert.Equal((t.Reached, t.Converted), (cell.Journeys, cell.Converters));
            Assert.Equal(t.Reached, cell.Reach);
            Assert.Equal(t.Converted, cell.Conversions);
            Assert.Equal(t.Communications, cell.Communications);
            Assert.Equal(t.Cost, cell.AcquisitionCost);
            Assert.Equal(t.Spend, cell.ProspectSpend);
        }

        Assert.Equal(data.Truth.Sum(t => t.Reached), report.Total.Reached);
        Assert.Equal(data.Truth.Sum(t => t.Converted), report.Total.Converted);
        Assert.Equal(data.Truth.Sum(t => t.Cost), report.Total.AcquisitionCost);
    }

    [Fact]
    public void EveryCell_RecoversThePlantedRate_WithinFourStandardErrors()
    {
        var data = Data.Value;
        var report = Scan(Request(AttributionRule.PositionBased, data.Segments), data.Customers);
        foreach (var t in data.Truth)
        {
            var cell = report.Find(new AcquisitionCellKey(new AcquisitionGroupKey(t.Product, new SegmentId(t.Segment)), new ChannelId(t.Channel)))!;
            var tolerance = 4 * Math.Sqrt(t.Planted * (1 - t.Planted) / PerCell);
            var rate = (double)cell.ConversionRate.Value!.Value;
            Assert.True(Math.Abs(rate - t.Planted) <= tolerance, $"{cell.Key}: planted {t.Planted:0.00}, recovered {rate:0.000} (tolerance {tolerance:0.000})");
        }
    }
}
