using CrmKernel.Diagnostics;

namespace CrmKernel.Channels;

/// <summary>What a channel adapter reports for one send. Create one with <see cref="Delivered"/>, <see cref="Retryable"/> or <see cref="Permanent"/>.</summary>
public sealed class DeliveryResult
{
    /// <summary>The longest reason kept.</summary>
    public const int MaxReasonLength = 512;

    /// <summary>The longest provider message id accepted.</summary>
    public const int MaxProviderMessageIdLength = 256;

    private DeliveryResult(DeliveryStatus status, string? providerMessageId, string? reason)
    {
        Status = status;
        ProviderMessageId = providerMessageId;
        Reason = reason;
    }

    /// <summary>How the send ended.</summary>
    public DeliveryStatus Status { get; }

    /// <summary>The provider's id for a delivered message, or null.</summary>
    public string? ProviderMessageId { get; }

    /// <summary>Why it failed (naming codes and ids, never personal data), or null when delivered.</summary>
    public string? Reason { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="DeliveryStatus.Delivered"/>.</summary>
    public bool IsDelivered => Status == DeliveryStatus.Delivered;

    /// <summary>A delivered message.</summary>
    /// <param name="providerMessageId">The provider's id for it.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="providerMessageId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="providerMessageId"/> is blank.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="providerMessageId"/> is longer than <see cref="MaxProviderMessageIdLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static DeliveryResult Delivered(string providerMessageId)
        => new(DeliveryStatus.Delivered, Preconditions.MaxLength(Preconditions.NotBlank(providerMessageId), MaxProviderMessageIdLength, nameof(providerMessageId)), null);

    /// <summary>A failure worth retrying later.</summary>
    /// <param name="reason">Why, naming codes, never personal data.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is blank.</exception>
    public static DeliveryResult Retryable(string reason) => new(DeliveryStatus.FailedRetryable, null, Clip(reason));

    /// <summary>A failure retrying will not mend.</summary>
    /// <inheritdoc cref="Retryable(string)"/>
    public static DeliveryResult Permanent(string reason) => new(DeliveryStatus.FailedPermanent, null, Clip(reason));

    /// <summary>The status and the provider id or reason.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => IsDelivered ? $"{Status} ({ProviderMessageId})" : $"{Status}: {Reason}";

    private static string Clip(string reason, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(reason))] string? parameterName = null)
    {
        Preconditions.NotBlank(reason, parameterName);
        var trimmed = reason.Trim();
        return trimmed.Length <= MaxReasonLength ? trimmed : trimmed[..MaxReasonLength];
    }
}
