using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Privacy;

/// <summary>How many items of one category (see <see cref="ErasureCategories"/>) an erasure removed or anonymised.</summary>
public readonly record struct ErasureCount
{
    /// <summary>The longest category name.</summary>
    public const int MaxCategoryLength = 64;

    /// <summary>Creates a count.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="category"/> is null.</exception>
    /// <exception cref="ArgumentException">The category is not a slug, or the count is negative.</exception>
    /// <exception cref="InputLimitExceededException">The category is longer than <see cref="MaxCategoryLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public ErasureCount(string category, int count)
    {
        Category = Slug.Require(Preconditions.NotNull(category), MaxCategoryLength, "erasure category", nameof(category));
        Preconditions.Check(count >= 0, "The count cannot be negative.", nameof(count));
        Count = count;
    }

    /// <summary>The category, one of <see cref="ErasureCategories"/> or an adapter's own.</summary>
    public string Category { get; }

    /// <summary>How many items were removed or anonymised.</summary>
    public int Count { get; }
}
