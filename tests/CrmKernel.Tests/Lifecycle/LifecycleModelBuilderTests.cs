using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Lifecycle;

public sealed class LifecycleModelBuilderTests
{
    private static readonly LifecycleStage A = new("a");
    private static readonly LifecycleStage B = new("b");
    private static readonly LifecycleStage C = new("c");
    private static readonly LifecycleTrigger Purchase = LifecycleTrigger.OnTouchpoint(TouchpointKind.Purchase);

    [Fact]
    public void Build_ASmallModel_ExposesItsDeclarations()
    {
        var model = new LifecycleModelBuilder(A).AddStage(B).AddRule("buy", [A], B, Purchase, reason: "bought").Build();
        Assert.Equal(A, model.InitialStage);
        Assert.Equal([A, B], model.Stages);
        var rule = Assert.Single(model.Rules);
        Assert.Equal(("buy", B, "bought", false), (rule.Name, rule.To, rule.Reason, rule.HasGuard));
        Assert.True(model.Declares(B));
        Assert.False(model.Declares(C));
        Assert.False(model.Declares(default));
    }

    [Fact]
    public void Build_RuleToAnUndeclaredStage_NamesIt()
    {
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddRule("buy", [A], C, Purchase).Build());
        Assert.Equal(CrmErrorCodes.LifecycleUndeclaredStage, e.ErrorCode);
        Assert.Equal([C], e.Stages);
        Assert.Contains("'buy'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RuleFromAnUndeclaredStage_NamesIt()
    {
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B).AddRule("x", [A], B, Purchase).AddRule("y", [C], B, LifecycleTrigger.OnTouchpoint(TouchpointKind.Referral)).Build());
        Assert.Equal(CrmErrorCodes.LifecycleUndeclaredStage, e.ErrorCode);
        Assert.Equal([C], e.Stages);
    }

    [Fact]
    public void Build_UnreachableStage_NamesIt()
    {
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B).AddStage(C).AddRule("buy", [A], B, Purchase).Build());
        Assert.Equal(CrmErrorCodes.LifecycleUnreachableStage, e.ErrorCode);
        Assert.Equal([C], e.Stages);
        Assert.Contains("c", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_StageReachableOnlyFromAnUnreachableStage_IsUnreachable()
    {
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B).AddStage(C).AddRule("b-to-c", [B], C, Purchase).Build());
        Assert.Equal(CrmErrorCodes.LifecycleUnreachableStage, e.ErrorCode);
        Assert.Equal([B, C], e.Stages);
    }

    [Fact]
    public void Build_TwoRulesOnTheSameTouchpointKindFromTheSameStage_AreAmbiguous()
    {
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B).AddStage(C)
            .AddRule("to-b", [A], B, Purchase, c => c.Facts.PurchaseCount == 1)
            .AddRule("to-c", [A, B], C, Purchase, c => c.Facts.PurchaseCount > 1)
            .Build());
        Assert.Equal(CrmErrorCodes.LifecycleAmbiguousTrigger, e.ErrorCode);
        Assert.Equal([A], e.Stages);
        Assert.Contains("'to-b'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'to-c'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_APolarityAndAnyPolarityOnTheSameKind_AreAmbiguous_ButOppositePolaritiesAreNot()
    {
        var feedback = TouchpointKind.Feedback;
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B).AddStage(C)
            .AddRule("any", [A], B, LifecycleTrigger.OnTouchpoint(feedback))
            .AddRule("positive", [A], C, LifecycleTrigger.OnTouchpoint(feedback, SatisfactionPolarity.Positive))
            .Build());
        Assert.Equal(CrmErrorCodes.LifecycleAmbiguousTrigger, e.ErrorCode);

        var model = new LifecycleModelBuilder(A).AddStage(B).AddStage(C)
            .AddRule("negative", [A], B, LifecycleTrigger.OnTouchpoint(feedback, SatisfactionPolarity.Negative))
            .AddRule("positive", [A], C, LifecycleTrigger.OnTouchpoint(feedback, SatisfactionPolarity.Positive))
            .Build();
        Assert.Equal(2, model.Rules.Count);
    }

    [Fact]
    public void Build_TwoInactivityRulesFromTheSameStage_AreAmbiguous_EvenWithDifferentDurations()
    {
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B).AddStage(C)
            .AddRule("short", [A], B, LifecycleTrigger.AfterInactivity(Duration.FromDays(30)))
            .AddRule("long", [A], C, LifecycleTrigger.AfterInactivity(Duration.FromDays(90)))
            .Build());
        Assert.Equal(CrmErrorCodes.LifecycleAmbiguousTrigger, e.ErrorCode);
        Assert.Equal([A], e.Stages);
    }

    [Fact]
    public void Build_TwoRulesForTheSameCommandFromTheSameStage_AreAmbiguous()
    {
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B).AddStage(C)
            .AddRule("one", [A], B, LifecycleTrigger.OnCommand("go"))
            .AddRule("two", [A], C, LifecycleTrigger.OnCommand("go"))
            .Build());
        Assert.Equal(CrmErrorCodes.LifecycleAmbiguousTrigger, e.ErrorCode);
    }

    [Fact]
    public void Build_SameTriggerFromDifferentStages_IsFine()
    {
        var model = new LifecycleModelBuilder(A).AddStage(B).AddStage(C)
            .AddRule("a-b", [A], B, Purchase)
            .AddRule("b-c", [B], C, Purchase)
            .Build();
        Assert.Equal(3, model.Stages.Count);
    }

    [Fact]
    public void Build_InactivityCycle_NamesTheStages()
    {
        var e = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B)
            .AddRule("a-b", [A], B, LifecycleTrigger.AfterInactivity(Duration.FromDays(1)))
            .AddRule("b-a", [B], A, LifecycleTrigger.AfterInactivity(Duration.FromDays(2)))
            .Build());
        Assert.Equal(CrmErrorCodes.LifecycleInactivityCycle, e.ErrorCode);
        Assert.Equal([A, B], e.Stages);
    }

    [Fact]
    public void Build_DuplicateStageOrRuleName_IsRefused()
    {
        var stage = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(A).Build());
        Assert.Equal(CrmErrorCodes.LifecycleDuplicateDeclaration, stage.ErrorCode);
        Assert.Equal([A], stage.Stages);

        var rule = Assert.Throws<LifecycleModelException>(() => new LifecycleModelBuilder(A).AddStage(B).AddStage(C)
            .AddRule("same", [A], B, Purchase).AddRule("same", [B], C, Purchase).Build());
        Assert.Equal(CrmErrorCodes.LifecycleDuplicateDeclaration, rule.ErrorCode);
    }

    [Fact]
    public void AddRule_BadArguments_AreRefused()
    {
        var builder = new LifecycleModelBuilder(A).AddStage(B);
        Assert.Throws<ArgumentException>("name", () => builder.AddRule("Not A Slug", [A], B, Purchase));
        Assert.Throws<ArgumentException>("name", () => builder.AddRule("", [A], B, Purchase));
        Assert.Throws<ArgumentException>("from", () => builder.AddRule("x", [], B, Purchase));
        Assert.Throws<ArgumentException>("from", () => builder.AddRule("x", [B], B, Purchase));
        Assert.Throws<ArgumentException>("from", () => builder.AddRule("x", [default], B, Purchase));
        Assert.Throws<ArgumentException>("to", () => builder.AddRule("x", [A], default, Purchase));
        Assert.Throws<ArgumentException>("reason", () => builder.AddRule("x", [A], B, Purchase, reason: " "));
        Assert.Throws<ArgumentException>("initialStage", () => new LifecycleModelBuilder(default));
        Assert.Throws<ArgumentException>("stage", () => builder.AddStage(default));
    }

    [Fact]
    public void Triggers_ValidateTheirArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>("duration", () => LifecycleTrigger.AfterInactivity(Duration.Zero));
        Assert.Throws<ArgumentException>("kind", () => LifecycleTrigger.OnTouchpoint(default));
        Assert.Throws<System.ComponentModel.InvalidEnumArgumentException>("polarity", () => LifecycleTrigger.OnTouchpoint(TouchpointKind.Feedback, (SatisfactionPolarity)7));
        Assert.Throws<ArgumentException>("command", () => LifecycleTrigger.OnCommand("  "));
        Assert.Equal("command:mark-former", LifecycleTrigger.OnCommand(" Mark-Former ").ToString());
        Assert.Equal("touchpoint:feedback/Positive", LifecycleTrigger.OnTouchpoint(TouchpointKind.Feedback, SatisfactionPolarity.Positive).ToString());
        Assert.Equal(LifecycleTrigger.AfterInactivity(Duration.FromDays(2)), LifecycleTrigger.AfterInactivity(Duration.FromHours(48)));
    }

    [Fact]
    public void Stage_NormalisesAndValidatesItsText()
    {
        Assert.Equal(new LifecycleStage("loyal-advocate"), new LifecycleStage("  Loyal Advocate "));
        Assert.Throws<ArgumentException>("value", () => new LifecycleStage("!"));
        Assert.Throws<InputLimitExceededException>("value", () => new LifecycleStage(new string('a', LifecycleStage.MaxLength + 1)));
        Assert.Equal(string.Empty, default(LifecycleStage).ToString());
    }

    [Fact]
    public void TransitionRecord_CreateChecksTheTriggerFieldsAgreeWithTheCause()
    {
        var at = Instant.FromUtc(2026, 1, 1, 0, 0);
        var id = CrmKernel.Primitives.TouchpointId.New();
        Assert.Throws<ArgumentException>("to", () => LifecycleTransitionRecord.Create(A, A, at, "r", LifecycleTriggerKind.Inactivity, null, null, "why", "who"));
        Assert.Throws<ArgumentException>("touchpointId", () => LifecycleTransitionRecord.Create(A, B, at, "r", LifecycleTriggerKind.Touchpoint, null, null, "why", "who"));
        Assert.Throws<ArgumentException>("touchpointId", () => LifecycleTransitionRecord.Create(A, B, at, "r", LifecycleTriggerKind.Inactivity, id, null, "why", "who"));
        Assert.Throws<ArgumentException>("command", () => LifecycleTransitionRecord.Create(A, B, at, "r", LifecycleTriggerKind.Command, null, null, "why", "who"));
        Assert.Throws<ArgumentException>("command", () => LifecycleTransitionRecord.Create(A, B, at, "r", LifecycleTriggerKind.Touchpoint, id, "go", "why", "who"));
        Assert.Throws<ArgumentException>("rule", () => LifecycleTransitionRecord.Create(A, B, at, "Bad Rule", LifecycleTriggerKind.Inactivity, null, null, "why", "who"));
        Assert.Throws<ArgumentException>("actor", () => LifecycleTransitionRecord.Create(A, B, at, "r", LifecycleTriggerKind.Inactivity, null, null, "why", ""));
        var record = LifecycleTransitionRecord.Create(A, B, at, "r", LifecycleTriggerKind.Command, null, "go", "why", "who");
        Assert.Equal(record, LifecycleTransitionRecord.Create(A, B, at, "r", LifecycleTriggerKind.Command, null, "go", "why", "who"));
    }

    [Fact]
    public void Facts_CreateChecksConsistency()
    {
        var t1 = Instant.FromUtc(2026, 1, 1, 0, 0);
        var t2 = t1 + Duration.FromDays(1);
        var facts = LifecycleFacts.Create(2, t1, t2, [t1, t2], 1, t1, null);
        Assert.Equal(2, facts.PurchasesWithin(Duration.FromDays(2), t2));
        Assert.Equal(1, facts.PurchasesWithin(Duration.FromDays(1), t2));
        Assert.Throws<ArgumentException>("purchaseCount", () => LifecycleFacts.Create(-1, null, null, [], 0, null, null));
        Assert.Throws<ArgumentException>("openComplaints", () => LifecycleFacts.Create(0, null, null, [], -1, null, null));
        Assert.Throws<ArgumentException>("firstPurchaseAt", () => LifecycleFacts.Create(1, null, t1, [t1], 0, null, null));
        Assert.Throws<ArgumentException>("lastPurchaseAt", () => LifecycleFacts.Create(2, t2, t1, [t1], 0, null, null));
        Assert.Throws<ArgumentException>("recentPurchases", () => LifecycleFacts.Create(1, t1, t1, [t1, t1], 0, null, null));
        Assert.Throws<ArgumentException>("recentPurchases", () => LifecycleFacts.Create(2, t1, t2, [t2, t1], 0, null, null));
        Assert.Throws<ArgumentException>("recentPurchases", () => LifecycleFacts.Create(2, t1, t2, [t1], 0, null, null));
        Assert.Throws<ArgumentOutOfRangeException>("window", () => facts.PurchasesWithin(Duration.FromDays(-1), t2));
    }
}
