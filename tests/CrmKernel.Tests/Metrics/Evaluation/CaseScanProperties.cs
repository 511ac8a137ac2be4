using CrmKernel.Cases;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using D = CrmKernel.Tests.Metrics.Evaluation.CaseMetricsTestData;
using S = CrmKernel.Metrics.Catalogue.StandardMetrics;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// Laws of <see cref="CaseScan"/> over random cases with random legal histories (steps the workflow refuses are
/// skipped) around random periods in London: every rate is a share, partial scans merged equal one scan, and the
/// drill-down selections select exactly the cases the figures count.
/// </summary>
public sealed class CaseScanProperties
{
    private static readonly Instant Origin = Instant.FromUtc(2026, 3, 1, 0, 0);
    private static readonly Duration Window = Duration.FromDays(7);

    [Property(MaxTest = 300)]
    public Property Rates_AreShares_AndPartsNeverExceedTheirWholes()
        => Prop.ForAll(Tenants().ToArbitrary(), t =>
        {
            var figures = Scan(t.Cases, t.Period).ToFigures(Currency.GBP);
            var shares = new[] { S.FirstContactResolution, S.SlaAttainment, S.ReopenRate, S.ComplaintRecovery }
                .Select(m => m.Formula.Compute(figures))
                .SelectMany(v => v.Breakdown.Select(r => r.Value).Append(v))
                .Where(v => v.HasValue)
                .All(v => v.Value is >= 0m and <= 1m);
            var v = figures.Values;
            var times = v[StandardFigures.CaseHandleSeconds] >= 0m && v[StandardFigures.CaseHandleSeconds] <= v[StandardFigures.CaseResolutionSeconds];
            var sla = v[StandardFigures.CasesSlaMet] <= Math.Min(v[StandardFigures.CasesFirstResponseMet], v[StandardFigures.CasesResolutionMet])
                      && v[StandardFigures.CasesResolvedUnderSla] <= v[StandardFigures.CasesResolved];
            return (shares && times && sla).Label($"shares {shares}, times {times}, sla {sla}");
        });

    [Property(MaxTest = 200)]
    public Property Merge_OfRandomPartitions_EqualsOneScan()
    {
        var partitioned =
            from tenant in Tenants()
            from parts in Gen.Choose(1, 4)
            from assignment in Gen.Choose(0, parts - 1).ArrayOf(tenant.Cases.Count)
            from order in Gen.Shuffle(Enumerable.Range(0, parts))
            select (tenant, parts, assignment, order);
        return Prop.ForAll(partitioned.ToArbitrary(), p =>
        {
            var (t, _, assignment, order) = p;
            var single = Scan(t.Cases, t.Period).ToFigures(Currency.GBP);
            var merged = new CaseScan(t.Period, D.London, D.Office);
            foreach (var part in order)
            {
                merged.Merge(Scan(t.Cases.Where((_, i) => assignment[i] == part), t.Period));
            }

            var actual = merged.ToFigures(Currency.GBP);
            var differences = single.Values.Where(e => actual.Values[e.Key] != e.Value).Select(e => $"{e.Key}: {e.Value} vs {actual.Values[e.Key]}").ToList();
            var rowsEqual = single.Rows.Count == actual.Rows.Count && single.Rows.All(r => r.Value.SequenceEqual(actual.Rows[r.Key]));
            return (differences.Count == 0 && rowsEqual).Label(string.Join(", ", differences) + (rowsEqual ? string.Empty : " rows differ"));
        });
    }

    [Property(MaxTest = 300)]
    public Property DrillDownSelections_SelectExactlyTheCasesTheFiguresCount()
        => Prop.ForAll(Tenants().ToArbitrary(), t =>
        {
            var scan = Scan(t.Cases, t.Period);
            var figures = scan.ToFigures(Currency.GBP).Values;
            int Count(string selection) => t.Cases.Count(c => scan.Selects(c, PolicyOf(c), selection));
            var resolved = Count(CaseScan.ResolvedInPeriod);
            var underSla = Count(CaseScan.ResolvedUnderSla);
            var open = Count(CaseScan.OpenAtEnd);
            var complaints = Count(CaseScan.ComplaintsResolved);
            return (resolved == figures[StandardFigures.CasesResolved]
                    && underSla == figures[StandardFigures.CasesResolvedUnderSla]
                    && open == figures[StandardFigures.CasesOpen]
                    && complaints == figures[StandardFigures.ComplaintCasesResolved])
                .Label($"resolved {resolved}, under SLA {underSla}, open {open}, complaints {complaints}");
        });

    private static SlaPolicy? PolicyOf(ServiceCase serviceCase) => serviceCase.SlaPolicy == D.Standard.Name ? D.Standard : null;

    private static CaseScan Scan(IEnumerable<ServiceCase> cases, DateInterval period)
    {
        var scan = new CaseScan(period, D.London, D.Office);
        foreach (var serviceCase in cases)
        {
            scan.Add(serviceCase, PolicyOf(serviceCase));
        }

        return scan;
    }

    /// <summary>Random cases with random legal histories, and a random period in London.</summary>
    private static Gen<(List<ServiceCase> Cases, DateInterval Period)> Tenants()
    {
        var step = from minutes in Gen.Choose(0, 60 * 24 * 4) from kind in Gen.Choose(0, 7) from score in Gen.Choose(1, 5) select (minutes, kind, score);
        var serviceCase =
            from opened in Gen.Choose(-60 * 24 * 40, 60 * 24 * 40)
            from priority in Gen.Choose(1, 4)
            from category in Gen.Elements("billing", "delivery", "returns")
            from complaint in ArbMap.Default.GeneratorFor<bool>()
            from policy in ArbMap.Default.GeneratorFor<bool>()
            from origin in ArbMap.Default.GeneratorFor<bool>()
            from steps in step.ListOf()
            select Build(Origin + Duration.FromMinutes(opened), (CasePriority)priority, category, complaint, policy, origin, steps);
        return from cases in serviceCase.ListOf()
               from startDay in Gen.Choose(-30, 30)
               from length in Gen.Choose(1, 40)
               let start = new LocalDate(2026, 3, 1).PlusDays(startDay)
               select (cases.ToList(), new DateInterval(start, start.PlusDays(length - 1)));
    }

    private static ServiceCase Build(Instant opened, CasePriority priority, string category, bool complaint, bool policy, bool origin, IEnumerable<(int Minutes, int Kind, int Score)> steps)
    {
        var c = ServiceCase.Open(D.Tenant, CaseId.New(), D.Customer, "subject", category, priority, origin ? TouchpointId.New() : null, complaint, policy ? "standard" : null, opened, "agent");
        var at = opened;
        foreach (var (minutes, kind, score) in steps)
        {
            at += Duration.FromMinutes(minutes);
            switch (kind)
            {
                case 0 when c.Status == CaseStatus.New:
                    c.Start(at, "a", "start");
                    break;
                case 1 when c.IsActive:
                    c.RecordResponse(at);
                    break;
                case 2 when c.Status == CaseStatus.InProgress:
                    c.WaitOnCustomer(at, "a", "wait");
                    break;
                case 3 when c.Status == CaseStatus.WaitingOnCustomer:
                    c.Resume(at, "a", "resume");
                    break;
                case 4 when c.Status is CaseStatus.InProgress or CaseStatus.WaitingOnCustomer:
                    c.Resolve(at, "a", null, score == 3 ? null : new CsatScore(score));
                    break;
                case 5 when c.Status == CaseStatus.Resolved && at <= c.Resolution!.At + Window:
                    c.Reopen(Window, at, "a", "reopen");
                    break;
                case 6 when c.Status == CaseStatus.Resolved:
                    c.Close(at, "a", "close");
                    break;
                case 7 when c.IsActive && c.ContactCount < 3:
                    c.AttachTouchpoint(TouchpointId.New(), at);
                    break;
            }
        }

        return c;
    }
}
