using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Cases;

/// <summary>One generated command against a case.</summary>
public abstract record CaseOp;

/// <summary>Start work.</summary>
public sealed record StartOp : CaseOp;

/// <summary>Wait on the customer.</summary>
public sealed record WaitOp : CaseOp;

/// <summary>Resume after waiting.</summary>
public sealed record ResumeOp : CaseOp;

/// <summary>Resolve, with a CSAT score (1–5) or none (0).</summary>
public sealed record ResolveOp(int Score) : CaseOp;

/// <summary>Close.</summary>
public sealed record CloseOp : CaseOp;

/// <summary>Reopen.</summary>
public sealed record ReopenOp : CaseOp;

/// <summary>Assign to owner <paramref name="Owner"/> (0–2).</summary>
public sealed record AssignOp(int Owner) : CaseOp;

/// <summary>Record an agent response.</summary>
public sealed record RespondOp : CaseOp;

/// <summary>Attach touchpoint <paramref name="Touchpoint"/> (0–3).</summary>
public sealed record AttachOp(int Touchpoint) : CaseOp;

/// <summary>Escalate, asking for priority <paramref name="Priority"/> (0 = keep, 1–4 = Low–Urgent).</summary>
public sealed record EscalateOp(int Priority) : CaseOp;

/// <summary>Merge the case (as the duplicate) into a fresh open case of the same customer.</summary>
public sealed record MergeOp : CaseOp;

/// <summary>Let <paramref name="Days"/> days pass (no command; moves the clock past or within the reopen window).</summary>
public sealed record ElapseOp(int Days) : CaseOp;

/// <summary>A generated command sequence.</summary>
public sealed record CaseScript(IReadOnlyList<CaseOp> Ops)
{
    public override string ToString() => string.Join(" | ", Ops);
}

public static class CaseArbitraries
{
    public static readonly Gen<CaseOp> Op = Gen.Frequency(
        (5, Gen.Constant((CaseOp)new StartOp())),
        (4, Gen.Constant((CaseOp)new WaitOp())),
        (4, Gen.Constant((CaseOp)new ResumeOp())),
        (5, Gen.Choose(0, 5).Select(s => (CaseOp)new ResolveOp(s))),
        (3, Gen.Constant((CaseOp)new CloseOp())),
        (4, Gen.Constant((CaseOp)new ReopenOp())),
        (2, Gen.Choose(0, 2).Select(o => (CaseOp)new AssignOp(o))),
        (2, Gen.Constant((CaseOp)new RespondOp())),
        (2, Gen.Choose(0, 3).Select(t => (CaseOp)new AttachOp(t))),
        (6, Gen.Choose(0, 4).Select(p => (CaseOp)new EscalateOp(p))),
        (1, Gen.Constant((CaseOp)new MergeOp())),
        (2, Gen.Elements(1, 3, 8).Select(d => (CaseOp)new ElapseOp(d))));

    public static Arbitrary<CaseScript> Script()
        => Gen.Choose(1, 40).SelectMany(n => Op.ListOf(n)).Select(ops => new CaseScript([.. ops])).ToArbitrary();
}

/// <summary>
/// Runs generated command sequences against the <see cref="ServiceCase"/> aggregate and a plain reference model of the
/// case workflow written out here (not the aggregate's own rule table), and checks after every command that a command
/// the model refuses is refused with the model's error code and changes nothing, and that one the model allows is
/// accepted with the model's resulting state and exactly one event (two, one per case, for a merge).
/// </summary>
public sealed class CaseModelBasedProperties
{
    private static readonly Duration Window = Duration.FromDays(7);
    private static readonly TenantId Tenant = new("case-model");
    private static readonly CustomerId Customer = CustomerId.New();
    private static readonly TouchpointId[] TouchpointIds = [TouchpointId.New(), TouchpointId.New(), TouchpointId.New(), TouchpointId.New()];
    private static readonly string[] Owners = ["agent-a", "agent-b", "queue-billing"];

    [Property(Arbitrary = new[] { typeof(CaseArbitraries) }, MaxTest = 1_000)]
    public void Aggregate_AgreesWithTheReferenceModel(CaseScript script)
    {
        var outcomes = Run(script);
        Assert.Equal(script.Ops.Count, outcomes.Count);
    }

    /// <summary>The generator reaches every outcome, so the property above cannot pass vacuously.</summary>
    [Fact]
    public void Generator_ReachesEveryOutcome()
    {
        var seen = new HashSet<string>();
        foreach (var script in CaseArbitraries.Script().Generator.Sample(1_000, 1_000))
        {
            seen.UnionWith(Run(script));
        }

        string[] expected =
        [
            "ok", "ARG", "reopen-late", CrmErrorCodes.CaseTransitionRefused, CrmErrorCodes.CaseNotActive, CrmErrorCodes.CaseCannotReopen,
            CrmErrorCodes.CaseMergeRefused, CrmErrorCodes.CaseLimitExceeded, CrmErrorCodes.CaseTouchpointAlreadyAttached, "reopen-ok", "merge-ok",
        ];
        Assert.Empty(expected.Except(seen));
    }

    /// <summary>Runs a script, asserting agreement after each step; returns the outcome of each command (with labels for the interesting legal ones).</summary>
    private static List<string> Run(CaseScript script)
    {
        var at = Instant.FromUtc(2026, 3, 27, 9, 0); // the week of the London clock change: instants are exact, not local
        var serviceCase = ServiceCase.Open(Tenant, CaseId.New(), Customer, "Case", "billing", CasePriority.Normal, null, false, "standard", at, "agent");
        var model = new ReferenceCase(at);
        var sla = new SlaReference(at);
        var outcomes = new List<string>();
        var step = 0;
        foreach (var op in script.Ops)
        {
            step++;
            if (op is ElapseOp elapse)
            {
                at += Duration.FromDays(elapse.Days);
                model.Now = at;
                sla.Accrue(model.Status, at);
                sla.Check(serviceCase, at, step);
                outcomes.Add("ok");
                continue;
            }

            at += Duration.FromMinutes(5);
            model.Now = at;
            sla.Accrue(model.Status, at);
            var expected = model.Expect(op);
            var eventsBefore = serviceCase.PendingEvents.Count;
            var before = Describe(serviceCase);
            string actual;
            try
            {
                Apply(serviceCase, op, at);
                actual = "ok";
            }
            catch (CrmException e)
            {
                actual = e.ErrorCode;
            }
            catch (ArgumentException)
            {
                actual = "ARG";
            }

            Assert.True(expected == actual, $"step {step} ({op}): model says {expected}, aggregate did {actual}; script {script}");
            if (actual == "ok")
            {
                sla.Stopped(op, at);
                model.Apply(op);
                Assert.Equal(eventsBefore + 1, serviceCase.PendingEvents.Count);
            }
            else
            {
                Assert.Equal(eventsBefore, serviceCase.PendingEvents.Count);
                Assert.Equal(before, Describe(serviceCase));
            }

            Assert.True(model.Describe() == Describe(serviceCase), $"step {step} ({op}): model {model.Describe()}, aggregate {Describe(serviceCase)}; script {script}");
            sla.Check(serviceCase, at, step);
            outcomes.Add(Label(op, actual, model));
        }

        // The stored form holds the same case, and the history read back satisfies Rehydrate's own checks.
        var reread = CaseDocuments.Read(Tenant, serviceCase.Id, CaseCommit.Create(serviceCase).Writes[0].Document);
        Assert.Equal(Describe(serviceCase), Describe(reread));
        Assert.Equal(serviceCase.History, reread.History);
        Assert.Equal(serviceCase.Resolution, reread.Resolution);
        return outcomes;
    }

    private static string Label(CaseOp op, string actual, ReferenceCase model) => (op, actual) switch
    {
        (ReopenOp, "ok") => "reopen-ok",
        (MergeOp, "ok") => "merge-ok",
        (ReopenOp, _) when actual == CrmErrorCodes.CaseCannotReopen && model.Status == CaseStatus.Resolved => "reopen-late",
        _ => actual,
    };

    private static void Apply(ServiceCase c, CaseOp op, Instant at)
    {
        switch (op)
        {
            case StartOp:
                c.Start(at, "agent", "picked up");
                break;
            case WaitOp:
                c.WaitOnCustomer(at, "agent", "asked for details");
                break;
            case ResumeOp:
                c.Resume(at, "agent", "customer answered");
                break;
            case ResolveOp r:
                c.Resolve(at, "agent", "fixed", r.Score == 0 ? null : SatisfactionScore.Create(SatisfactionScale.Csat, r.Score));
                break;
            case CloseOp:
                c.Close(at, "agent", "done");
                break;
            case ReopenOp:
                c.Reopen(Window, at, "customer", "not fixed");
                break;
            case AssignOp a:
                c.Assign(Owners[a.Owner], at);
                break;
            case RespondOp:
                c.RecordResponse(at);
                break;
            case AttachOp t:
                c.AttachTouchpoint(TouchpointIds[t.Touchpoint], at);
                break;
            case EscalateOp e:
                c.Escalate(at, "agent", "stuck", e.Priority == 0 ? null : (CasePriority)e.Priority);
                break;
            case MergeOp:
                var survivor = ServiceCase.Open(Tenant, CaseId.New(), Customer, "Survivor", "billing", CasePriority.Normal, null, false, null, at, "agent");
                ServiceCase.Merge(c, survivor, at, "agent", "duplicate");
                Assert.Equal(c.Touchpoints, survivor.Touchpoints);
                break;
        }
    }

    /// <summary>
    /// The SLA clocks a case's history must give, counted independently on a 24×7 UTC calendar (business time is plain
    /// time): the resolution clock runs only while the case is new or in progress (waiting on the customer pauses it; the
    /// time resolved before a reopen is left out; it stops at a resolution or a merge), the first-response clock runs
    /// from the opening to the first response, resolution or merge, whichever comes first.
    /// </summary>
    private sealed class SlaReference(Instant opened)
    {
        private readonly Instant _opened = opened;
        private static readonly SlaPolicy AllDay = new("all-day", new global::CrmKernel.Calendars.BusinessCalendar(DateTimeZone.Utc, global::CrmKernel.Calendars.WorkingHours.AllDay(), []),
            Enum.GetValues<CasePriority>().ToDictionary(p => p, _ => new SlaTargets(Duration.FromDays(3650), Duration.FromDays(3650))));

        private Instant _last = opened;
        private Duration _resolution = Duration.Zero;
        private Instant? _firstStop;

        public void Accrue(CaseStatus before, Instant at)
        {
            if (before is CaseStatus.New or CaseStatus.InProgress)
            {
                _resolution += at - _last;
            }

            _last = at;
        }

        public void Stopped(CaseOp op, Instant at)
            => _firstStop ??= op is RespondOp or ResolveOp or MergeOp ? at : null;

        public void Check(ServiceCase serviceCase, Instant at, int step)
        {
            var evaluation = AllDay.Evaluate(AllDay.CreateClock(serviceCase), at);
            Assert.True(_resolution == evaluation.Resolution.Elapsed, $"step {step}: resolution clock {evaluation.Resolution.Elapsed}, expected {_resolution}");
            Assert.Equal((_firstStop ?? at) - _opened, evaluation.FirstResponse.Elapsed);
            Assert.Equal(serviceCase.Status == CaseStatus.WaitingOnCustomer ? SlaState.Paused : serviceCase.IsActive ? SlaState.Running : SlaState.Met, evaluation.Resolution.State);
        }
    }

    private static string Describe(ServiceCase c)
        => $"{c.Status} owner={c.Owner} tps=[{string.Join(",", c.Touchpoints.Select(t => Array.IndexOf(TouchpointIds, t)))}] esc={c.EscalationLevel} prio={c.Priority} "
           + $"first={c.FirstResponseAt?.ToString() ?? "-"} history={c.History.Count} reopens={c.ReopenCount} resolved={c.ResolvedAt?.ToString() ?? "-"} "
           + $"merged={c.MergedInto is not null} pauses={c.ResolutionClockPauses.Count} handling={c.HandlingIntervals.Count}";

    /// <summary>The workflow's rules as a service-desk practitioner states them, on plain values.</summary>
    private sealed class ReferenceCase(Instant opened)
    {
        private string? _owner;
        private readonly List<int> _touchpoints = [];
        private int _escalations;
        private CasePriority _priority = CasePriority.Normal;
        private Instant? _firstResponse;
        private int _history = 1;
        private int _reopens;
        private Instant? _resolvedAt;
        private bool _merged;
        private int _pauses;
        private int _handling;

        public Instant Now { get; set; } = opened;

        public CaseStatus Status { get; private set; } = CaseStatus.New;

        private bool Active => Status is CaseStatus.New or CaseStatus.InProgress or CaseStatus.WaitingOnCustomer;

        public string Expect(CaseOp op) => op switch
        {
            StartOp when Status != CaseStatus.New => CrmErrorCodes.CaseTransitionRefused,
            WaitOp when Status != CaseStatus.InProgress => CrmErrorCodes.CaseTransitionRefused,
            ResumeOp when Status != CaseStatus.WaitingOnCustomer => CrmErrorCodes.CaseTransitionRefused,
            ResolveOp when Status is not (CaseStatus.InProgress or CaseStatus.WaitingOnCustomer) => CrmErrorCodes.CaseTransitionRefused,
            CloseOp when Status != CaseStatus.Resolved => CrmErrorCodes.CaseTransitionRefused,
            ReopenOp when Status != CaseStatus.Resolved => CrmErrorCodes.CaseCannotReopen,
            ReopenOp when Now - _resolvedAt!.Value > Duration.FromDays(7) => CrmErrorCodes.CaseCannotReopen,
            AssignOp when !Active => CrmErrorCodes.CaseNotActive,
            AssignOp a when Owners[a.Owner] == _owner => "ARG",
            RespondOp when !Active => CrmErrorCodes.CaseNotActive,
            AttachOp when !Active => CrmErrorCodes.CaseNotActive,
            AttachOp t when _touchpoints.Contains(t.Touchpoint) => CrmErrorCodes.CaseTouchpointAlreadyAttached,
            EscalateOp when !Active => CrmErrorCodes.CaseNotActive,
            EscalateOp when _escalations == 5 => CrmErrorCodes.CaseLimitExceeded,
            MergeOp when Status == CaseStatus.Closed => CrmErrorCodes.CaseMergeRefused,
            _ => "ok",
        };

        public void Apply(CaseOp op)
        {
            switch (op)
            {
                case StartOp:
                case ResumeOp:
                    Move(CaseStatus.InProgress);
                    break;
                case WaitOp:
                    Move(CaseStatus.WaitingOnCustomer);
                    break;
                case ResolveOp:
                    Move(CaseStatus.Resolved);
                    _resolvedAt = Now;
                    break;
                case CloseOp:
                    Move(CaseStatus.Closed);
                    break;
                case ReopenOp:
                    Move(CaseStatus.InProgress);
                    _reopens++;
                    break;
                case AssignOp a:
                    _owner = Owners[a.Owner];
                    break;
                case RespondOp:
                    _firstResponse ??= Now;
                    break;
                case AttachOp t:
                    _touchpoints.Add(t.Touchpoint);
                    break;
                case EscalateOp e:
                    _escalations++;
                    if (e.Priority > (int)_priority)
                    {
                        _priority = (CasePriority)e.Priority;
                    }

                    break;
                case MergeOp:
                    Move(CaseStatus.Closed);
                    _merged = true;
                    break;
            }
        }

        public string Describe()
        {
            var resolved = !_merged && Status is CaseStatus.Resolved or CaseStatus.Closed ? _resolvedAt : null;
            if (Status == CaseStatus.Resolved)
            {
                resolved = _resolvedAt;
            }

            return $"{Status} owner={_owner} tps=[{string.Join(",", _touchpoints)}] esc={_escalations} prio={_priority} "
                   + $"first={_firstResponse?.ToString() ?? "-"} history={_history} reopens={_reopens} resolved={resolved?.ToString() ?? "-"} "
                   + $"merged={_merged} pauses={_pauses} handling={_handling}";
        }

        private void Move(CaseStatus to)
        {
            _history++;
            Status = to;
            if (to == CaseStatus.WaitingOnCustomer)
            {
                _pauses++;
            }

            if (to == CaseStatus.InProgress)
            {
                _handling++;
            }
        }
    }
}
