namespace CrmKernel.Storage.InMemory;

/// <summary>
/// A set of ids in their natural order for the in-memory stores' keyset paging: sorted chunks of at most
/// <see cref="MaxChunk"/> ids, so that adding or removing an id costs a binary search and a short shift, and the page
/// after an id starts with two binary searches. <see cref="SortedSet{T}"/> cannot do the last: its
/// <see cref="SortedSet{T}.GetViewBetween"/> counts the whole view when created, which made paging through a tenant
/// quadratic in its size. Not thread-safe: the stores hold the tenant's lock.
/// </summary>
/// <typeparam name="TId">The id type, ordered by its <see cref="IComparable{T}"/>.</typeparam>
internal sealed class OrderedIdSet<TId> : IReadOnlyCollection<TId>
    where TId : struct, IComparable<TId>
{
    private const int MaxChunk = 512;

    // Each chunk sorted and non-empty; every id of a chunk orders before every id of the next.
    private readonly List<List<TId>> _chunks = [];
    private int _count;

    /// <inheritdoc />
    public int Count => _count;

    /// <summary>Adds an id; false when it is already in the set.</summary>
    public bool Add(TId id)
    {
        if (_chunks.Count == 0)
        {
            _chunks.Add([id]);
            _count = 1;
            return true;
        }

        var c = ChunkFor(id);
        var chunk = _chunks[c];
        var at = chunk.BinarySearch(id);
        if (at >= 0)
        {
            return false;
        }

        chunk.Insert(~at, id);
        _count++;
        if (chunk.Count > MaxChunk)
        {
            var half = chunk.Count / 2;
            _chunks.Insert(c + 1, chunk.GetRange(half, chunk.Count - half));
            chunk.RemoveRange(half, chunk.Count - half);
        }

        return true;
    }

    /// <summary>Removes an id; false when it is not in the set.</summary>
    public bool Remove(TId id)
    {
        if (_count == 0)
        {
            return false;
        }

        var c = ChunkFor(id);
        var chunk = _chunks[c];
        var at = chunk.BinarySearch(id);
        if (at < 0)
        {
            return false;
        }

        chunk.RemoveAt(at);
        _count--;
        if (chunk.Count == 0)
        {
            _chunks.RemoveAt(c);
        }

        return true;
    }

    /// <summary>The ids after <paramref name="after"/> (all of them when null) in order, read lazily: a page reads only its ids.</summary>
    public IEnumerable<TId> After(TId? after)
    {
        if (_count == 0)
        {
            yield break;
        }

        var c = 0;
        var i = 0;
        if (after is { } from)
        {
            c = ChunkFor(from);
            var at = _chunks[c].BinarySearch(from);
            i = at >= 0 ? at + 1 : ~at;
        }

        for (; c < _chunks.Count; c++, i = 0)
        {
            var chunk = _chunks[c];
            for (; i < chunk.Count; i++)
            {
                yield return chunk[i];
            }
        }
    }

    /// <summary>One keyset page: at most <paramref name="limit"/> ids after <paramref name="after"/> (from the first when null), in order.</summary>
    public IEnumerable<TId> Page(TId? after, int limit)
    {
        var taken = 0;
        foreach (var id in After(after))
        {
            if (taken++ == limit)
            {
                yield break;
            }

            yield return id;
        }
    }

    /// <inheritdoc />
    public IEnumerator<TId> GetEnumerator() => After(null).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The first chunk whose last id is not before <paramref name="id"/>, or the last chunk.</summary>
    private int ChunkFor(TId id)
    {
        int lo = 0, hi = _chunks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_chunks[mid][^1].CompareTo(id) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
