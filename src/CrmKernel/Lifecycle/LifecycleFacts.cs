using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// The compact facts about a customer that lifecycle guards read, kept up to date as touchpoints are applied so
/// that evaluating a rule never re-reads the customer's touchpoints: purchase count, first and last purchase,
/// the most recent purchase instants, and complaints. Read it from <see cref="CustomerLifecycle.Facts"/> in a guard.
/// </summary>
/// <remarks>Immutable; <see cref="Empty"/> is the facts of a customer with no touchpoints applied.</remarks>
public sealed class LifecycleFacts : IEquatable<LifecycleFacts>
{
    /// <summary>How many recent purchase instants are kept (the newest ones), enough for any loyalty window rule.</summary>
    public const int MaxRecentPurchases = 16;

    private readonly Instant[] _recentPurchases;

    private LifecycleFacts(int purchaseCount, Instant? firstPurchaseAt, Instant? lastPurchaseAt, Instant[] recentPurchases, int openComplaints, Instant? lastComplaintAt, Instant? lastResolutionAt)
    {
        PurchaseCount = purchaseCount;
        FirstPurchaseAt = firstPurchaseAt;
        LastPurchaseAt = lastPurchaseAt;
        _recentPurchases = recentPurchases;
        OpenComplaints = openComplaints;
        LastComplaintAt = lastComplaintAt;
        LastResolutionAt = lastResolutionAt;
    }

    /// <summary>The facts of a customer with no touchpoints applied.</summary>
    public static LifecycleFacts Empty { get; } = new(0, null, null, [], 0, null, null);

    /// <summary>How many purchases have been applied.</summary>
    public int PurchaseCount { get; }

    /// <summary>When the earliest purchase occurred, or null.</summary>
    public Instant? FirstPurchaseAt { get; }

    /// <summary>When the latest purchase occurred, or null; inactivity is measured from it.</summary>
    public Instant? LastPurchaseAt { get; }

    /// <summary>The occurrence instants of the newest purchases (at most <see cref="MaxRecentPurchases"/>), oldest first.</summary>
    public IReadOnlyList<Instant> RecentPurchases => _recentPurchases;

    /// <summary>Complaints applied and not yet matched by a resolution.</summary>
    public int OpenComplaints { get; }

    /// <summary>When the latest complaint occurred, or null.</summary>
    public Instant? LastComplaintAt { get; }

    /// <summary>When the latest resolution occurred, or null.</summary>
    public Instant? LastResolutionAt { get; }

    /// <summary>
    /// Rebuilds facts from stored values (for storage adapters), checking that they are consistent.
    /// </summary>
    /// <param name="purchaseCount">Purchases applied; not negative.</param>
    /// <param name="firstPurchaseAt">Earliest purchase; present exactly when there is a purchase.</param>
    /// <param name="lastPurchaseAt">Latest purchase; present exactly when there is a purchase, not before the first.</param>
    /// <param name="recentPurchases">Newest purchase instants, oldest first, at most <see cref="MaxRecentPurchases"/> and at most <paramref name="purchaseCount"/>, all within first..last.</param>
    /// <param name="openComplaints">Open complaints; not negative.</param>
    /// <param name="lastComplaintAt">Latest complaint, if any.</param>
    /// <param name="lastResolutionAt">Latest resolution, if any.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="recentPurchases"/> is null.</exception>
    /// <exception cref="ArgumentException">The values are inconsistent.</exception>
    public static LifecycleFacts Create(int purchaseCount, Instant? firstPurchaseAt, Instant? lastPurchaseAt, IReadOnlyList<Instant> recentPurchases, int openComplaints, Instant? lastComplaintAt, Instant? lastResolutionAt)
    {
        Preconditions.NotNull(recentPurchases);
        Preconditions.MaxCount(recentPurchases.Count, MaxRecentPurchases, "items", nameof(recentPurchases));
        Preconditions.Check(purchaseCount >= 0, "The purchase count cannot be negative.", nameof(purchaseCount));
        Preconditions.Check(openComplaints >= 0, "The open complaint count cannot be negative.", nameof(openComplaints));
        Preconditions.Check((purchaseCount > 0) == firstPurchaseAt.HasValue && (purchaseCount > 0) == lastPurchaseAt.HasValue, "First and last purchase are present exactly when there is a purchase.", nameof(firstPurchaseAt));
        Preconditions.Check(firstPurchaseAt is null || firstPurchaseAt <= lastPurchaseAt, "The first purchase cannot be after the last.", nameof(lastPurchaseAt));
        Preconditions.Check(recentPurchases.Count <= Math.Min(purchaseCount, MaxRecentPurchases) && (purchaseCount == 0 || recentPurchases.Count > 0), $"Recent purchases hold 1 to {MaxRecentPurchases} instants when there is a purchase, and none otherwise.", nameof(recentPurchases));
        for (var i = 0; i < recentPurchases.Count; i++)
        {
            Preconditions.Check(recentPurchases[i] >= firstPurchaseAt!.Value && recentPurchases[i] <= lastPurchaseAt!.Value && (i == 0 || recentPurchases[i - 1] <= recentPurchases[i]), "Recent purchases are in order and within the first and last purchase.", nameof(recentPurchases));
        }

        Preconditions.Check(recentPurchases.Count == 0 || recentPurchases[^1] == lastPurchaseAt, "The newest recent purchase is the last purchase.", nameof(recentPurchases));
        return new(purchaseCount, firstPurchaseAt, lastPurchaseAt, [.. recentPurchases], openComplaints, lastComplaintAt, lastResolutionAt);
    }

    /// <summary>How many of the recent purchases occurred in the window that ends at <paramref name="at"/> (exclusive start, inclusive end).</summary>
    /// <param name="window">The length of the window; not negative.</param>
    /// <param name="at">The end of the window.</param>
    /// <returns>The count, at most <see cref="MaxRecentPurchases"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is negative.</exception>
    public int PurchasesWithin(Duration window, Instant at)
    {
        if (window < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "A window cannot be negative.");
        }

        var start = at - window;
        var count = 0;
        foreach (var purchase in _recentPurchases)
        {
            if (purchase > start && purchase <= at)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The facts after applying <paramref name="touchpoint"/>: purchases, complaints and resolutions count; other kinds leave them unchanged.</summary>
    internal LifecycleFacts With(Touchpoint touchpoint)
    {
        var at = touchpoint.OccurredAt;
        if (touchpoint.Kind == TouchpointKind.Purchase)
        {
            var first = FirstPurchaseAt is { } f && f < at ? f : at;
            var last = LastPurchaseAt is { } l && l > at ? l : at;
            return new(PurchaseCount + 1, first, last, InsertRecent(at), OpenComplaints, LastComplaintAt, LastResolutionAt);
        }

        if (touchpoint.Kind == TouchpointKind.Complaint)
        {
            return new(PurchaseCount, FirstPurchaseAt, LastPurchaseAt, _recentPurchases, OpenComplaints + 1, Max(LastComplaintAt, at), LastResolutionAt);
        }

        if (touchpoint.Kind == TouchpointKind.Resolution)
        {
            return new(PurchaseCount, FirstPurchaseAt, LastPurchaseAt, _recentPurchases, Math.Max(0, OpenComplaints - 1), LastComplaintAt, Max(LastResolutionAt, at));
        }

        return this;
    }

    /// <inheritdoc />
    public bool Equals(LifecycleFacts? other)
        => other is not null
           && PurchaseCount == other.PurchaseCount
           && FirstPurchaseAt == other.FirstPurchaseAt
           && LastPurchaseAt == other.LastPurchaseAt
           && _recentPurchases.AsSpan().SequenceEqual(other._recentPurchases)
           && OpenComplaints == other.OpenComplaints
           && LastComplaintAt == other.LastComplaintAt
           && LastResolutionAt == other.LastResolutionAt;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LifecycleFacts);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PurchaseCount, LastPurchaseAt, OpenComplaints, LastComplaintAt, LastResolutionAt);

    private static Instant Max(Instant? current, Instant at) => current is { } c && c > at ? c : at;

    private Instant[] InsertRecent(Instant at)
    {
        // Keep the newest MaxRecentPurchases instants in order; a late (out-of-order) purchase is placed by its instant.
        var all = new Instant[_recentPurchases.Length + 1];
        var index = Array.BinarySearch(_recentPurchases, at);
        index = index < 0 ? ~index : index + 1;
        Array.Copy(_recentPurchases, 0, all, 0, index);
        all[index] = at;
        Array.Copy(_recentPurchases, index, all, index + 1, _recentPurchases.Length - index);
        return all.Length <= MaxRecentPurchases ? all : all[^MaxRecentPurchases..];
    }
}
