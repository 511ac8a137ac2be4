using CrmKernel.Innovation;
using CrmKernel.Primitives;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Innovation;

/// <summary>One generated command against an idea: move to a status (Merged merges into another idea), or comment.</summary>
public sealed record IdeaOp(IdeaStatus? To)
{
    public override string ToString() => To?.ToString() ?? "Comment";
}

/// <summary>A generated command sequence.</summary>
public sealed record IdeaScript(IReadOnlyList<IdeaOp> Ops)
{
    public override string ToString() => string.Join(" | ", Ops);
}

public static class IdeaArbitraries
{
    public static readonly Gen<IdeaOp> Op = Gen.Frequency(
        (8, Gen.Elements(Enum.GetValues<IdeaStatus>()).Select(s => new IdeaOp(s))),
        (1, Gen.Constant(new IdeaOp(null))));

    public static Arbitrary<IdeaScript> Script()
        => (from forward in Gen.Choose(0, 4)
            from n in Gen.Choose(1, 10)
            from ops in Op.ListOf(n)
            select new IdeaScript([.. Forward.Take(forward).Select(s => new IdeaOp(s)), .. ops])).ToArbitrary();

    // A forward prefix (Submitted → … → Shipped, cut anywhere) lets the random ops start from every status.
    private static readonly IdeaStatus[] Forward = [IdeaStatus.UnderReview, IdeaStatus.Planned, IdeaStatus.InProgress, IdeaStatus.Shipped];
}

/// <summary>
/// Runs generated command sequences against the <see cref="Idea"/> aggregate and a reference table of the workflow written
/// out here independently of <see cref="Idea.CanMove"/>: every legal change is accepted, every illegal one refused with
/// <see cref="InnovationRuleException"/> and nothing changed, and status, version and history agree after every step.
/// </summary>
public sealed class IdeaWorkflowModelProperties
{
    private static readonly TenantId Tenant = new("ideas");
    private static readonly Instant Start = Instant.FromUtc(2026, 4, 1, 9, 0);

    private static readonly HashSet<(IdeaStatus, IdeaStatus)> Legal =
    [
        (IdeaStatus.Submitted, IdeaStatus.UnderReview),
        (IdeaStatus.UnderReview, IdeaStatus.Planned),
        (IdeaStatus.Planned, IdeaStatus.InProgress),
        (IdeaStatus.InProgress, IdeaStatus.Shipped),
        (IdeaStatus.Submitted, IdeaStatus.Declined), (IdeaStatus.UnderReview, IdeaStatus.Declined), (IdeaStatus.Planned, IdeaStatus.Declined), (IdeaStatus.InProgress, IdeaStatus.Declined),
        (IdeaStatus.Submitted, IdeaStatus.Merged), (IdeaStatus.UnderReview, IdeaStatus.Merged), (IdeaStatus.Planned, IdeaStatus.Merged), (IdeaStatus.InProgress, IdeaStatus.Merged),
    ];

    [Property(Arbitrary = new[] { typeof(IdeaArbitraries) }, MaxTest = 1_000)]
    public void Aggregate_AcceptsEveryLegalChange_AndRefusesEveryIllegalOne(IdeaScript script)
    {
        var idea = Idea.Submit(Tenant, IdeaId.New(), CustomerId.New(), "An idea", null, SubjectArea.Product, Start);
        var (status, version, history, comments) = (IdeaStatus.Submitted, 1, 0, 0);
        var at = Start;
        var failures = new List<string>();
        foreach (var op in script.Ops)
        {
            at += Duration.FromHours(1);
            var legal = op.To is { } to ? Legal.Contains((status, to)) : !IsFinal(status);
            bool accepted;
            try
            {
                if (op.To is null)
                {
                    idea.Comment(null, "a comment", at);
                }
                else if (op.To == IdeaStatus.Merged)
                {
                    idea.MergeInto(IdeaId.New(), "duplicate", at);
                }
                else
                {
                    idea.MoveTo(op.To.Value, "a reason", at);
                }

                accepted = true;
            }
            catch (InnovationRuleException)
            {
                accepted = false;
            }

            if (accepted != legal)
            {
                failures.Add($"{status} → {op}: {(accepted ? "illegal change accepted" : "legal change refused")}");
            }

            if (accepted)
            {
                version++;
                if (op.To is { } moved)
                {
                    status = moved;
                    history++;
                }
                else
                {
                    comments++;
                }
            }

            if ((idea.Status, idea.Version, idea.History.Count, idea.Comments.Count) != (status, version, history, comments))
            {
                failures.Add($"after {op}: aggregate {idea.Status} v{idea.Version}, model {status} v{version}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
        Assert.Equal(idea.Status == IdeaStatus.Merged, idea.MergedInto is not null);
        Assert.Equal(idea.History.Any(c => c.To is IdeaStatus.Planned or IdeaStatus.Declined or IdeaStatus.Merged), idea.DecidedAt is not null);
    }

    [Fact]
    public void CanMove_MatchesTheReferenceTable_ForEveryPair()
    {
        foreach (var from in Enum.GetValues<IdeaStatus>())
        {
            foreach (var to in Enum.GetValues<IdeaStatus>())
            {
                Assert.True(Legal.Contains((from, to)) == Idea.CanMove(from, to), $"{from} → {to}");
            }
        }

        Assert.False(Idea.CanMove((IdeaStatus)0, IdeaStatus.Declined));
        Assert.False(Idea.CanMove(IdeaStatus.Submitted, (IdeaStatus)99));
    }

    [Fact]
    public void Generator_ReachesEveryLegalChange()
    {
        var reached = new HashSet<(IdeaStatus, IdeaStatus)>();
        foreach (var script in IdeaArbitraries.Script().Generator.Sample(size: 12, numberOfSamples: 2_000))
        {
            var status = IdeaStatus.Submitted;
            foreach (var op in script.Ops)
            {
                if (op.To is { } to && Legal.Contains((status, to)))
                {
                    reached.Add((status, to));
                    status = to;
                }
            }
        }

        Assert.Equal(Legal.Count, reached.Count);
    }

    private static bool IsFinal(IdeaStatus status) => status is IdeaStatus.Shipped or IdeaStatus.Declined or IdeaStatus.Merged;
}
