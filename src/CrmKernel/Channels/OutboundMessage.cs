using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Channels;

/// <summary>
/// One message for a channel adapter to send: who to, about what, what it says, and the idempotency key the adapter
/// must pass to its provider. <c>ChannelDispatcher</c> builds it after every check has passed; adapter tests
/// build their own.
/// </summary>
public sealed class OutboundMessage
{
    /// <summary>The longest idempotency key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 220;

    /// <summary>Creates a message.</summary>
    /// <param name="tenantId">The tenant sending it.</param>
    /// <param name="customerId">The customer it goes to.</param>
    /// <param name="channel">The channel it goes on.</param>
    /// <param name="recipient">The contact point it goes to.</param>
    /// <param name="purpose">Why the customer is contacted.</param>
    /// <param name="function">The CRM function it serves.</param>
    /// <param name="content">What it says.</param>
    /// <param name="idempotencyKey">The key that makes a resend harmless: 1 to 220 characters without control characters.</param>
    /// <param name="campaignId">The campaign it belongs to, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="recipient"/>, <paramref name="content"/> or <paramref name="idempotencyKey"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, the function is undefined, or the key breaks its rule.</exception>
    public OutboundMessage(TenantId tenantId, CustomerId customerId, ChannelId channel, ContactPoint recipient, ConsentPurpose purpose, CrmFunction function, MessageContent content, string idempotencyKey, string? campaignId = null)
    {
        TenantId = Preconditions.NotDefault(tenantId);
        CustomerId = Preconditions.NotDefault(customerId);
        Channel = Preconditions.NotDefault(channel);
        Recipient = Preconditions.NotNull(recipient);
        Purpose = Preconditions.NotDefault(purpose);
        Function = Preconditions.Defined(function);
        Content = Preconditions.NotNull(content);
        IdempotencyKey = DispatchKeys.Require(idempotencyKey, nameof(idempotencyKey));
        CampaignId = campaignId;
    }

    /// <summary>The tenant sending it.</summary>
    public TenantId TenantId { get; }

    /// <summary>The customer it goes to.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The channel it goes on.</summary>
    public ChannelId Channel { get; }

    /// <summary>The contact point it goes to. Personal data: do not log it.</summary>
    public ContactPoint Recipient { get; }

    /// <summary>Why the customer is contacted.</summary>
    public ConsentPurpose Purpose { get; }

    /// <summary>The CRM function it serves.</summary>
    public CrmFunction Function { get; }

    /// <summary>What it says.</summary>
    public MessageContent Content { get; }

    /// <summary>The key the adapter passes to its provider so that a resend reaches the customer at most once.</summary>
    public string IdempotencyKey { get; }

    /// <summary>The campaign it belongs to, or null.</summary>
    public string? CampaignId { get; }
}

/// <summary>The one rule for dispatch and idempotency keys.</summary>
internal static class DispatchKeys
{
    public static string Require(string key, string parameterName)
    {
        Preconditions.NotNull(key, parameterName);
        Preconditions.MaxLength(key, OutboundMessage.MaxIdempotencyKeyLength, parameterName);
        Preconditions.Check(
            key.Length is > 0 and <= OutboundMessage.MaxIdempotencyKeyLength && key.Trim().Length == key.Length && !Preconditions.HasControlCharacter(key),
            $"A dispatch key is 1 to {OutboundMessage.MaxIdempotencyKeyLength} characters without control characters or surrounding white space.",
            parameterName);
        return key;
    }
}
