using CrmKernel.Touchpoints;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// What one call to <see cref="TouchpointIngestion"/> did, by position in the input (a single record is position 0):
/// read it to learn what was stored, what was skipped as a re-delivery, what was refused, and which lifecycle
/// transitions the stored touchpoints caused.
/// </summary>
public sealed class IngestionResult
{
    internal IngestionResult(
        int recorded,
        Touchpoint? touchpoint,
        IReadOnlyList<int> alreadyPresent,
        IReadOnlyList<SourceKeyConflict> conflicts,
        IReadOnlyList<TouchpointRejection> invalid,
        IReadOnlyList<TriggeredTransition> transitions,
        IReadOnlyList<RedirectedTouchpoint>? redirected = null)
    {
        Redirected = redirected ?? [];
        Recorded = recorded;
        Touchpoint = touchpoint;
        AlreadyPresent = alreadyPresent;
        Conflicts = conflicts;
        Invalid = invalid;
        Transitions = transitions;
    }

    /// <summary>How many touchpoints this call stored.</summary>
    public int Recorded { get; }

    /// <summary>
    /// For <see cref="TouchpointIngestion.RecordAsync(CrmKernel.Primitives.TenantId, CrmKernel.Touchpoints.NewTouchpoint, CancellationToken)"/>: the stored touchpoint, or the one recorded earlier under the
    /// same source key when this was a re-delivery. Null for <see cref="TouchpointIngestion.RecordManyAsync"/>.
    /// </summary>
    public Touchpoint? Touchpoint { get; }

    /// <summary>Positions of contacts already recorded under the same source key with the same content: skipped, nothing applied twice.</summary>
    public IReadOnlyList<int> AlreadyPresent { get; }

    /// <summary>
    /// Contacts whose source key already holds a different contact (<c>CRM-TOUCHPOINT-001</c>), in input order; not
    /// stored. Always empty for a single record, which throws <see cref="TouchpointConflictException"/> instead.
    /// </summary>
    public IReadOnlyList<SourceKeyConflict> Conflicts { get; }

    /// <summary>Contacts that broke a rule, with their position and the rule, in input order; not stored.</summary>
    public IReadOnlyList<TouchpointRejection> Invalid { get; }

    /// <summary>
    /// The lifecycle transitions the stored touchpoints caused, with their customer and the touchpoint's position:
    /// customer by customer, in the order applied (occurred-at order). Empty when no lifecycle is applied.
    /// </summary>
    public IReadOnlyList<TriggeredTransition> Transitions { get; }

    /// <summary>
    /// The stored touchpoints that were addressed to a merged-away customer and stored with its survivor instead (whose
    /// lifecycle they moved), in input order. Empty when none was, or when the store cannot merge customers.
    /// </summary>
    public IReadOnlyList<RedirectedTouchpoint> Redirected { get; }

    /// <summary>True when the call was a re-delivery of one touchpoint already recorded: <see cref="Touchpoint"/> is the earlier one.</summary>
    public bool AlreadyRecorded => Recorded == 0 && AlreadyPresent.Count == 1 && Touchpoint is not null;
}
