using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Segments;

/// <summary>
/// The members of one segment of one tenant as of an instant, frozen: which version of the segment's definition was
/// evaluated, as of when, and when the evaluation ran. Use it wherever a segment is a dimension or an audience (a metric
/// per segment, an acquisition or channel-mix report per segment, a campaign's audience): it answers
/// <see cref="Contains"/> in O(log n) and lists its members in id order, and it does not change when customers do.
/// </summary>
/// <remarks>
/// Members are kept sorted and distinct in memory (16 bytes each, so at most 80 MB at <see cref="MaxMembers"/>); a customer
/// given twice is kept once. A segment larger than that is evaluated streamed rather than frozen.
/// </remarks>
public sealed class SegmentSnapshot
{
    /// <summary>The most members one snapshot holds.</summary>
    public const int MaxMembers = 5_000_000;

    private readonly CustomerId[] _members;

    /// <summary>Freezes a membership.</summary>
    /// <param name="tenantId">The tenant the members belong to.</param>
    /// <param name="segment">The segment.</param>
    /// <param name="version">The version of the segment's definition that was evaluated (1 or more).</param>
    /// <param name="asOf">The instant the membership holds for (the rule saw what was known then).</param>
    /// <param name="evaluatedAt">When the evaluation ran: what a reader uses to say how fresh the snapshot is.</param>
    /// <param name="members">The members, in any order; duplicates are kept once; up to <see cref="MaxMembers"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="members"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant, the segment or a member is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is less than 1.</exception>
    /// <exception cref="InputLimitExceededException">There are more than <see cref="MaxMembers"/> members.</exception>
    public SegmentSnapshot(TenantId tenantId, SegmentId segment, int version, Instant asOf, Instant evaluatedAt, IEnumerable<CustomerId> members)
    {
        TenantId = Preconditions.NotDefault(tenantId);
        Segment = Preconditions.NotDefault(segment);
        Version = Preconditions.Positive(version, "A segment's versions start at 1.");
        AsOf = asOf;
        EvaluatedAt = evaluatedAt;
        Preconditions.NotNull(members);
        var known = members is IReadOnlyCollection<CustomerId> collection ? collection.Count : -1;
        Preconditions.MaxCount(known, MaxMembers, "members", nameof(members));

        // One buffer of the known size (members streamed from a store usually come as a collection), checked for id
        // order while it fills: members already ascending and distinct are kept as they are, without a sort or a copy.
        var buffer = new CustomerId[known >= 0 ? known : 16];
        var count = 0;
        var ascending = true;
        foreach (var member in members)
        {
            if (member == default)
            {
                throw new ArgumentException("A segment member is the default customer id.", nameof(members));
            }

            if (count == buffer.Length)
            {
                Preconditions.MaxCount(count + 1, MaxMembers, "members", nameof(members));
                Array.Resize(ref buffer, (int)Math.Min(Math.Max(16L, (long)count * 2), MaxMembers));
            }

            ascending = ascending && (count == 0 || buffer[count - 1].CompareTo(member) < 0);
            buffer[count++] = member;
        }

        var distinct = count;
        if (!ascending)
        {
            var span = buffer.AsSpan(0, count);
            span.Sort();
            distinct = 0;
            for (var i = 0; i < span.Length; i++)
            {
                if (distinct == 0 || span[i] != span[distinct - 1])
                {
                    span[distinct++] = span[i];
                }
            }
        }

        _members = distinct == buffer.Length ? buffer : buffer.AsSpan(0, distinct).ToArray();
    }

    /// <summary>The tenant the members belong to.</summary>
    public TenantId TenantId { get; }

    /// <summary>The segment.</summary>
    public SegmentId Segment { get; }

    /// <summary>The version of the segment's definition that was evaluated.</summary>
    public int Version { get; }

    /// <summary>The instant the membership holds for.</summary>
    public Instant AsOf { get; }

    /// <summary>When the evaluation ran.</summary>
    public Instant EvaluatedAt { get; }

    /// <summary>How many customers are members.</summary>
    public int Count => _members.Length;

    /// <summary>The members in ascending id order, each once.</summary>
    public IReadOnlyList<CustomerId> Members => _members;

    /// <summary>Whether <paramref name="customerId"/> is a member; O(log n).</summary>
    public bool Contains(CustomerId customerId) => Array.BinarySearch(_members, customerId) >= 0;

    /// <summary>
    /// A keyset page of members: up to <paramref name="limit"/> members whose id is greater than <paramref name="after"/>
    /// (from the first when null), in id order; what a store's paged read of a snapshot returns.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    public IReadOnlyList<CustomerId> MembersAfter(CustomerId? after, int limit)
    {
        Preconditions.Positive(limit, "A page holds at least one member.");
        var start = 0;
        if (after is { } key)
        {
            var index = Array.BinarySearch(_members, key);
            start = index >= 0 ? index + 1 : ~index;
        }

        return _members.AsSpan(start, Math.Min(limit, _members.Length - start)).ToArray();
    }

    /// <summary>The segment, version and member count, e.g. <c>lapsed-vip v3 (1204 members)</c>; never a member.</summary>
    public override string ToString() => $"{Segment} v{Version} ({Count} members)";
}
