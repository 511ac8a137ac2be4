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

/// <summary>
/// How a contact ended — <c>completed</c>, <c>resolved</c>, <c>no-response</c>, <c>delivered</c>… The
/// well-known outcomes below are used by the kernel; hosts add their own.
/// </summary>
public readonly record struct TouchpointOutcome
{
    /// <summary>The longest outcome accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates an outcome, normalising its text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid outcome.</exception>
    public TouchpointOutcome(string value) => Value = Slug.Require(value, MaxLength, "touchpoint outcome", nameof(value));

    /// <summary>The normalised outcome; null only for <c>default(TouchpointOutcome)</c>.</summary>
    public string Value { get; }

    /// <summary>The contact achieved its purpose.</summary>
    public static TouchpointOutcome Completed { get; } = new("completed");

    /// <summary>The customer's issue was resolved during the contact.</summary>
    public static TouchpointOutcome Resolved { get; } = new("resolved");

    /// <summary>The customer's issue remains open after the contact.</summary>
    public static TouchpointOutcome Unresolved { get; } = new("unresolved");

    /// <summary>The contact led to a sale or the desired action.</summary>
    public static TouchpointOutcome Converted { get; } = new("converted");

    /// <summary>The customer did not respond.</summary>
    public static TouchpointOutcome NoResponse { get; } = new("no-response");

    /// <summary>An outbound message was delivered.</summary>
    public static TouchpointOutcome Delivered { get; } = new("delivered");

    /// <summary>An outbound message could not be delivered.</summary>
    public static TouchpointOutcome Failed { get; } = new("failed");

    /// <summary>A send was refused before it happened (no consent, quiet hours, frequency cap).</summary>
    public static TouchpointOutcome Refused { get; } = new("refused");

    /// <summary>The normalised outcome.</summary>
    public override string ToString() => Value ?? string.Empty;
}
