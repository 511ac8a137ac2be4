using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Storage;

/// <summary>
/// The facts of one stored customer that a whole-tenant scan reads (metric evaluation): id, creation instant, whether
/// the record has a contact point, a home time zone and an external identifier (data completeness), and the lifecycle
/// history as the stages entered and when. What <see cref="ICustomerScanStore.PageRowsAsync"/> returns; a store builds one
/// per customer from its own columns, or with <see cref="From"/> from a <see cref="CustomerSnapshot"/>.
/// </summary>
/// <remarks>
/// It leaves out what scans do not read (profile, contact point and identifier values, tags, attributes, consent,
/// lifecycle facts, the transitions' rules, triggers, reasons and actors), so a store can serve it without rebuilding a
/// snapshot. Two rows are equal when every field and every stage entry is equal.
/// </remarks>
public readonly struct CustomerScanRow : IEquatable<CustomerScanRow>
{
    private const byte HasContactPointFlag = 1;
    private const byte HasHomeTimeZoneFlag = 2;
    private const byte HasExternalIdentifierFlag = 4;

    private readonly LifecycleStageEntry[]? _stageEntries;
    private readonly byte _flags;

    /// <summary>Creates a row; a store reading its own columns calls this once per customer.</summary>
    /// <param name="id">The customer's id.</param>
    /// <param name="createdAt">When the customer was registered (<see cref="CustomerSnapshot.CreatedAt"/>).</param>
    /// <param name="hasContactPoint">The customer has at least one contact point.</param>
    /// <param name="hasHomeTimeZone">The customer has a home time zone.</param>
    /// <param name="hasExternalIdentifier">The customer has at least one external identifier.</param>
    /// <param name="createdIn">
    /// The stage the first lifecycle transition left (the stage the customer was created in), or null when there is no
    /// transition (the customer is then in the lifecycle model's initial stage).
    /// </param>
    /// <param name="stageEntries">The lifecycle transitions, oldest first, as the stage entered and when; copied.</param>
    /// <exception cref="ArgumentException">
    /// The id is the default; an entry's stage is the default; or <paramref name="createdIn"/> is given without entries or
    /// missing with entries (or is the default).
    /// </exception>
    public CustomerScanRow(CustomerId id, Instant createdAt, bool hasContactPoint, bool hasHomeTimeZone, bool hasExternalIdentifier, LifecycleStage? createdIn, ReadOnlySpan<LifecycleStageEntry> stageEntries)
        : this(id, createdAt, hasContactPoint, hasHomeTimeZone, hasExternalIdentifier, createdIn, Check(id, createdIn, stageEntries) ? stageEntries.ToArray() : null)
    {
    }

    /// <summary>The customer's id.</summary>
    public CustomerId Id { get; }

    /// <summary>When the customer was registered.</summary>
    public Instant CreatedAt { get; }

    /// <summary>The customer has at least one contact point.</summary>
    public bool HasContactPoint => (_flags & HasContactPointFlag) != 0;

    /// <summary>The customer has a home time zone.</summary>
    public bool HasHomeTimeZone => (_flags & HasHomeTimeZoneFlag) != 0;

    /// <summary>The customer has at least one external identifier.</summary>
    public bool HasExternalIdentifier => (_flags & HasExternalIdentifierFlag) != 0;

    /// <summary>The stage the first lifecycle transition left, or null when there is none (the model's initial stage applies).</summary>
    public LifecycleStage? CreatedIn { get; }

    /// <summary>The lifecycle transitions, oldest first, as the stage entered and when; empty when there is none.</summary>
    public ReadOnlySpan<LifecycleStageEntry> StageEntries => _stageEntries;

    /// <summary>Two rows are equal.</summary>
    public static bool operator ==(CustomerScanRow left, CustomerScanRow right) => left.Equals(right);

    /// <summary>Two rows differ.</summary>
    public static bool operator !=(CustomerScanRow left, CustomerScanRow right) => !left.Equals(right);

    /// <summary>The row of a stored customer: for stores that keep snapshots, for the fallback of scans over any store, and for tests.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    public static CustomerScanRow From(CustomerSnapshot customer)
    {
        Preconditions.NotNull(customer);
        var history = customer.LifecycleHistory;
        var entries = history.Count == 0 ? [] : new LifecycleStageEntry[history.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = LifecycleStageEntry.Of(history[i]);
        }

        return Owning(
            customer.Id,
            customer.CreatedAt,
            customer.ContactPoints.Count > 0,
            customer.HomeTimeZoneId is not null,
            customer.ExternalIdentifiers.Count > 0,
            history.Count > 0 ? history[0].From : null,
            entries);
    }

    /// <inheritdoc />
    public bool Equals(CustomerScanRow other)
        => Id == other.Id && CreatedAt == other.CreatedAt && _flags == other._flags && CreatedIn == other.CreatedIn
           && StageEntries.SequenceEqual(other.StageEntries);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CustomerScanRow other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, CreatedAt, _flags, CreatedIn, StageEntries.Length);

    /// <summary>The id, creation instant, completeness flags and lifecycle, for test output.</summary>
    public override string ToString()
        => $"{Id} {CreatedAt} contact:{HasContactPoint} zone:{HasHomeTimeZone} identifier:{HasExternalIdentifier} {CreatedIn}{string.Concat(StageEntries.ToArray().Select(static e => $" -> {e.Stage}@{e.At}"))}";

    /// <summary>A row taking ownership of <paramref name="stageEntries"/> (no copy), with the checks of the public constructor; for stores that build the array themselves.</summary>
    internal static CustomerScanRow Owning(CustomerId id, Instant createdAt, bool hasContactPoint, bool hasHomeTimeZone, bool hasExternalIdentifier, LifecycleStage? createdIn, LifecycleStageEntry[] stageEntries)
        => new(id, createdAt, hasContactPoint, hasHomeTimeZone, hasExternalIdentifier, createdIn, Check(id, createdIn, stageEntries) ? stageEntries : null);

    private CustomerScanRow(CustomerId id, Instant createdAt, bool hasContactPoint, bool hasHomeTimeZone, bool hasExternalIdentifier, LifecycleStage? createdIn, LifecycleStageEntry[]? stageEntries)
    {
        Id = id;
        CreatedAt = createdAt;
        CreatedIn = createdIn;
        _stageEntries = stageEntries;
        _flags = (byte)((hasContactPoint ? HasContactPointFlag : 0) | (hasHomeTimeZone ? HasHomeTimeZoneFlag : 0) | (hasExternalIdentifier ? HasExternalIdentifierFlag : 0));
    }

    /// <summary>Checks the arguments; true when there are entries to keep.</summary>
    private static bool Check(CustomerId id, LifecycleStage? createdIn, ReadOnlySpan<LifecycleStageEntry> stageEntries)
    {
        Preconditions.NotDefault(id);
        Preconditions.Check(createdIn.HasValue == !stageEntries.IsEmpty, "The stage created in is given exactly when there are stage entries.", nameof(createdIn));
        if (createdIn is { } stage)
        {
            Preconditions.NotDefault(stage, nameof(createdIn));
        }

        foreach (var entry in stageEntries)
        {
            Preconditions.Check(entry.Stage != default, "A stage entry's stage is the default.", nameof(stageEntries));
        }

        return !stageEntries.IsEmpty;
    }
}
