using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// One recorded stage change in a customer's lifecycle history: from, to, when, which rule, what triggered it
/// (a touchpoint, the passing of time, or a command), why, and who. Read them from
/// <see cref="CustomerLifecycle.History"/>; storage adapters rebuild them with <see cref="Create"/>.
/// </summary>
public sealed class LifecycleTransitionRecord : IEquatable<LifecycleTransitionRecord>
{
    /// <summary>The actor recorded for transitions the kernel applies by itself (touchpoints and inactivity).</summary>
    public const string SystemActor = "system";

    /// <summary>The longest reason or actor accepted.</summary>
    public const int MaxTextLength = 256;

    private LifecycleTransitionRecord(LifecycleStage from, LifecycleStage to, Instant at, string rule, LifecycleTriggerKind cause, TouchpointId? touchpointId, string? command, string reason, string actor)
    {
        From = from;
        To = to;
        At = at;
        Rule = rule;
        Cause = cause;
        TouchpointId = touchpointId;
        Command = command;
        Reason = reason;
        Actor = actor;
    }

    /// <summary>The stage left.</summary>
    public LifecycleStage From { get; }

    /// <summary>The stage entered.</summary>
    public LifecycleStage To { get; }

    /// <summary>When the customer entered <see cref="To"/>.</summary>
    public Instant At { get; }

    /// <summary>The name of the model rule that allowed the transition.</summary>
    public string Rule { get; }

    /// <summary>What triggered it.</summary>
    public LifecycleTriggerKind Cause { get; }

    /// <summary>The triggering touchpoint, when <see cref="Cause"/> is <see cref="LifecycleTriggerKind.Touchpoint"/>; otherwise null.</summary>
    public TouchpointId? TouchpointId { get; }

    /// <summary>The command applied, when <see cref="Cause"/> is <see cref="LifecycleTriggerKind.Command"/>; otherwise null.</summary>
    public string? Command { get; }

    /// <summary>Why, in words (the rule's reason, or the reason given with a command).</summary>
    public string Reason { get; }

    /// <summary>Who: <see cref="SystemActor"/> for automatic transitions, the caller's actor for commands.</summary>
    public string Actor { get; }

    /// <summary>Creates a record (e.g. when reading one back from storage), checking that its trigger fields agree with its cause.</summary>
    /// <param name="from">The stage left.</param>
    /// <param name="to">The stage entered; different from <paramref name="from"/>.</param>
    /// <param name="at">When.</param>
    /// <param name="rule">The rule's name.</param>
    /// <param name="cause">The trigger kind.</param>
    /// <param name="touchpointId">The touchpoint: required for a touchpoint cause, null otherwise.</param>
    /// <param name="command">The command: required for a command cause, null otherwise; at most <see cref="LifecycleTrigger.MaxCommandLength"/> characters.</param>
    /// <param name="reason">Why; 1–256 characters.</param>
    /// <param name="actor">Who; 1–256 characters.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/>, <paramref name="reason"/> or <paramref name="actor"/> is null.</exception>
    /// <exception cref="ArgumentException">A field is empty, too long, or does not agree with <paramref name="cause"/>.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException">The rule, command, reason or actor is longer than its limit (<c>CRM-INPUT-001</c>).</exception>
    public static LifecycleTransitionRecord Create(LifecycleStage from, LifecycleStage to, Instant at, string rule, LifecycleTriggerKind cause, TouchpointId? touchpointId, string? command, string reason, string actor)
    {
        Preconditions.NotNull(rule);
        Preconditions.NotNull(reason);
        Preconditions.NotNull(actor);
        Preconditions.NotDefault(from);
        Preconditions.NotDefault(to);
        Preconditions.Check(from != to, "A transition changes the stage.", nameof(to));
        Preconditions.Defined(cause);
        Preconditions.MaxLength(rule, LifecycleRule.MaxNameLength);
        Preconditions.Check(LifecycleRule.IsValidName(rule), "A rule name is a slug of 1 to 64 characters.", nameof(rule));
        Preconditions.Check((cause == LifecycleTriggerKind.Touchpoint) == (touchpointId is { } id && id != default), "A touchpoint id is given exactly for a touchpoint cause.", nameof(touchpointId));
        if (command is not null)
        {
            Preconditions.MaxLength(command, LifecycleTrigger.MaxCommandLength);
        }

        Preconditions.Check((cause == LifecycleTriggerKind.Command) == (command is not null), "A command is given exactly for a command cause.", nameof(command));
        return new(from, to, at, rule, cause, touchpointId, command, CheckText(reason, nameof(reason)), CheckText(actor, nameof(actor)));
    }

    /// <inheritdoc />
    public bool Equals(LifecycleTransitionRecord? other)
        => other is not null && From == other.From && To == other.To && At == other.At && Rule == other.Rule && Cause == other.Cause
           && TouchpointId == other.TouchpointId && Command == other.Command && Reason == other.Reason && Actor == other.Actor;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LifecycleTransitionRecord);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(From, To, At, Rule, Cause, TouchpointId);

    /// <summary>A one-line description, e.g. <c>2026-01-05T10:00:00Z prospect -> first-time-customer (first-purchase, touchpoint …)</c>.</summary>
    public override string ToString()
    {
        var trigger = Cause switch
        {
            LifecycleTriggerKind.Touchpoint => $"touchpoint {TouchpointId}",
            LifecycleTriggerKind.Command => $"command {Command} by {Actor}",
            _ => "inactivity",
        };
        return $"{At} {From} -> {To} ({Rule}, {trigger})";
    }

    internal static string CheckText(string text, string parameterName)
    {
        Preconditions.MaxLength(text, MaxTextLength, parameterName);
        Preconditions.Check(text.Length is > 0 and <= MaxTextLength && !string.IsNullOrWhiteSpace(text) && !Preconditions.HasControlCharacter(text), $"The text is 1 to {MaxTextLength} characters with no control characters.", parameterName);
        return text;
    }
}
