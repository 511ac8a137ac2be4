using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Channels;

/// <summary>
/// A message the application wants sent to one customer through <c>ChannelDispatcher.DispatchAsync</c>: to whom,
/// on which channel, why, what it says, and the dispatch key that makes sending it again harmless.
/// </summary>
/// <remarks>
/// The dispatch key identifies the message, not the attempt: use the same key for every retry of one message and a new
/// key for a new message (e.g. <c>order-1001/shipped</c>). It becomes the idempotency key the adapter passes to its
/// provider and the source key of the delivered touchpoint.
/// </remarks>
public sealed class DispatchRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="customerId">The customer to contact.</param>
    /// <param name="channel">The channel to send on.</param>
    /// <param name="purpose">Why the customer is contacted; consent is checked for it.</param>
    /// <param name="function">The CRM function it serves, recorded on the touchpoint.</param>
    /// <param name="content">What the message says.</param>
    /// <param name="dispatchKey">The message's key: 1 to 220 characters without control characters.</param>
    /// <param name="recipient">One of the customer's contact points, or null for the primary one of the channel's kind.</param>
    /// <param name="kind">The touchpoint kind to record; <see cref="TouchpointKind.CampaignContact"/> when null.</param>
    /// <param name="campaignId">The campaign it belongs to, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> or <paramref name="dispatchKey"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, the function is undefined, or the key breaks its rule.</exception>
    public DispatchRequest(
        CustomerId customerId,
        ChannelId channel,
        ConsentPurpose purpose,
        CrmFunction function,
        MessageContent content,
        string dispatchKey,
        ContactPoint? recipient = null,
        TouchpointKind? kind = null,
        string? campaignId = null)
    {
        CustomerId = Preconditions.NotDefault(customerId);
        Channel = Preconditions.NotDefault(channel);
        Purpose = Preconditions.NotDefault(purpose);
        Function = Preconditions.Defined(function);
        Content = Preconditions.NotNull(content);
        DispatchKey = DispatchKeys.Require(dispatchKey, nameof(dispatchKey));
        Preconditions.Check(kind is null || kind.Value != default, "The kind must not be the default TouchpointKind.", nameof(kind));
        Recipient = recipient;
        Kind = kind ?? TouchpointKind.CampaignContact;
        CampaignId = campaignId;
    }

    /// <summary>The customer to contact.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The channel to send on.</summary>
    public ChannelId Channel { get; }

    /// <summary>Why the customer is contacted.</summary>
    public ConsentPurpose Purpose { get; }

    /// <summary>The CRM function it serves.</summary>
    public CrmFunction Function { get; }

    /// <summary>What the message says.</summary>
    public MessageContent Content { get; }

    /// <summary>The message's key.</summary>
    public string DispatchKey { get; }

    /// <summary>The contact point asked for, or null for the customer's primary one of the channel's kind.</summary>
    public ContactPoint? Recipient { get; }

    /// <summary>The touchpoint kind recorded.</summary>
    public TouchpointKind Kind { get; }

    /// <summary>The campaign, or null.</summary>
    public string? CampaignId { get; }
}
