using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Sales;

/// <summary>
/// One open stage of a <see cref="SalesPipeline"/> (e.g. "qualify", "propose", "negotiate"): a key that deals refer to,
/// a display name, the default probability that a deal in it closes won, and the forecast category it counts in.
/// Create stages when you define or revise a pipeline; closing won or lost is not a stage but a status.
/// </summary>
public sealed class SalesStage : IEquatable<SalesStage>
{
    /// <summary>The longest stage key.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>The longest stage name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Creates a stage.</summary>
    /// <param name="key">The stable key deals refer to: a slug (<c>a-z 0-9 - _ . : /</c>, lower-cased).</param>
    /// <param name="name">The display name.</param>
    /// <param name="defaultProbability">The probability (0 to 1) that a deal in this stage closes won.</param>
    /// <param name="forecastCategory"><see cref="ForecastCategory.Pipeline"/>, <see cref="ForecastCategory.BestCase"/> or <see cref="ForecastCategory.Commit"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is not a slug or too long, the name is blank or too long, the probability is outside 0 to 1, or the category is not one of an open stage.</exception>
    public SalesStage(string key, string name, decimal defaultProbability, ForecastCategory forecastCategory)
    {
        Key = Slug.Require(Preconditions.NotNull(key), MaxKeyLength, "stage key", nameof(key));
        Name = Preconditions.MaxLength(Preconditions.NotBlank(name).Trim(), MaxNameLength, nameof(name));
        Preconditions.Check(defaultProbability is >= 0m and <= 1m, "The default probability must be from 0 to 1.", nameof(defaultProbability));
        Preconditions.Check(
            forecastCategory is ForecastCategory.Pipeline or ForecastCategory.BestCase or ForecastCategory.Commit,
            "An open stage counts in the pipeline, best case or commit forecast category.",
            nameof(forecastCategory));
        DefaultProbability = defaultProbability;
        ForecastCategory = forecastCategory;
    }

    /// <summary>The stable key deals refer to.</summary>
    public string Key { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>The probability (0 to 1) that a deal in this stage closes won; weights the pipeline.</summary>
    public decimal DefaultProbability { get; }

    /// <summary>The forecast category deals in this stage count in.</summary>
    public ForecastCategory ForecastCategory { get; }

    /// <inheritdoc />
    public bool Equals(SalesStage? other)
        => other is not null && Key == other.Key && Name == other.Name && DefaultProbability == other.DefaultProbability && ForecastCategory == other.ForecastCategory;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SalesStage);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Name, DefaultProbability, ForecastCategory);

    /// <summary>The key.</summary>
    public override string ToString() => Key;
}
