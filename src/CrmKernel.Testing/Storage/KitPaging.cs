using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>How the kit reads a whole keyset-paged listing (deals, cases): page after page until a short one.</summary>
internal static class KitPaging
{
    /// <summary>
    /// Walks <paramref name="page"/> from the start, asserting that no page holds more than <paramref name="limit"/>
    /// items, and returns the ids in the order the store gave them.
    /// </summary>
    public static async Task<List<TId>> WalkAsync<TId, TItem>(Func<TId?, CancellationToken, ValueTask<IReadOnlyList<TItem>>> page, Func<TItem, TId> idOf, int limit)
        where TId : struct
    {
        var seen = new List<TId>();
        TId? after = null;
        while (true)
        {
            var items = await page(after, default);
            Assert.True(items.Count <= limit, $"a page of {items.Count} items for a limit of {limit}");
            seen.AddRange(items.Select(idOf));
            if (items.Count < limit)
            {
                return seen;
            }

            after = idOf(items[^1]);
        }
    }
}
