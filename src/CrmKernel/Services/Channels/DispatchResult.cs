using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Services.Channels;

/// <summary>
/// What <see cref="ChannelDispatcher"/> did with one message, and why: sent, already sent, refused (with the rule and
/// the consent entries behind it) or failed (with whether it is kept for retry).
/// </summary>
public sealed class DispatchResult
{
    // Null only in a sent result until Reason is first read; two threads reading it first write equal texts.
    private string? _reason;
    private readonly int _attempts;

    /// <summary>
    /// A delivered message. Its reason is written when first read, not per message sent: a campaign streams thousands of
    /// results that are mostly counted, and formatting the consent entries behind each one cost more than the send.
    /// </summary>
    internal DispatchResult(CustomerId customerId, string dispatchKey, int attempts, ContactPermission permission, DeliveryResult delivery, Touchpoint touchpoint)
        : this(customerId, dispatchKey, DispatchOutcome.Sent, null!, null, permission, delivery, touchpoint)
    {
        _attempts = attempts;
    }

    internal DispatchResult(
        CustomerId customerId,
        string dispatchKey,
        DispatchOutcome outcome,
        string reason,
        DispatchRefusal? refusal = null,
        ContactPermission? permission = null,
        DeliveryResult? delivery = null,
        Touchpoint? touchpoint = null,
        bool keptForRetry = false,
        Instant? notBefore = null)
    {
        CustomerId = customerId;
        DispatchKey = dispatchKey;
        Outcome = outcome;
        _reason = reason;
        Refusal = refusal;
        Permission = permission;
        Delivery = delivery;
        Touchpoint = touchpoint;
        KeptForRetry = keptForRetry;
        NotBefore = notBefore;
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The message's dispatch key.</summary>
    public string DispatchKey { get; }

    /// <summary>Sent, already sent, refused or failed.</summary>
    public DispatchOutcome Outcome { get; }

    /// <summary>Why, for people and logs: names rules, channels and ids, never personal data.</summary>
    public string Reason => _reason ??= $"delivered on {Touchpoint!.Channel} as {Delivery!.ProviderMessageId} (attempt {_attempts}); {Permission}";

    /// <summary>The rule that refused it, when <see cref="Outcome"/> is <see cref="DispatchOutcome.Refused"/>.</summary>
    public DispatchRefusal? Refusal { get; }

    /// <summary>The consent ledger's answer, when the ledger was asked.</summary>
    public ContactPermission? Permission { get; }

    /// <summary>The adapter's report, when the adapter was called.</summary>
    public DeliveryResult? Delivery { get; }

    /// <summary>The touchpoint recorded for this attempt (delivered, refused or failed), or null when none was (customer not found).</summary>
    public Touchpoint? Touchpoint { get; }

    /// <summary>True when the message is kept in the pending-dispatch store for <see cref="ChannelDispatcher.RetryPendingAsync"/>.</summary>
    public bool KeptForRetry { get; }

    /// <summary>For quiet hours and frequency caps: the first instant a new attempt can pass the check; otherwise null.</summary>
    public Instant? NotBefore { get; }

    /// <summary>The outcome and reason.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Outcome}: {Reason}";
}
