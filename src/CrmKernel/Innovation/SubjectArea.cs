using System.Diagnostics.CodeAnalysis;
using CrmKernel.Primitives;

namespace CrmKernel.Innovation;

/// <summary>
/// What an idea or a piece of feedback is about: one of the standard areas below, or a slug of the host's own taxonomy
/// (<c>new SubjectArea("loyalty-programme")</c>). Use it to group ideas and to count ideas received per area.
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 - _ . : /</c>, trimmed and lower-cased.</remarks>
public readonly record struct SubjectArea : IComparable<SubjectArea>
{
    /// <summary>The longest subject area accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a subject area, normalising its text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid subject area.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException">The text is longer than <see cref="MaxLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public SubjectArea(string value) => Value = Slug.Require(value, MaxLength, "subject area", nameof(value));

    /// <summary>The normalised area; null only for <c>default(SubjectArea)</c>, which no method accepts.</summary>
    public string Value { get; }

    /// <summary>The products or services themselves.</summary>
    public static SubjectArea Product { get; } = new("product");

    /// <summary>Advertising, newsletters, offers: how the company talks to customers.</summary>
    public static SubjectArea MarketingCommunication { get; } = new("marketing-communication");

    /// <summary>Physical stores and branches.</summary>
    public static SubjectArea Store { get; } = new("store");

    /// <summary>The website and apps.</summary>
    public static SubjectArea Website { get; } = new("website");

    /// <summary>Customer service and support.</summary>
    public static SubjectArea Service { get; } = new("service");

    /// <summary>Invoices, payments and prices as billed.</summary>
    public static SubjectArea Billing { get; } = new("billing");

    /// <summary>The standard areas, in the order above.</summary>
    public static IReadOnlyList<SubjectArea> Standard { get; } = [Product, MarketingCommunication, Store, Website, Service, Billing];

    /// <summary>Tries to read a subject area from text (normalised as the constructor does).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SubjectArea area)
    {
        area = default;
        if (text is null || Slug.Normalize(text, MaxLength) is not { } normalized)
        {
            return false;
        }

        area = new SubjectArea(normalized);
        return true;
    }

    /// <summary>Orders areas by their text, ordinally.</summary>
    public int CompareTo(SubjectArea other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The normalised area.</summary>
    public override string ToString() => Value ?? string.Empty;
}
