using CrmKernel.Lifecycle;
using CrmKernel.Metrics.WinBack;
using CrmKernel.Primitives;
using CrmKernel.Tests.Metrics.Profitability;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CrmKernel.Tests.Metrics.Profitability.MixWorld;
using L = CrmKernel.Lifecycle.DefaultLifecycleModel;

namespace CrmKernel.Tests.Metrics.WinBack;

/// <summary>
/// Laws of the win-back view over random tenants (up to 6 customers with random walks through the win-back stages and
/// random touchpoints, as of a random instant): parts never exceed their wholes, the drill-downs stream exactly what the
/// rows count, a segment of every customer equals the all-customers row, and a later history start never adds episodes.
/// </summary>
public sealed class WinBackViewProperties
{
    private static readonly LifecycleStage[] Stages = [L.RepeatCustomer, L.Dissatisfied, L.Recovered, L.Lapsed, L.Former, L.WonBack];
    private static readonly Instant Origin = Instant.FromUtc(2026, 1, 1, 0, 0);

    [Property(MaxTest = 40)]
    public Property TheViewsFigures_AgreeWithTheirDrillDowns_AndTheirParts()
        => Prop.ForAll(Tenants().ToArbitrary(), tenant => Check(tenant).GetAwaiter().GetResult());

    private static async Task<bool> Check((int[][] Walks, (int Customer, int Hour, int Channel)[] Touchpoints, int AsOfHour, int FromHour) tenant)
    {
        var world = new MixWorld();
        var ids = new List<CustomerId>();
        foreach (var walk in tenant.Walks)
        {
            var history = new List<LifecycleTransitionRecord>();
            var stage = L.RepeatCustomer;
            var hour = 0;
            foreach (var step in walk)
            {
                hour += 1 + (step / Stages.Length);
                var to = Stages[step % Stages.Length];
                if (to != stage)
                {
                    history.Add(Move(stage, to, Origin + Duration.FromHours(hour)));
                    stage = to;
                }
            }

            ids.Add(await world.CustomerAsync([.. history]));
        }

        foreach (var (customer, hour, channel) in tenant.Touchpoints)
        {
            await world.RecordAsync(ids[customer % ids.Count], Origin + Duration.FromHours(hour) + Duration.FromMinutes(30), channel == 0 ? "phone" : "email", campaign: channel == 2 ? "c" : null);
        }

        var asOf = Origin + Duration.FromHours(tenant.AsOfHour);
        var everyone = Segment("everyone", [.. ids]);
        var view = new WinBackView(world.Customers, world.Touchpoints);
        var result = await view.AnalyseAsync(Tenant, new WinBackRequest(asOf, [everyone]));
        var later = await view.AnalyseAsync(Tenant, new WinBackRequest(asOf, historyFrom: Origin + Duration.FromHours(Math.Min(tenant.FromHour, tenant.AsOfHour))));
        var episodes = new List<WinBackEpisode>();
        await foreach (var episode in view.StreamEpisodesAsync(Tenant, new WinBackRequest(asOf)))
        {
            episodes.Add(episode);
        }

        var candidates = 0;
        await foreach (var _ in view.StreamCandidatesAsync(Tenant, new WinBackRequest(asOf)))
        {
            candidates++;
        }

        var all = result.All;
        var row = result[everyone.Segment];
        var ok = candidates == all.Dissatisfied + all.Lapsed && (row.Dissatisfied, row.Lapsed) == (all.Dissatisfied, all.Lapsed);
        foreach (var path in (WinBackPath[])[WinBackPath.Recovery, WinBackPath.WinBack])
        {
            ok &= all.Episodes(path) == episodes.Count(e => e.Path == path) && all.Recovered(path) == episodes.Count(e => e.Path == path && e.Recovered);
            ok &= all.Recovered(path) <= all.Episodes(path) && later.All.Episodes(path) <= all.Episodes(path);
            ok &= (row.Episodes(path), row.Recovered(path)) == (all.Episodes(path), all.Recovered(path));
            ok &= episodes.All(e => e.End <= asOf && e.Start < e.End);
        }

        ok &= all.Actions.All(a => a.Recovered <= a.Episodes && a.Episodes <= all.Episodes(a.Path) && a.Episodes == episodes.Count(e => e.Path == a.Path && e.Actions(a.Kind).Contains(a.Key)));
        ok &= all.Actions.Select(a => (a.Path, a.Kind, a.Key, a.Episodes, a.Recovered)).SequenceEqual(row.Actions.Select(a => (a.Path, a.Kind, a.Key, a.Episodes, a.Recovered)));
        return ok;
    }

    private static Gen<(int[][] Walks, (int Customer, int Hour, int Channel)[] Touchpoints, int AsOfHour, int FromHour)> Tenants()
        => from walks in Gen.Choose(0, 8 * Stages.Length - 1).ArrayOf().Select(w => w.Take(6).ToArray()).ArrayOf().Select(a => a.Take(6).Append(Array.Empty<int>()).ToArray())
           from touchpoints in (from c in Gen.Choose(0, 5) from h in Gen.Choose(0, 60) from ch in Gen.Choose(0, 2) select (c, h, ch)).ArrayOf().Select(a => a.Take(12).ToArray())
           from asOf in Gen.Choose(0, 70)
           from start in Gen.Choose(0, 70)
           select (walks, touchpoints, asOf, start);
}
