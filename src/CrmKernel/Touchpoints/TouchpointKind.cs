using CrmKernel.Primitives;

namespace CrmKernel.Touchpoints;

/// <summary>
/// What kind of contact a touchpoint was. The well-known kinds below drive the kernel's lifecycle and
/// metrics; hosts add their own (<c>new TouchpointKind("warranty-claim")</c>).
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 - _ . : /</c>, trimmed and lower-cased.</remarks>
public readonly record struct TouchpointKind
{
    /// <summary>The longest kind accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a kind, normalising its text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid kind.</exception>
    public TouchpointKind(string value) => Value = Slug.Require(value, MaxLength, "touchpoint kind", nameof(value));

    /// <summary>The normalised kind; null only for <c>default(TouchpointKind)</c>, which no method accepts.</summary>
    public string Value { get; }

    /// <summary>The customer bought something; carries revenue.</summary>
    public static TouchpointKind Purchase { get; } = new("purchase");

    /// <summary>The customer asked a question or for information.</summary>
    public static TouchpointKind Enquiry { get; } = new("enquiry");

    /// <summary>The customer complained.</summary>
    public static TouchpointKind Complaint { get; } = new("complaint");

    /// <summary>A complaint or issue was resolved.</summary>
    public static TouchpointKind Resolution { get; } = new("resolution");

    /// <summary>The customer cancelled an order or subscription.</summary>
    public static TouchpointKind Cancellation { get; } = new("cancellation");

    /// <summary>The relationship was ended by either side (contract termination, account closure).</summary>
    public static TouchpointKind Termination { get; } = new("termination");

    /// <summary>The customer returned goods.</summary>
    public static TouchpointKind Return { get; } = new("return");

    /// <summary>The enterprise contacted the customer as part of a campaign.</summary>
    public static TouchpointKind CampaignContact { get; } = new("campaign-contact");

    /// <summary>The customer responded to a campaign.</summary>
    public static TouchpointKind Response { get; } = new("response");

    /// <summary>The customer referred someone.</summary>
    public static TouchpointKind Referral { get; } = new("referral");

    /// <summary>The customer submitted an idea.</summary>
    public static TouchpointKind Idea { get; } = new("idea");

    /// <summary>The customer voted on an idea.</summary>
    public static TouchpointKind Vote { get; } = new("vote");

    /// <summary>The customer gave feedback or answered a survey.</summary>
    public static TouchpointKind Feedback { get; } = new("feedback");

    /// <summary>The normalised kind.</summary>
    public override string ToString() => Value ?? string.Empty;
}
