using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// Ten service cases of one tenant with hand-written histories around March 2026 in London, on a Monday–Friday
/// 09:00–17:00 London calendar (the "standard" policy's, also the default calendar). March 2026 starts on a Sunday;
/// the clocks go forward on Sunday 29 March (GMT → BST), so Monday 30 March 09:00 London is 08:00 UTC.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A (normal, billing, standard, 1 contact): opened Fri 27 Mar 16:00Z, started and answered 16:30Z, resolved Mon 30 Mar
/// 09:00Z (10:00 BST) — across the weekend and the change: resolution 1 h Fri + 1 h Mon = 7,200 s; handle 0.5 h + 1 h = 5,400 s; SLA met.</item>
/// <item>B (high, billing, standard, complaint, 2 contacts): opened Mon 2 Mar 09:00Z, started and answered 09:30Z, waiting
/// 10:00Z to Tue 10:00Z (8 business h paused), resolved Tue 12:00Z with CSAT 5 — resolution 8 h + 3 h = 39,600 s; handle
/// 0.5 h + 2 h = 9,000 s; SLA: response 0.5 h ≤ 1 h, resolution 11 h − 8 h = 3 h ≤ 4 h: met; recovered.</item>
/// <item>C (normal, delivery, standard, 1 contact): opened Tue 10 Mar 09:00Z, started, answered 10:00Z, resolved 13:00Z,
/// reopened Thu 12 Mar 09:00Z, resolved 10:00Z — resolution 8 + 8 + 1 = 17 h = 61,200 s; handle 4 h + 1 h = 18,000 s;
/// response met, resolution (17 h &gt; 8 h) breached; reopened; not first-contact.</item>
/// <item>D (low, delivery, no policy, complaint, 1 contact): opened Mon 23 Mar 09:00Z, started, resolved 11:00Z with CSAT 2 —
/// 7,200 s and 7,200 s on the default calendar; first-contact; not recovered.</item>
/// <item>E (normal, billing, standard, 1 contact): opened Tue 31 Mar 08:00Z (09:00 BST), started, answered 08:30Z, resolved 09:00Z,
/// reopened Wed 1 Apr 08:00Z — as of March's end resolved, first-contact and not reopened: 3,600 s and 3,600 s; SLA met.</item>
/// <item>F (high, delivery, standard): opened Wed 25 Mar 09:00Z, started, waiting 10:00Z — open at the end.</item>
/// <item>G (low, billing): opened Mon 30 Mar 12:00Z, new — open at the end.</item>
/// <item>H: opened 1 Apr — does not exist at March's end. I: resolved 3 Feb, closed 5 Feb — February's.</item>
/// <item>J (normal, delivery): opened 24 Mar, merged into F on 25 Mar 11:00Z — left out.</item>
/// </list>
/// March: resolved A B C D E (billing A B E, delivery C D); first-contact A D E; Σ resolution 118,800 s; Σ handle 43,200 s;
/// under SLA A B C E, both met A B E, response met 4, resolution met 3; open F (high) G (low); reopened C; complaints B D, recovered B.
/// </remarks>
internal static class CaseMetricsTestData
{
    public static readonly TenantId Tenant = new("case-metric-tests");
    public static readonly CustomerId Customer = CustomerId.New();
    public static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    public static readonly DateInterval March = new(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 31));
    public static readonly BusinessCalendar Office = new(London, WorkingHours.MondayToFriday(new LocalTime(9, 0), new LocalTime(17, 0)), []);

    public static readonly SlaPolicy Standard = new("standard", Office, new Dictionary<CasePriority, SlaTargets>
    {
        [CasePriority.Low] = new(Duration.FromHours(8), Duration.FromHours(40)),
        [CasePriority.Normal] = new(Duration.FromHours(2), Duration.FromHours(8)),
        [CasePriority.High] = new(Duration.FromHours(1), Duration.FromHours(4)),
        [CasePriority.Urgent] = new(Duration.FromMinutes(30), Duration.FromHours(2)),
    });

    private static readonly Duration Window = Duration.FromDays(7);

    public static Instant Utc(int month, int day, int hour, int minute = 0) => Instant.FromUtc(2026, month, day, hour, minute);

    /// <summary>The ten cases, keyed A to J.</summary>
    public static Dictionary<string, ServiceCase> Cases()
    {
        var a = Open("billing", CasePriority.Normal, true, false, "standard", Utc(3, 27, 16));
        a.Start(Utc(3, 27, 16, 30), "agent", "start");
        a.RecordResponse(Utc(3, 27, 16, 30));
        a.Resolve(Utc(3, 30, 9), "agent", null, null);

        var b = Open("billing", CasePriority.High, true, true, "standard", Utc(3, 2, 9));
        b.Start(Utc(3, 2, 9, 30), "agent", "start");
        b.RecordResponse(Utc(3, 2, 9, 30));
        b.AttachTouchpoint(TouchpointId.New(), Utc(3, 2, 9, 45));
        b.WaitOnCustomer(Utc(3, 2, 10), "agent", "wait");
        b.Resume(Utc(3, 3, 10), "agent", "back");
        b.Resolve(Utc(3, 3, 12), "agent", null, new CsatScore(5));

        var c = Open("delivery", CasePriority.Normal, true, false, "standard", Utc(3, 10, 9));
        c.Start(Utc(3, 10, 9), "agent", "start");
        c.RecordResponse(Utc(3, 10, 10));
        c.Resolve(Utc(3, 10, 13), "agent", null, null);
        c.Reopen(Window, Utc(3, 12, 9), "customer", "still broken");
        c.Resolve(Utc(3, 12, 10), "agent", null, null);

        var d = Open("delivery", CasePriority.Low, true, true, null, Utc(3, 23, 9));
        d.Start(Utc(3, 23, 9), "agent", "start");
        d.Resolve(Utc(3, 23, 11), "agent", null, new CsatScore(2));

        var e = Open("billing", CasePriority.Normal, true, false, "standard", Utc(3, 31, 8));
        e.Start(Utc(3, 31, 8), "agent", "start");
        e.RecordResponse(Utc(3, 31, 8, 30));
        e.Resolve(Utc(3, 31, 9), "agent", null, null);
        e.Reopen(Window, Utc(4, 1, 8), "customer", "again");

        var f = Open("delivery", CasePriority.High, false, false, "standard", Utc(3, 25, 9));
        f.Start(Utc(3, 25, 9), "agent", "start");
        f.WaitOnCustomer(Utc(3, 25, 10), "agent", "wait");

        var g = Open("billing", CasePriority.Low, false, false, null, Utc(3, 30, 12));

        var h = Open("billing", CasePriority.Normal, true, false, "standard", Utc(4, 1, 9));

        var i = Open("billing", CasePriority.Normal, true, false, "standard", Utc(2, 2, 9));
        i.Start(Utc(2, 2, 9), "agent", "start");
        i.Resolve(Utc(2, 3, 9), "agent", null, null);
        i.Close(Utc(2, 5, 9), "agent", "done");

        var j = Open("delivery", CasePriority.Normal, false, false, null, Utc(3, 24, 9));
        ServiceCase.Merge(j, f, Utc(3, 25, 11), "agent", "duplicate");

        return new Dictionary<string, ServiceCase>(StringComparer.Ordinal) { ["A"] = a, ["B"] = b, ["C"] = c, ["D"] = d, ["E"] = e, ["F"] = f, ["G"] = g, ["H"] = h, ["I"] = i, ["J"] = j };
    }

    private static ServiceCase Open(string category, CasePriority priority, bool fromTouchpoint, bool complaint, string? policy, Instant at)
        => ServiceCase.Open(Tenant, CaseId.New(), Customer, "subject", category, priority, fromTouchpoint ? TouchpointId.New() : null, complaint, policy, at, "agent");
}
