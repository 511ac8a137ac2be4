using CrmKernel.Primitives;

namespace CrmKernel.Touchpoints;

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
