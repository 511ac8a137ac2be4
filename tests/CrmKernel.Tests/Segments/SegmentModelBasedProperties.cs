using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.Segments;

/// <summary>Define segment <paramref name="Segment"/> (0–2) expecting <paramref name="Expected"/> (0–3), referring to segment <paramref name="RefersTo"/> (−1: none) or naming an undeclared attribute.</summary>
public sealed record DefineOp(int Segment, int Expected, int RefersTo, bool UnknownAttribute);

/// <summary>A generated sequence of definitions.</summary>
public sealed record DefineScript(IReadOnlyList<DefineOp> Ops)
{
    public override string ToString() => string.Join(" | ", Ops);
}

public static class DefineArbitraries
{
    public static Arbitrary<DefineScript> Script()
    {
        var op = from segment in Gen.Choose(0, 2)
                 from expected in Gen.Choose(0, 3)
                 from refersTo in Gen.Choose(-1, 2)
                 from unknown in Gen.Frequency((1, Gen.Constant(true)), (8, Gen.Constant(false)))
                 select new DefineOp(segment, expected, refersTo, unknown);
        return Gen.Choose(1, 25).SelectMany(n => op.ListOf(n)).Select(ops => new DefineScript([.. ops])).ToArbitrary();
    }
}

/// <summary>
/// Runs generated definitions against <see cref="Services.Segments.SegmentService"/> and a reference model written out
/// here (versions per segment, the latest reference of each), checking after every step that a refused definition is
/// refused with the model's code and stores nothing, and an accepted one is stored as the model's next version with every
/// earlier version still readable.
/// </summary>
public sealed class SegmentModelBasedProperties
{
    private static readonly TenantId Tenant = new("seg-model");
    private static readonly SegmentId[] Ids = [new("s0"), new("s1"), new("s2")];

    [Property(Arbitrary = new[] { typeof(DefineArbitraries) }, MaxTest = 200)]
    public void Service_AgreesWithTheReferenceModel(DefineScript script) => _ = Run(script);

    /// <summary>The generator reaches every outcome, so the property cannot pass vacuously.</summary>
    [Fact]
    public void Generator_ReachesEveryOutcome()
    {
        var seen = new HashSet<string>();
        foreach (var script in DefineArbitraries.Script().Generator.Sample(30, 300))
        {
            seen.UnionWith(Run(script));
        }

        Assert.Empty(new[] { "ok", "conflict", CrmErrorCodes.SegmentCycle, CrmErrorCodes.SegmentUnknownReference, CrmErrorCodes.SegmentUnknownAttribute }.Except(seen));
    }

    private static List<string> Run(DefineScript script)
    {
        var store = new global::CrmKernel.Storage.InMemory.InMemorySegmentStore();
        var vocabulary = new SegmentVocabulary([KeyValuePair.Create("tier", CustomAttributeType.Number)]);
        var service = new Services.Segments.SegmentService(store, new SnapshotCustomerStore([]), new global::CrmKernel.Storage.InMemory.InMemoryTouchpointStore(), new NodaTime.Testing.FakeClock(SegmentFixture.Base), new Services.Segments.SegmentServiceOptions { Vocabulary = vocabulary });
        var versions = new int[3];
        var refs = new[] { -1, -1, -1 };
        var rules = new List<SegmentRule>[] { [], [], [] };
        var outcomes = new List<string>();
        foreach (var op in script.Ops)
        {
            SegmentRule rule = op.UnknownAttribute ? AttributeRule.Exists("nope")
                : op.RefersTo >= 0 ? SegmentRule.And(new HasTagRule(new CustomerTag($"t{rules[op.Segment].Count}")), new InSegmentRule(Ids[op.RefersTo]))
                : new HasTagRule(new CustomerTag($"t{rules[op.Segment].Count}"));
            var expected = Expect(op, versions, refs);
            string actual;
            try
            {
                var definition = service.DefineAsync(Tenant, Ids[op.Segment], "S", rule, op.Expected).AsTask().GetAwaiter().GetResult();
                Assert.Equal(versions[op.Segment] + 1, definition.Version);
                actual = "ok";
            }
            catch (SegmentRuleException e)
            {
                actual = e.ErrorCode;
            }
            catch (ConcurrencyConflictException)
            {
                actual = "conflict";
            }

            Assert.Equal(expected, actual);
            if (actual == "ok")
            {
                versions[op.Segment]++;
                refs[op.Segment] = op.RefersTo;
                rules[op.Segment].Add(rule);
            }

            for (var s = 0; s < 3; s++)
            {
                Assert.Equal(versions[s] == 0 ? null : versions[s], store.FindAsync(Tenant, Ids[s], null, default).AsTask().GetAwaiter().GetResult()?.Version);
                for (var v = 1; v <= versions[s]; v++)
                {
                    Assert.Equal(rules[s][v - 1], store.FindAsync(Tenant, Ids[s], v, default).AsTask().GetAwaiter().GetResult()!.Rule);
                }
            }

            outcomes.Add(actual);
        }

        return outcomes;
    }

    /// <summary>The model: vocabulary first, then references (unknown, cycle through the latest references), then the version.</summary>
    private static string Expect(DefineOp op, int[] versions, int[] refs)
    {
        if (op.UnknownAttribute)
        {
            return CrmErrorCodes.SegmentUnknownAttribute;
        }

        if (op.RefersTo >= 0)
        {
            if (op.RefersTo == op.Segment)
            {
                return CrmErrorCodes.SegmentCycle;
            }

            if (versions[op.RefersTo] == 0)
            {
                return CrmErrorCodes.SegmentUnknownReference;
            }

            for (var next = refs[op.RefersTo]; next >= 0; next = refs[next])
            {
                if (next == op.Segment)
                {
                    return CrmErrorCodes.SegmentCycle;
                }
            }
        }

        return op.Expected == versions[op.Segment] ? "ok" : "conflict";
    }
}
