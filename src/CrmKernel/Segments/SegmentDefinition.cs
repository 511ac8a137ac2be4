using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Segments;

/// <summary>
/// One version of a segment: its id, a name people read, the rule, and when it was defined. <c>SegmentService</c>
/// defines a new version each time a segment changes (validating its names against the host's vocabulary and its
/// references against the stored segments) and keeps every earlier version, so a snapshot names the version it
/// evaluated.
/// </summary>
public sealed class SegmentDefinition
{
    /// <summary>The longest display name.</summary>
    public const int MaxDisplayNameLength = 200;

    /// <summary>The longest description.</summary>
    public const int MaxDescriptionLength = 2000;

    /// <summary>Creates a definition, checking the rule's size.</summary>
    /// <param name="id">The segment.</param>
    /// <param name="version">The version, 1 for the first.</param>
    /// <param name="displayName">A name people read; not blank, up to <see cref="MaxDisplayNameLength"/> characters.</param>
    /// <param name="rule">The rule: up to <see cref="SegmentRule.MaxClauses"/> clauses, nested up to <see cref="SegmentRule.MaxDepth"/> deep.</param>
    /// <param name="definedAt">When this version was defined.</param>
    /// <param name="description">What the segment is for, or null; up to <see cref="MaxDescriptionLength"/> characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="displayName"/> or <paramref name="rule"/> is null.</exception>
    /// <exception cref="ArgumentException">The id is the default or the display name is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is less than 1.</exception>
    /// <exception cref="InputLimitExceededException">The display name or description is too long.</exception>
    /// <exception cref="SegmentRuleException">The rule is too large or too deep (<see cref="CrmErrorCodes.SegmentRuleTooLarge"/>).</exception>
    public SegmentDefinition(SegmentId id, int version, string displayName, SegmentRule rule, Instant definedAt, string? description = null)
    {
        Id = Preconditions.NotDefault(id);
        Version = Preconditions.Positive(version, "A segment's versions start at 1.");
        Preconditions.NotBlank(displayName);
        DisplayName = Preconditions.MaxLength(displayName, MaxDisplayNameLength);
        if (description is not null)
        {
            Preconditions.MaxLength(description, MaxDescriptionLength);
        }

        Rule = Preconditions.NotNull(rule);
        var clauses = rule.CountClauses();
        if (clauses > SegmentRule.MaxClauses)
        {
            throw new SegmentRuleException(CrmErrorCodes.SegmentRuleTooLarge, $"Segment {id}'s rule has {clauses} clauses; the most is {SegmentRule.MaxClauses}.");
        }

        var depth = rule.Depth();
        if (depth > SegmentRule.MaxDepth)
        {
            throw new SegmentRuleException(CrmErrorCodes.SegmentRuleTooLarge, $"Segment {id}'s rule nests {depth} deep; the most is {SegmentRule.MaxDepth}.");
        }

        Description = description;
        DefinedAt = definedAt;
    }

    /// <summary>The segment.</summary>
    public SegmentId Id { get; }

    /// <summary>The version, 1 for the first.</summary>
    public int Version { get; }

    /// <summary>A name people read.</summary>
    public string DisplayName { get; }

    /// <summary>The rule.</summary>
    public SegmentRule Rule { get; }

    /// <summary>What the segment is for, or null.</summary>
    public string? Description { get; }

    /// <summary>When this version was defined.</summary>
    public Instant DefinedAt { get; }

    /// <summary>The id and version, e.g. <c>lapsed-vip v3</c>.</summary>
    public override string ToString() => $"{Id} v{Version}";
}
