using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Hierarchy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.Metrics.Hierarchy;

public sealed class MetricHierarchyTests
{
    [Fact]
    public void StandardHierarchy_IsValid_AndListsEveryDriverBeforeWhatItDrives()
    {
        var hierarchy = StandardMetrics.CreateHierarchy();

        Assert.Equal(StandardMetrics.All.Count, hierarchy.Metrics.Count);
        var position = hierarchy.Metrics.Select((m, i) => (m.Id, i)).ToDictionary(p => p.Id, p => p.i);
        Assert.All(hierarchy.Links, link => Assert.True(position[link.Driver] < position[link.Driven], link.ToString()));
        Assert.All(hierarchy.Links, link => Assert.True(hierarchy[link.Driver].Level <= hierarchy[link.Driven].Level, link.ToString()));
    }

    [Fact]
    public void StandardHierarchy_HasTheCausalChainFromFcrToProfit()
    {
        var hierarchy = StandardMetrics.CreateHierarchy();
        string[] chain = ["first-contact-resolution", "customer-satisfaction", "customer-retention-rate", "clv-existing", "customer-equity", "crm-profit"];

        for (var i = 0; i + 1 < chain.Length; i++)
        {
            Assert.Contains(hierarchy.DriversOf(new MetricId(chain[i + 1])), link => link.Driver == new MetricId(chain[i]));
        }

        Assert.Contains(hierarchy.DrivenBy(StandardMetrics.DataCompleteness.Id), link => link.Driven == StandardMetrics.CampaignResponseRate.Id);
        var equity = Assert.Single(hierarchy.DriversOf(StandardMetrics.CustomerEquity.Id), l => l.Driver == StandardMetrics.ClvExisting.Id);
        Assert.Equal(DriverLinkKind.Identity, equity.Kind);
    }

    [Fact]
    public void StandardHierarchy_CoversAllFourLevelsAndBothFocuses()
    {
        var hierarchy = StandardMetrics.CreateHierarchy();

        Assert.Equal(Enum.GetValues<MetricLevel>().Order(), hierarchy.Metrics.Select(m => m.Level).Distinct().Order());
        Assert.Equal(Enum.GetValues<MetricFocus>().Order(), hierarchy.Metrics.Select(m => m.Focus).Distinct().Order());
    }

    [Fact]
    public void Create_Cycle_ThrowsNamingTheMetricsOnTheCycle()
    {
        var a = Metric("a", MetricLevel.CustomerStrategic);
        var b = Metric("b", MetricLevel.CustomerStrategic);
        var c = Metric("c", MetricLevel.CustomerStrategic);
        var d = Metric("d", MetricLevel.Corporate);

        var error = Assert.Throws<MetricHierarchyException>(() => MetricHierarchy.Create(
            [a, b, c, d],
            [Cause(a, b), Cause(b, c), Cause(c, a), Cause(c, d)],
            []));

        Assert.Equal(CrmErrorCodes.MetricHierarchyCycle, error.ErrorCode);
        Assert.Equal(["a", "b", "c", "a"], error.Metrics);
        Assert.Contains("a → b → c → a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SelfLink_IsACycle()
    {
        var a = Metric("a", MetricLevel.CustomerStrategic);

        var error = Assert.Throws<MetricHierarchyException>(() => MetricHierarchy.Create([a], [Cause(a, a)], []));

        Assert.Equal(CrmErrorCodes.MetricHierarchyCycle, error.ErrorCode);
        Assert.Equal(["a", "a"], error.Metrics);
    }

    [Fact]
    public void Create_LinkToAnUndefinedMetric_ThrowsNamingIt()
    {
        var a = Metric("a", MetricLevel.OperationalProcess);

        var error = Assert.Throws<MetricHierarchyException>(() => MetricHierarchy.Create([a], [DriverLink.Cause(a.Id, new MetricId("ghost"), "x")], []));

        Assert.Equal(CrmErrorCodes.UnknownMetric, error.ErrorCode);
        Assert.Equal(["ghost"], error.Metrics);
        Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_IdentityOverAnUndefinedMetric_ThrowsNamingIt()
    {
        var a = Metric("a", MetricLevel.Corporate);

        var error = Assert.Throws<MetricHierarchyException>(() => MetricHierarchy.Create([a], [], [MetricIdentity.Complement(a.Id, new MetricId("ghost"), "a = 1 − ghost")]));

        Assert.Equal(CrmErrorCodes.UnknownMetric, error.ErrorCode);
        Assert.Equal(["ghost"], error.Metrics);
    }

    [Fact]
    public void Create_LinkPointingDownALevel_ThrowsNamingBothMetrics()
    {
        var profit = Metric("profit", MetricLevel.Corporate);
        var fcr = Metric("fcr", MetricLevel.OperationalProcess);

        var error = Assert.Throws<MetricHierarchyException>(() => MetricHierarchy.Create([profit, fcr], [Cause(profit, fcr)], []));

        Assert.Equal(CrmErrorCodes.MetricLinkPointsDown, error.ErrorCode);
        Assert.Equal(["profit", "fcr"], error.Metrics);
    }

    [Fact]
    public void Create_IdentityWhoseChildSitsAboveItsParent_PointsDown()
    {
        var parent = Metric("parent", MetricLevel.OperationalProcess);
        var child = Metric("child", MetricLevel.Corporate);

        var error = Assert.Throws<MetricHierarchyException>(() => MetricHierarchy.Create([parent, child], [], [MetricIdentity.Complement(parent.Id, child.Id, "parent = 1 − child")]));

        Assert.Equal(CrmErrorCodes.MetricLinkPointsDown, error.ErrorCode);
    }

    [Fact]
    public void Create_DuplicateIdOrLink_Throws()
    {
        var a = Metric("a", MetricLevel.OperationalProcess);
        var b = Metric("b", MetricLevel.Corporate);

        var duplicateId = Assert.Throws<MetricHierarchyException>(() => MetricHierarchy.Create([a, Metric("a", MetricLevel.Corporate)], [], []));
        var duplicateLink = Assert.Throws<MetricHierarchyException>(() => MetricHierarchy.Create([a, b], [Cause(a, b), Cause(a, b)], []));

        Assert.Equal(CrmErrorCodes.DuplicateMetric, duplicateId.ErrorCode);
        Assert.Equal(["a"], duplicateId.Metrics);
        Assert.Equal(CrmErrorCodes.DuplicateMetric, duplicateLink.ErrorCode);
        Assert.Equal(["a", "b"], duplicateLink.Metrics);
    }

    [Fact]
    public void Lookup_OfAnUnknownMetric_Throws002()
    {
        var hierarchy = StandardMetrics.CreateHierarchy();

        Assert.False(hierarchy.TryGet(new MetricId("ghost"), out _));
        Assert.Equal(CrmErrorCodes.UnknownMetric, Assert.Throws<MetricHierarchyException>(() => hierarchy[new MetricId("ghost")]).ErrorCode);
        Assert.Equal(CrmErrorCodes.UnknownMetric, Assert.Throws<MetricHierarchyException>(() => hierarchy.DriversOf(new MetricId("ghost"))).ErrorCode);
    }

    /// <summary>
    /// The law: any set of same-level links is accepted exactly when it has no cycle (checked against a plain depth-first
    /// search), and when accepted the order puts every driver before what it drives.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Create_AcceptsExactlyTheAcyclicGraphs()
    {
        var edge = from a in Gen.Choose(0, 5) from b in Gen.Choose(0, 5) where a != b select (a, b);
        var edges = edge.ArrayOf().Select(l => l.Distinct().ToList());
        return Prop.ForAll(edges.ToArbitrary(), list =>
        {
            var metrics = Enumerable.Range(0, 6).Select(i => Metric("m" + i, MetricLevel.OperationalProcess)).ToArray();
            var links = list.Select(e => Cause(metrics[e.Item1], metrics[e.Item2])).ToList();
            var acyclic = IsAcyclic(6, list);
            try
            {
                var hierarchy = MetricHierarchy.Create(metrics, links, []);
                var position = hierarchy.Metrics.Select((m, i) => (m.Id, i)).ToDictionary(p => p.Id, p => p.i);
                return acyclic && links.TrueForAll(l => position[l.Driver] < position[l.Driven]);
            }
            catch (MetricHierarchyException e) when (e.ErrorCode == CrmErrorCodes.MetricHierarchyCycle)
            {
                // The named cycle is real: consecutive metrics are linked, and it closes on itself.
                var named = e.Metrics;
                var closed = named[0] == named[^1];
                var linked = named.Zip(named.Skip(1)).All(p => list.Contains((int.Parse(p.First[1..], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p.Second[1..], System.Globalization.CultureInfo.InvariantCulture))));
                return !acyclic && closed && linked;
            }
        });
    }

    [Fact]
    public void StandardHierarchy_ExtendsWithAHostMetric_AsTheGuideShows()
    {
        var winRate = new MetricDefinition(new MetricId("quote-acceptance-rate"), "Quote acceptance rate", "Quotes accepted per quote sent.",
            MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
            MetricFormula.Ratio(new FigureKey("quotes-accepted"), new FigureKey("quotes-sent"), "accepted ÷ sent", "quotes sent"));

        var hierarchy = MetricHierarchy.Create(
            [.. StandardMetrics.All, winRate],
            [.. StandardMetrics.Causes, DriverLink.Cause(winRate.Id, StandardMetrics.Acquisitions.Id, "accepted quotes are new customers")],
            StandardMetrics.Identities);

        Assert.Contains(hierarchy.DriversOf(StandardMetrics.Acquisitions.Id), l => l.Driver == winRate.Id);
        Assert.Equal(0.25m, winRate.Formula.Compute(Catalogue.StandardMetricsTests.Figures((new FigureKey("quotes-accepted"), 5m), (new FigureKey("quotes-sent"), 20m))).Value);
    }

    [Fact]
    public void MetricId_NormalisesAndRejectsBadText()
    {
        Assert.Equal("customer-retention-rate", new MetricId("  Customer-Retention-Rate ").Value);
        Assert.Throws<ArgumentException>(() => new MetricId("9lives"));
        Assert.Throws<ArgumentException>(() => new MetricId("has space"));
        Assert.Throws<InputLimitExceededException>(() => new MetricId(new string('a', 65)));
        Assert.False(MetricId.TryParse("", out _));
        Assert.True(MetricId.TryParse("nps", out var id));
        Assert.Equal("nps", id.ToString());
    }

    [Fact]
    public void MetricIdentity_HoldsWithinItsToleranceOnly()
    {
        var identity = new MetricIdentity(new MetricId("p"), [new MetricId("a"), new MetricId("b")], "p = a × b", v => v[0] * v[1], 0.01m);

        Assert.True(identity.Holds(600m, [20m, 30m]));
        Assert.True(identity.Holds(605m, [20m, 30m]));
        Assert.False(identity.Holds(607m, [20m, 30m]));
        Assert.Throws<ArgumentException>(() => identity.Holds(600m, [20m]));
        Assert.Throws<ArgumentException>(() => new MetricIdentity(new MetricId("p"), [new MetricId("p")], "p = p", v => v[0]));
        Assert.Throws<ArgumentException>(() => new MetricIdentity(new MetricId("p"), [new MetricId("a"), new MetricId("a")], "p = a a", v => v[0]));
        Assert.Throws<ArgumentException>(() => new MetricIdentity(new MetricId("p"), [new MetricId("a")], "p = a", v => v[0], 0.6m));
    }

    [Fact]
    public void MetricDefinition_RejectsUndefinedEnumsAndBlankNames()
    {
        var formula = StandardMetrics.AverageOrderValue.Formula;

        Assert.Throws<ArgumentException>(() => new MetricDefinition(new MetricId("x"), " ", "", MetricLevel.Corporate, MetricFocus.Internal, MetricUnit.Count, BetterDirection.HigherIsBetter, formula));
        Assert.ThrowsAny<ArgumentException>(() => new MetricDefinition(new MetricId("x"), "X", "", (MetricLevel)9, MetricFocus.Internal, MetricUnit.Count, BetterDirection.HigherIsBetter, formula));
        Assert.ThrowsAny<ArgumentException>(() => new MetricDefinition(default, "X", "", MetricLevel.Corporate, MetricFocus.Internal, MetricUnit.Count, BetterDirection.HigherIsBetter, formula));
    }

    internal static MetricDefinition Metric(string id, MetricLevel level) => new(
        new MetricId(id), id.ToUpperInvariant(), "A test metric.", level, MetricFocus.Internal, MetricUnit.Count, BetterDirection.HigherIsBetter,
        MetricFormula.Figure(StandardFigures.Orders, "orders"));

    private static DriverLink Cause(MetricDefinition from, MetricDefinition to) => DriverLink.Cause(from.Id, to.Id, "test");

    private static bool IsAcyclic(int count, List<(int, int)> edges)
    {
        var state = new int[count];
        return Enumerable.Range(0, count).All(Visit);

        bool Visit(int node)
        {
            if (state[node] == 1)
            {
                return false;
            }

            if (state[node] == 2)
            {
                return true;
            }

            state[node] = 1;
            var ok = edges.Where(e => e.Item1 == node).All(e => Visit(e.Item2));
            state[node] = 2;
            return ok;
        }
    }
}
