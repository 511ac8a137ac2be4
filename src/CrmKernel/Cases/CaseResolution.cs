using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// How a case was last resolved: when, the agent's note, and the customer's satisfaction score when one was given.
/// A score whose polarity is negative marks the customer dissatisfied; a positive one after a complaint drives the
/// customer's recovery (see <c>CaseService</c>).
/// </summary>
public sealed class CaseResolution : IEquatable<CaseResolution>
{
    /// <summary>The longest resolution note.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>Creates a resolution (the case does; storage adapters rebuild stored ones).</summary>
    /// <param name="at">When it was resolved.</param>
    /// <param name="note">What was done; null for none.</param>
    /// <param name="satisfaction">The customer's score; null when none was given.</param>
    /// <exception cref="ArgumentException">A blank or too long note.</exception>
    public CaseResolution(Instant at, string? note, SatisfactionScore? satisfaction)
    {
        At = at;
        Note = note is null ? null : Preconditions.MaxLength(Preconditions.NotBlank(note).Trim(), MaxNoteLength, nameof(note));
        Satisfaction = satisfaction;
    }

    /// <summary>When it was resolved.</summary>
    public Instant At { get; }

    /// <summary>What was done; null for none.</summary>
    public string? Note { get; }

    /// <summary>The customer's satisfaction score; null when none was given.</summary>
    public SatisfactionScore? Satisfaction { get; }

    /// <inheritdoc />
    public bool Equals(CaseResolution? other) => other is not null && At == other.At && Note == other.Note && Equals(Satisfaction, other.Satisfaction);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CaseResolution);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(At, Note, Satisfaction);
}
