using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Sales;

/// <summary>One generated command against a deal.</summary>
public abstract record DealOp;

/// <summary>Move to a stage (index into <see cref="SalesTestData.StageKeys"/>; the last key is not in the pipeline).</summary>
public sealed record MoveOp(int Stage) : DealOp;

/// <summary>Close won.</summary>
public sealed record WinOp : DealOp;

/// <summary>Close lost.</summary>
public sealed record LoseOp : DealOp;

/// <summary>Reopen into a stage.</summary>
public sealed record ReopenOp(int Stage) : DealOp;

/// <summary>Add a line item, priced in euros or (to be refused) in dollars.</summary>
public sealed record AddLineOp(int Quantity, int Price, bool InDollars) : DealOp;

/// <summary>Remove line <paramref name="Line"/>.</summary>
public sealed record RemoveLineOp(int Line) : DealOp;

/// <summary>Give contact <paramref name="Contact"/> (0–2) a role (0–1).</summary>
public sealed record AddRoleOp(int Contact, int Role) : DealOp;

/// <summary>Remove a contact role.</summary>
public sealed record RemoveRoleOp(int Contact, int Role) : DealOp;

/// <summary>Change the expected close date to day <paramref name="Day"/> of June 2026.</summary>
public sealed record RescheduleOp(int Day) : DealOp;

/// <summary>A generated command sequence.</summary>
public sealed record DealScript(IReadOnlyList<DealOp> Ops)
{
    public override string ToString() => string.Join(" | ", Ops);
}

public static class DealArbitraries
{
    private static readonly Gen<int> Stage = Gen.Choose(0, SalesTestData.StageKeys.Length - 1);

    public static readonly Gen<DealOp> Op = Gen.Frequency(
        (6, Stage.Select(s => (DealOp)new MoveOp(s))),
        (2, Gen.Constant((DealOp)new WinOp())),
        (2, Gen.Constant((DealOp)new LoseOp())),
        (3, Stage.Select(s => (DealOp)new ReopenOp(s))),
        (5, from q in Gen.Choose(1, 5) from p in Gen.Choose(0, 500) from usd in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true))) select (DealOp)new AddLineOp(q, p, usd)),
        (2, Gen.Choose(1, 6).Select(l => (DealOp)new RemoveLineOp(l))),
        (2, from c in Gen.Choose(0, 2) from r in Gen.Choose(0, 1) select (DealOp)new AddRoleOp(c, r)),
        (1, from c in Gen.Choose(0, 2) from r in Gen.Choose(0, 1) select (DealOp)new RemoveRoleOp(c, r)),
        (1, Gen.Choose(1, 4).Select(d => (DealOp)new RescheduleOp(d))));

    public static Arbitrary<DealScript> Script()
        => Gen.Choose(1, 40).SelectMany(n => Op.ListOf(n)).Select(ops => new DealScript([.. ops])).ToArbitrary();
}

/// <summary>
/// Runs generated command sequences against the <see cref="Opportunity"/> aggregate and a plain reference model of the
/// workflow written out here (not the aggregate's own rule table), and checks after every command that a command the
/// model refuses is refused with the model's error code and changes nothing, and that one the model allows is accepted
/// with the model's resulting state and exactly one event.
/// </summary>
public sealed class OpportunityModelBasedProperties
{
    [Property(Arbitrary = new[] { typeof(DealArbitraries) }, MaxTest = 1_000)]
    public void Aggregate_AgreesWithTheReferenceModel(DealScript script)
    {
        var outcomes = Run(script);
        Assert.Equal(script.Ops.Count, outcomes.Count);
    }

    /// <summary>The generator reaches every outcome, so the property above cannot pass vacuously.</summary>
    [Fact]
    public void Generator_ReachesEveryOutcome()
    {
        var seen = new HashSet<string>();
        foreach (var script in DealArbitraries.Script().Generator.Sample(1_000, 1_000))
        {
            seen.UnionWith(Run(script));
        }

        string[] expected =
        [
            "ok", "ARG", CrmErrorCodes.UnknownSalesStage, CrmErrorCodes.OpportunityAlreadyInStage, CrmErrorCodes.OpportunityClosed,
            CrmErrorCodes.OpportunityCannotReopen, CrmErrorCodes.OpportunityWithoutLineItems, CrmErrorCodes.CurrencyMismatch, CrmErrorCodes.OpportunityItemConflict,
        ];
        Assert.Empty(expected.Except(seen));
    }

    /// <summary>Runs a script, asserting agreement after each step; returns the outcome of each command.</summary>
    private static List<string> Run(DealScript script)
    {
        var at = SalesTestData.Start;
        var deal = Opportunity.Open(OpportunityId.New(), SalesTestData.Customer, SalesTestData.Pipeline, "Deal", "owner-1", Currency.EUR, new LocalDate(2026, 6, 1), at, "rep", null);
        var model = new ReferenceDeal();
        var outcomes = new List<string>();
        var step = 0;
        foreach (var op in script.Ops)
        {
            step++;
            at += Duration.FromMinutes(5);
            var expected = model.Expect(op);
            var eventsBefore = deal.PendingEvents.Count;
            var before = Describe(deal);
            string actual;
            try
            {
                Apply(deal, op, at);
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
                model.Apply(op);
                Assert.Equal(eventsBefore + 1, deal.PendingEvents.Count);
            }
            else
            {
                Assert.Equal(eventsBefore, deal.PendingEvents.Count);
                Assert.Equal(before, Describe(deal));
            }

            Assert.True(model.Describe() == Describe(deal), $"step {step} ({op}): model {model.Describe()}, aggregate {Describe(deal)}; script {script}");
            outcomes.Add(actual);
        }

        // The stored form holds the same deal: every history entry, line and role comes back.
        var reread = SalesDocuments.ReadOpportunity(deal.TenantId, deal.Id, OpportunityCommit.Create(deal).Document);
        Assert.Equal(Describe(deal), Describe(reread));
        Assert.Equal(deal.History, reread.History);
        Assert.Equal(deal.LineItems, reread.LineItems);
        return outcomes;
    }

    private static void Apply(Opportunity deal, DealOp op, Instant at)
    {
        switch (op)
        {
            case MoveOp m:
                deal.MoveToStage(SalesTestData.Pipeline, SalesTestData.StageKeys[m.Stage], at, "rep", "moved");
                break;
            case WinOp:
                deal.CloseWon(at, "rep", "signed");
                break;
            case LoseOp:
                deal.CloseLost(at, "rep", "went with a competitor");
                break;
            case ReopenOp r:
                deal.Reopen(SalesTestData.Pipeline, SalesTestData.StageKeys[r.Stage], at, "rep", "back in play");
                break;
            case AddLineOp a:
                deal.AddLineItem("sku-" + a.Price, a.Quantity, new Money(a.Price, a.InDollars ? Currency.USD : Currency.EUR), 0.1m, at);
                break;
            case RemoveLineOp r:
                deal.RemoveLineItem(r.Line, at);
                break;
            case AddRoleOp a:
                deal.AddContactRole(new OpportunityContactRole(SalesTestData.Contacts[a.Contact], SalesTestData.Roles[a.Role]), at);
                break;
            case RemoveRoleOp r:
                deal.RemoveContactRole(new OpportunityContactRole(SalesTestData.Contacts[r.Contact], SalesTestData.Roles[r.Role]), at);
                break;
            case RescheduleOp s:
                deal.Reschedule(new LocalDate(2026, 6, s.Day), at);
                break;
        }
    }

    private static string Describe(Opportunity d)
        => $"{d.Status} {d.StageKey} p={d.Probability} f={d.ForecastCategory} amount={d.Amount.Amount:0.######} {d.Amount.Currency.Code} lines=[{string.Join(",", d.LineItems.Select(l => l.LineNumber))}] "
           + $"roles=[{string.Join(",", d.ContactRoles.Select(r => Array.IndexOf(SalesTestData.Contacts, r.ContactId) + "/" + r.Role).Order(StringComparer.Ordinal))}] close={d.ExpectedCloseDate:yyyy-MM-dd} history={d.History.Count}";

    /// <summary>The workflow's rules as a CRM practitioner states them, on plain values.</summary>
    private sealed class ReferenceDeal
    {
        private string _status = "Open";
        private int _stage;
        private readonly List<(int Number, decimal Total)> _lines = [];
        private readonly SortedSet<string> _roles = new(StringComparer.Ordinal);
        private int _day = 1;
        private int _history = 1;

        private bool Open => _status == "Open";

        public string Expect(DealOp op) => op switch
        {
            MoveOp m when !Open => CrmErrorCodes.OpportunityClosed,
            MoveOp m when m.Stage >= SalesTestData.Pipeline.Stages.Count => CrmErrorCodes.UnknownSalesStage,
            MoveOp m when m.Stage == _stage => CrmErrorCodes.OpportunityAlreadyInStage,
            WinOp when !Open => CrmErrorCodes.OpportunityClosed,
            WinOp when _lines.Count == 0 => CrmErrorCodes.OpportunityWithoutLineItems,
            LoseOp when !Open => CrmErrorCodes.OpportunityClosed,
            ReopenOp when _status != "Lost" => CrmErrorCodes.OpportunityCannotReopen,
            ReopenOp r when r.Stage >= SalesTestData.Pipeline.Stages.Count => CrmErrorCodes.UnknownSalesStage,
            AddLineOp when !Open => CrmErrorCodes.OpportunityClosed,
            AddLineOp a when a.InDollars => CrmErrorCodes.CurrencyMismatch,
            RemoveLineOp when !Open => CrmErrorCodes.OpportunityClosed,
            RemoveLineOp r when !_lines.Exists(l => l.Number == r.Line) => CrmErrorCodes.OpportunityItemConflict,
            AddRoleOp when !Open => CrmErrorCodes.OpportunityClosed,
            AddRoleOp a when _roles.Contains(a.Contact + "/" + SalesTestData.Roles[a.Role]) => CrmErrorCodes.OpportunityItemConflict,
            RemoveRoleOp when !Open => CrmErrorCodes.OpportunityClosed,
            RemoveRoleOp r when !_roles.Contains(r.Contact + "/" + SalesTestData.Roles[r.Role]) => CrmErrorCodes.OpportunityItemConflict,
            RescheduleOp when !Open => CrmErrorCodes.OpportunityClosed,
            RescheduleOp s when s.Day == _day => "ARG",
            _ => "ok",
        };

        public void Apply(DealOp op)
        {
            switch (op)
            {
                case MoveOp m:
                    _stage = m.Stage;
                    _history++;
                    break;
                case WinOp:
                    _status = "Won";
                    _history++;
                    break;
                case LoseOp:
                    _status = "Lost";
                    _history++;
                    break;
                case ReopenOp r:
                    _status = "Open";
                    _stage = r.Stage;
                    _history++;
                    break;
                case AddLineOp a:
                    _lines.Add(((_lines.Count == 0 ? 0 : _lines.Max(l => l.Number)) + 1, a.Price * a.Quantity * 0.9m));
                    break;
                case RemoveLineOp r:
                    _lines.RemoveAll(l => l.Number == r.Line);
                    break;
                case AddRoleOp a:
                    _roles.Add(a.Contact + "/" + SalesTestData.Roles[a.Role]);
                    break;
                case RemoveRoleOp r:
                    _roles.Remove(r.Contact + "/" + SalesTestData.Roles[r.Role]);
                    break;
                case RescheduleOp s:
                    _day = s.Day;
                    break;
            }
        }

        public string Describe()
        {
            var (probability, category) = _status switch
            {
                "Won" => (1m, ForecastCategory.Closed),
                "Lost" => (0m, ForecastCategory.Omitted),
                _ => (SalesTestData.Probabilities[_stage], SalesTestData.Categories[_stage]),
            };
            return $"{_status} {SalesTestData.StageKeys[_stage]} p={probability} f={category} amount={_lines.Sum(l => l.Total):0.######} EUR lines=[{string.Join(",", _lines.Select(l => l.Number))}] "
                   + $"roles=[{string.Join(",", _roles)}] close=2026-06-{_day:00} history={_history}";
        }
    }
}
