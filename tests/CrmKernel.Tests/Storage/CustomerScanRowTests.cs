using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Storage;

/// <summary>
/// The compact customer scan row: what it keeps of a snapshot, checked on construction, equal by value; and the law that
/// makes the evaluator's two customer paths agree: a row gives the same completeness facts and funnel counts as its snapshot.
/// </summary>
public sealed class CustomerScanRowTests
{
    private static readonly CustomerId Id = CustomerId.New();
    private static readonly Instant Created = Instant.FromUtc(2026, 1, 5, 9, 30).PlusNanoseconds(7);
    private static readonly LifecycleStage Prospect = DefaultLifecycleModel.Prospect;
    private static readonly LifecycleStage First = DefaultLifecycleModel.FirstTimeCustomer;
    private static readonly LifecycleStage Repeat = DefaultLifecycleModel.RepeatCustomer;

    private static CustomerScanRow Row(params LifecycleStageEntry[] entries)
        => new(Id, Created, hasContactPoint: true, hasHomeTimeZone: false, hasExternalIdentifier: true, entries.Length > 0 ? Prospect : null, entries);

    [Fact]
    public void Constructor_KeepsEveryField_AndCopiesTheEntries()
    {
        LifecycleStageEntry[] entries = [new(First, Created + Duration.FromDays(1)), new(Repeat, Created + Duration.FromDays(9))];
        var row = Row(entries);
        entries[0] = new(Repeat, Created);

        Assert.Equal((Id, Created, true, false, true, (LifecycleStage?)Prospect), (row.Id, row.CreatedAt, row.HasContactPoint, row.HasHomeTimeZone, row.HasExternalIdentifier, row.CreatedIn));
        Assert.Equal([new(First, Created + Duration.FromDays(1)), new(Repeat, Created + Duration.FromDays(9))], row.StageEntries.ToArray());
        Assert.True(Row().StageEntries.IsEmpty);
        Assert.Null(Row().CreatedIn);
    }

    [Fact]
    public void Rows_AreEqualByValue_IncludingTheEntries()
    {
        var entry = new LifecycleStageEntry(First, Created);
        Assert.Equal(Row(entry), Row(entry));
        Assert.True(Row(entry) == Row(entry));
        Assert.Equal(Row(entry).GetHashCode(), Row(entry).GetHashCode());
        Assert.NotEqual(Row(entry), Row());
        Assert.True(Row(entry) != Row(new LifecycleStageEntry(First, Created + Duration.Epsilon)));
        Assert.NotEqual(Row(), new CustomerScanRow(Id, Created, true, true, true, null, []));
        Assert.False(Row().Equals((object)"row"));
        Assert.Contains(Id.ToString(), Row(entry).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RejectsBadArguments()
    {
        Assert.ThrowsAny<ArgumentException>(() => new CustomerScanRow(default, Created, false, false, false, null, []));
        Assert.ThrowsAny<ArgumentException>(() => new CustomerScanRow(Id, Created, false, false, false, Prospect, []));
        Assert.ThrowsAny<ArgumentException>(() => new CustomerScanRow(Id, Created, false, false, false, null, [new(First, Created)]));
        Assert.ThrowsAny<ArgumentException>(() => new CustomerScanRow(Id, Created, false, false, false, default(LifecycleStage), [new(First, Created)]));
        Assert.ThrowsAny<ArgumentException>(() => new CustomerScanRow(Id, Created, false, false, false, Prospect, [default]));
        Assert.ThrowsAny<ArgumentException>(() => new LifecycleStageEntry(default, Created));
        Assert.Throws<ArgumentNullException>(() => CustomerScanRow.From(null!));
        Assert.Throws<ArgumentNullException>(() => LifecycleStageEntry.Of(null!));
    }

    /// <summary>The row of a snapshot holds exactly its id, creation instant, completeness flags and lifecycle steps.</summary>
    [Property(MaxTest = 200)]
    public Property From_KeepsWhatTheSnapshotSays()
        => Prop.ForAll(CrmGenerators.Customer.ToArbitrary(), customer =>
        {
            var s = customer.ToSnapshot();
            var row = CustomerScanRow.From(s);
            Assert.Equal(
                (s.Id, s.CreatedAt, s.ContactPoints.Count > 0, s.HomeTimeZoneId is not null, s.ExternalIdentifiers.Count > 0, s.LifecycleHistory.Count > 0 ? s.LifecycleHistory[0].From : (LifecycleStage?)null),
                (row.Id, row.CreatedAt, row.HasContactPoint, row.HasHomeTimeZone, row.HasExternalIdentifier, row.CreatedIn));
            Assert.Equal(s.LifecycleHistory.Select(t => (t.To, t.At)), row.StageEntries.ToArray().Select(e => (e.Stage, e.At)));
            Assert.Equal(row, new CustomerScanRow(row.Id, row.CreatedAt, row.HasContactPoint, row.HasHomeTimeZone, row.HasExternalIdentifier, row.CreatedIn, row.StageEntries));
        });

    /// <summary>
    /// A scan fed a customer's row counts what it counts fed the snapshot: the completeness facts and every funnel figure,
    /// for a period starting on the day the customer was created (so the funnels' cohorts are not empty).
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Scan_OfTheRow_EqualsScan_OfTheSnapshot()
        => Prop.ForAll(CrmGenerators.Customer.ToArbitrary(), Gen.Choose(0, 40).ToArbitrary(), (customer, days) =>
        {
            var s = customer.ToSnapshot();
            var row = CustomerScanRow.From(s);
            var start = s.CreatedAt.InUtc().Date;
            var period = new DateInterval(start, start.PlusDays(days));
            var viaSnapshot = new MetricScan(period, DateTimeZone.Utc, LifecycleFunnel.Standard, Prospect);
            viaSnapshot.BeginCustomer(CustomerFacts.Of(s));
            viaSnapshot.AddLifecycle(s.CreatedAt, s.LifecycleHistory);
            viaSnapshot.EndCustomer();
            var viaRow = new MetricScan(period, DateTimeZone.Utc, LifecycleFunnel.Standard, Prospect);
            viaRow.BeginCustomer(CustomerFacts.Of(in row));
            viaRow.AddLifecycle(in row);
            viaRow.EndCustomer();

            Assert.Equal(CustomerFacts.Of(s), CustomerFacts.Of(in row));
            Assert.Equal(viaSnapshot.ToFigures(Currency.GBP).Values.OrderBy(v => v.Key), viaRow.ToFigures(Currency.GBP).Values.OrderBy(v => v.Key));
        });

    [Fact]
    public void AddLifecycle_OfARow_KeepsTheOncePerCustomerRule()
    {
        var scan = new MetricScan(new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31)), DateTimeZone.Utc, LifecycleFunnel.Standard, Prospect);
        var row = Row(new LifecycleStageEntry(First, Created));
        Assert.Throws<InvalidOperationException>(() => scan.AddLifecycle(in row));
        scan.BeginCustomer(CustomerFacts.Of(in row));
        scan.AddLifecycle(in row);
        Assert.Throws<InvalidOperationException>(() => scan.AddLifecycle(in row));
        scan.EndCustomer();
        Assert.Equal(1m, scan.ToFigures(Currency.GBP).Values[LifecycleFunnel.Customer.Figures[1]]);
    }
}
