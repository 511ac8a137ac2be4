using System.Runtime.CompilerServices;
using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Services.Channels;

/// <summary>
/// Sends messages to customers through the registered channel adapters, after checking that the contact is allowed:
/// the service application code uses for every outbound message and campaign. Resolve it from DI after
/// <c>builder.AddChannel&lt;TAdapter&gt;()</c>.
/// </summary>
/// <remarks>
/// <para>For each message, in this order (the first check that fails refuses it, records a refused attempt as a touchpoint
/// with outcome <c>refused</c>, and sends nothing):</para>
/// <list type="number">
/// <item>Already delivered under the dispatch key? Then nothing is sent again (<see cref="DispatchOutcome.AlreadySent"/>).</item>
/// <item>The customer exists, and holds the contact point asked for, or a primary one of the channel's kind.</item>
/// <item>The consent ledger allows the purpose on the channel at that contact point now (see <see cref="ConsentLedger.Decide"/>).</item>
/// <item>It is not within the policy's quiet hours in the customer's home time zone (the policy's default zone when
/// the customer has none).</item>
/// <item>The channel's frequency cap is not reached: delivered messages on the channel in the rolling window.</item>
/// </list>
/// <para>The message is then written to the <see cref="IPendingDispatchStore"/> and handed to the adapter with the dispatch
/// key as idempotency key. Delivered: an outbound touchpoint with outcome <c>delivered</c> and the channel's cost per
/// contact is recorded under source <c>dispatch:{key}</c>, and the pending entry removed. Failed: a touchpoint with
/// outcome <c>failed</c> is recorded; a retryable failure stays pending for <see cref="RetryPendingAsync"/>, a permanent
/// one is removed. A crash between the send and the record leaves the entry pending; the retry sends with the same
/// idempotency key, which the provider uses to drop the duplicate.</para>
/// <para>Every dispatch is counted on the <c>CrmKernel</c> meter as <c>crmkernel.channels.dispatches</c>, tagged with
/// <c>channel</c>, <c>outcome</c> and, for refusals, <c>refusal</c>; traced as a <c>crm.dispatch</c> span on the
/// <c>CrmKernel</c> activity source; refusals, failures and retries are logged (events 1001–1003, see docs/observability.md).</para>
/// <para>The checks read, then the send writes: two dispatchers sending to one customer at the same moment can together
/// pass a frequency cap by one message. Run one dispatcher per tenant when caps must be exact.</para>
/// </remarks>
public sealed class ChannelDispatcher
{
    /// <summary>The source system of delivered-message touchpoints; the key is the dispatch key.</summary>
    public const string DeliveredSource = "dispatch";

    /// <summary>The source system of refused-attempt touchpoints; the key is the dispatch key, <c>@</c> and the instant.</summary>
    public const string RefusedSource = "dispatch-refused";

    /// <summary>The source system of failed-attempt touchpoints; the key is the dispatch key, <c>@</c> and the instant.</summary>
    public const string FailedSource = "dispatch-failed";

    /// <summary>The longest campaign id accepted by <see cref="SendCampaignAsync"/>.</summary>
    public const int MaxCampaignIdLength = 128;

    private const int CapPageSize = 1_000;

    private readonly Dictionary<ChannelId, IChannelAdapter> _adapters = [];
    private readonly CustomerRepository _customers;
    private readonly TouchpointIngestion _ingestion;
    private readonly ITouchpointStore _touchpoints;
    private readonly IPendingDispatchStore _pending;
    private readonly ContactPolicy _policy;
    private readonly IClock _clock;
    private readonly ILogger _logger;

    /// <summary>Creates the dispatcher (DI does this for you).</summary>
    /// <param name="adapters">The registered channel adapters, one per channel id.</param>
    /// <param name="customers">Where customers and their consent ledgers are read.</param>
    /// <param name="ingestion">The pipeline through which attempts are recorded as touchpoints.</param>
    /// <param name="touchpoints">Where delivered messages are looked up (idempotency and frequency caps).</param>
    /// <param name="pending">Where messages wait between the start and the end of a send, and until retried.</param>
    /// <param name="policy">Quiet hours, default zone and frequency caps.</param>
    /// <param name="clock">The clock that says "now" for every check and record.</param>
    /// <param name="logger">Where refusals (event 1001), failures (1002) and retries (1003) are logged; DI passes the host's, none when null.</param>
    /// <exception cref="ArgumentNullException">An argument is null, or an adapter is.</exception>
    /// <exception cref="ChannelException"><see cref="CrmErrorCodes.DuplicateChannel"/>: two adapters declare one channel id.</exception>
    public ChannelDispatcher(
        IEnumerable<IChannelAdapter> adapters,
        CustomerRepository customers,
        TouchpointIngestion ingestion,
        ITouchpointStore touchpoints,
        IPendingDispatchStore pending,
        ContactPolicy policy,
        IClock clock,
        ILogger<ChannelDispatcher>? logger = null)
    {
        Preconditions.NotNull(adapters);
        _customers = Preconditions.NotNull(customers);
        _ingestion = Preconditions.NotNull(ingestion);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _pending = Preconditions.NotNull(pending);
        _policy = Preconditions.NotNull(policy);
        _clock = Preconditions.NotNull(clock);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        foreach (var adapter in adapters)
        {
            Preconditions.Check(adapter is not null, "The adapters must not contain null.", nameof(adapters));
            var descriptor = Preconditions.NotNull(adapter!.Descriptor, nameof(adapters));
            if (!_adapters.TryAdd(descriptor.Id, adapter))
            {
                throw new ChannelException(CrmErrorCodes.DuplicateChannel, descriptor.Id, "two channel adapters declare this channel id.");
            }
        }

        Channels = [.. _adapters.Values.Select(a => a.Descriptor).OrderBy(d => d.Id)];
    }

    /// <summary>The registered channels, in id order.</summary>
    public IReadOnlyList<ChannelDescriptor> Channels { get; }

    /// <summary>
    /// Checks and, when every check passes, sends one message; records the attempt as a touchpoint and reports what
    /// happened and why (see the remarks of <see cref="ChannelDispatcher"/>).
    /// </summary>
    /// <param name="tenantId">The tenant sending.</param>
    /// <param name="request">The message.</param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>Sent, already sent, refused or failed, with the reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ChannelException"><see cref="CrmErrorCodes.ChannelNotRegistered"/> or <see cref="CrmErrorCodes.ChannelCannotSend"/>.</exception>
    public ValueTask<DispatchResult> DispatchAsync(TenantId tenantId, DispatchRequest request, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(request);
        return DispatchCoreAsync(tenantId, request, cancellationToken);
    }

    /// <summary>
    /// Sends one campaign message to many customers, one dispatch each with key <c>{campaignId}/{channel}/{customerId}</c>
    /// (so running the campaign again sends nothing twice), and streams what happened to each customer and why.
    /// </summary>
    /// <param name="tenantId">The tenant sending.</param>
    /// <param name="campaignId">The campaign: 1 to 128 characters without control characters.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">Why the customers are contacted, usually <see cref="ConsentPurpose.Marketing"/>.</param>
    /// <param name="content">What the message says.</param>
    /// <param name="customers">The customers, each once.</param>
    /// <param name="cancellationToken">Cancels the campaign between customers.</param>
    /// <returns>One result per customer, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="campaignId"/>, <paramref name="content"/> or <paramref name="customers"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant, channel or purpose is the default, or the campaign id breaks its rule.</exception>
    /// <exception cref="ChannelException"><see cref="CrmErrorCodes.ChannelNotRegistered"/> or <see cref="CrmErrorCodes.ChannelCannotSend"/>.</exception>
    public IAsyncEnumerable<DispatchResult> SendCampaignAsync(
        TenantId tenantId,
        string campaignId,
        ChannelId channel,
        ConsentPurpose purpose,
        MessageContent content,
        IEnumerable<CustomerId> customers,
        CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(campaignId);
        Preconditions.MaxLength(campaignId, MaxCampaignIdLength);
        Preconditions.Check(
            campaignId.Length is > 0 and <= MaxCampaignIdLength && campaignId.Trim().Length == campaignId.Length && !Preconditions.HasControlCharacter(campaignId),
            $"A campaign id is 1 to {MaxCampaignIdLength} characters without control characters or surrounding white space.",
            nameof(campaignId));
        Preconditions.NotDefault(channel);
        Preconditions.NotDefault(purpose);
        Preconditions.NotNull(content);
        Preconditions.NotNull(customers);
        Adapter(channel);
        return SendCampaign(tenantId, campaignId, channel, purpose, content, customers, cancellationToken);
    }

    /// <summary>
    /// Sends one campaign message to a segment: the members of a frozen <see cref="SegmentSnapshot"/> of the snapshot's
    /// tenant, in id order, exactly as <see cref="SendCampaignAsync(TenantId, string, ChannelId, ConsentPurpose, MessageContent, IEnumerable{CustomerId}, CancellationToken)"/>
    /// sends to a list. Use it to send to an audience chosen by a segment rule: the snapshot fixes who is in the audience,
    /// and consent, quiet hours and frequency caps are still checked for each member when the message is sent, so a member
    /// who withdrew consent after the snapshot was taken is refused, not contacted.
    /// </summary>
    /// <param name="campaignId">The campaign: 1 to 128 characters without control characters.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">Why the customers are contacted, usually <see cref="ConsentPurpose.Marketing"/>.</param>
    /// <param name="content">What the message says.</param>
    /// <param name="audience">The segment's members and tenant.</param>
    /// <param name="cancellationToken">Cancels the campaign between customers.</param>
    /// <returns>One result per member, in id order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="campaignId"/>, <paramref name="content"/> or <paramref name="audience"/> is null.</exception>
    /// <exception cref="ArgumentException">The channel or purpose is the default, or the campaign id breaks its rule.</exception>
    /// <exception cref="ChannelException"><see cref="CrmErrorCodes.ChannelNotRegistered"/> or <see cref="CrmErrorCodes.ChannelCannotSend"/>.</exception>
    public IAsyncEnumerable<DispatchResult> SendCampaignToSegmentAsync(
        string campaignId,
        ChannelId channel,
        ConsentPurpose purpose,
        MessageContent content,
        SegmentSnapshot audience,
        CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(audience);
        return SendCampaignAsync(audience.TenantId, campaignId, channel, purpose, content, audience.Members, cancellationToken);
    }

    /// <summary>
    /// Tries every pending message of the tenant again — those whose adapter failed with a retryable error, those
    /// refused on retry by quiet hours or a frequency cap, and those interrupted mid-send — re-running every check
    /// (consent may have been withdrawn meanwhile). Messages delivered, refused for good or failed for good leave the
    /// store. Run it on a schedule.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels between messages.</param>
    /// <returns>One result per pending message.</returns>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public IAsyncEnumerable<DispatchResult> RetryPendingAsync(TenantId tenantId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        return Retry(tenantId, cancellationToken);
    }

    private async IAsyncEnumerable<DispatchResult> SendCampaign(
        TenantId tenantId,
        string campaignId,
        ChannelId channel,
        ConsentPurpose purpose,
        MessageContent content,
        IEnumerable<CustomerId> customers,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var customerId in customers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var request = new DispatchRequest(customerId, channel, purpose, CrmFunction.Marketing, content, $"{campaignId}/{channel}/{customerId}", campaignId: campaignId);
            yield return await DispatchCoreAsync(tenantId, request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<DispatchResult> Retry(TenantId tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new List<PendingDispatch>();
        await foreach (var entry in _pending.StreamAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            pending.Add(entry);
        }

        foreach (var entry in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DispatchLog.DispatchRetrying(_logger, entry.Request.CustomerId, entry.Request.Channel, entry.Attempts, tenantId);
            yield return await DispatchCoreAsync(tenantId, entry.Request, cancellationToken).ConfigureAwait(false);
        }
    }

    private IChannelAdapter Adapter(ChannelId channel)
    {
        if (!_adapters.TryGetValue(channel, out var adapter))
        {
            throw new ChannelException(CrmErrorCodes.ChannelNotRegistered, channel, "no channel adapter is registered for this channel id.");
        }

        return adapter.Descriptor.CanSend
            ? adapter
            : throw new ChannelException(CrmErrorCodes.ChannelCannotSend, channel, "the channel carries inbound contacts only.");
    }

    private async ValueTask<DispatchResult> DispatchCoreAsync(TenantId tenantId, DispatchRequest request, CancellationToken cancellationToken)
    {
        using var activity = DispatchDiagnostics.Start(tenantId, request);
        DispatchResult result;
        try
        {
            result = await DispatchCheckedAsync(tenantId, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (CrmTracing.Fail(activity, e))
        {
            throw;
        }

        ChannelTelemetry.Record(request, result);
        DispatchDiagnostics.Completed(activity, _logger, tenantId, request, result);
        return result;
    }

    private async ValueTask<DispatchResult> DispatchCheckedAsync(TenantId tenantId, DispatchRequest request, CancellationToken cancellationToken)
    {
        var adapter = Adapter(request.Channel);
        var descriptor = adapter.Descriptor;
        var key = request.DispatchKey;
        var now = _clock.GetCurrentInstant();
        var pending = await _pending.FindAsync(tenantId, key, cancellationToken).ConfigureAwait(false);

        // The delivered touchpoint's source: looked up now, recorded under after a delivery (built and checked once).
        var deliveredSource = new ExternalIdentifier(DeliveredSource, key);
        if (await _touchpoints.FindBySourceAsync(tenantId, deliveredSource, cancellationToken).ConfigureAwait(false) is { } delivered)
        {
            await RemovePendingAsync(pending, cancellationToken).ConfigureAwait(false);
            return new DispatchResult(request.CustomerId, key, DispatchOutcome.AlreadySent, $"already delivered on {request.Channel} under this dispatch key at {delivered.OccurredAt}", touchpoint: delivered);
        }

        var customer = await _customers.FindAsync(tenantId, request.CustomerId, cancellationToken).ConfigureAwait(false);
        if (customer is null)
        {
            await RemovePendingAsync(pending, cancellationToken).ConfigureAwait(false);
            return new DispatchResult(request.CustomerId, key, DispatchOutcome.Refused, $"customer {request.CustomerId} does not exist", DispatchRefusal.CustomerNotFound);
        }

        var recipient = Recipient(customer, request, descriptor.ContactPointKind);
        if (recipient is null)
        {
            return await RefuseAsync(DispatchRefusal.NoContactPoint, $"the customer has no {(request.Recipient is null ? "primary " : "such ")}{descriptor.ContactPointKind} contact point for {request.Channel}").ConfigureAwait(false);
        }

        var permission = customer.MayContact(request.Purpose, request.Channel, recipient, now);
        if (!permission.IsAllowed)
        {
            return await RefuseAsync(
                permission.Answer == ContactAnswer.Refused ? DispatchRefusal.ConsentRefused : DispatchRefusal.NoLawfulBasis,
                $"{request.Purpose} on {request.Channel}: {permission}",
                permission).ConfigureAwait(false);
        }

        var zone = customer.HomeTimeZone ?? _policy.DefaultTimeZone;
        if (_policy.QuietHours is { } quiet && quiet.IsQuietAt(now, zone))
        {
            var local = now.InZone(zone);
            return await RefuseAsync(
                DispatchRefusal.QuietHours,
                $"it is {local.TimeOfDay:HH':'mm} in {zone.Id}{(customer.HomeTimeZone is null ? " (the default zone: the customer has none)" : "")}, within quiet hours {quiet}",
                permission,
                quiet.NextAllowed(now, zone)).ConfigureAwait(false);
        }

        if (_policy.FrequencyCaps.TryGetValue(request.Channel, out var cap))
        {
            var (count, oldest) = await CountDeliveredAsync(tenantId, request.CustomerId, cap, now, cancellationToken).ConfigureAwait(false);
            if (count >= cap.MaxContacts)
            {
                return await RefuseAsync(DispatchRefusal.FrequencyCap, $"the frequency cap of {cap} is reached ({count} delivered)", permission, oldest + cap.Window).ConfigureAwait(false);
            }
        }

        var attempts = (pending?.Attempts ?? 0) + 1;
        await _pending.SaveAsync(new PendingDispatch(tenantId, request, attempts, now), cancellationToken).ConfigureAwait(false);
        var message = new OutboundMessage(tenantId, request.CustomerId, request.Channel, recipient, request.Purpose, request.Function, request.Content, key, request.CampaignId);
        DeliveryResult delivery;
        try
        {
            delivery = await adapter.SendAsync(message, cancellationToken).ConfigureAwait(false)
                       ?? DeliveryResult.Retryable("the adapter returned no result");
        }
#pragma warning disable CA1031 // An adapter that throws instead of reporting a failure must not lose the message: it stays pending for retry.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            delivery = DeliveryResult.Retryable($"the adapter threw {e.GetType().Name}");
        }

        if (delivery.IsDelivered)
        {
            var touchpoint = await RecordAsync(deliveredSource, TouchpointOutcome.Delivered, descriptor.CostPerContact).ConfigureAwait(false);
            await _pending.RemoveAsync(tenantId, key, cancellationToken).ConfigureAwait(false);
            return new DispatchResult(request.CustomerId, key, attempts, permission, delivery, touchpoint);
        }

        var failed = await RecordAsync(AttemptSource(FailedSource), TouchpointOutcome.Failed, null).ConfigureAwait(false);
        var retryable = delivery.Status == DeliveryStatus.FailedRetryable;
        if (retryable)
        {
            await _pending.SaveAsync(new PendingDispatch(tenantId, request, attempts, now, delivery.Reason), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _pending.RemoveAsync(tenantId, key, cancellationToken).ConfigureAwait(false);
        }

        return new DispatchResult(
            request.CustomerId,
            key,
            DispatchOutcome.Failed,
            $"{request.Channel} failed {(retryable ? "(kept for retry)" : "for good")} on attempt {attempts}: {delivery.Reason}",
            null,
            permission,
            delivery,
            failed,
            keptForRetry: retryable);

        async ValueTask<DispatchResult> RefuseAsync(DispatchRefusal refusal, string reason, ContactPermission? permission = null, Instant? notBefore = null)
        {
            var touchpoint = await RecordAsync(AttemptSource(RefusedSource), TouchpointOutcome.Refused, null).ConfigureAwait(false);
            var keep = pending is not null && refusal is DispatchRefusal.QuietHours or DispatchRefusal.FrequencyCap;
            if (keep)
            {
                await _pending.SaveAsync(new PendingDispatch(tenantId, request, pending!.Attempts, pending.LastAttemptAt, $"refused: {refusal}"), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RemovePendingAsync(pending, cancellationToken).ConfigureAwait(false);
            }

            return new DispatchResult(request.CustomerId, key, DispatchOutcome.Refused, reason, refusal, permission, touchpoint: touchpoint, keptForRetry: keep, notBefore: notBefore);
        }

        ExternalIdentifier AttemptSource(string source) => new(source, $"{key}@{InstantPattern.ExtendedIso.Format(now)}");

        // The attempt is recorded against the customer read above (the pipeline does not read it a second time).
        async ValueTask<Touchpoint> RecordAsync(ExternalIdentifier source, TouchpointOutcome outcome, Money? cost)
            => (await _ingestion.RecordForAsync(tenantId, customer, new NewTouchpoint
            {
                CustomerId = request.CustomerId,
                Channel = request.Channel,
                Direction = InteractionDirection.Outbound,
                Function = request.Function,
                Kind = request.Kind,
                OccurredAt = now,
                Source = source,
                Outcome = outcome,
                Cost = cost,
                CampaignId = request.CampaignId,
            }, cancellationToken).ConfigureAwait(false)).Touchpoint!;
    }

    private static ContactPoint? Recipient(Customer customer, DispatchRequest request, ContactPointKind kind)
    {
        var points = customer.ContactPoints;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (point.Kind == kind && (request.Recipient is null ? point.IsPrimary : point.Value.Equals(request.Recipient)))
            {
                return point.Value;
            }
        }

        return null;
    }

    private ValueTask RemovePendingAsync(PendingDispatch? pending, CancellationToken cancellationToken)
        => pending is null ? ValueTask.CompletedTask : RemoveAsync(pending, cancellationToken);

    private async ValueTask RemoveAsync(PendingDispatch pending, CancellationToken cancellationToken)
        => await _pending.RemoveAsync(pending.TenantId, pending.DispatchKey, cancellationToken).ConfigureAwait(false);

    /// <summary>Counts the customer's delivered outbound messages on the cap's channel in the window ending now, and the oldest of them.</summary>
    private async ValueTask<(int Count, Instant Oldest)> CountDeliveredAsync(TenantId tenantId, CustomerId customerId, FrequencyCap cap, Instant now, CancellationToken cancellationToken)
    {
        var since = now - cap.Window;
        var filter = new TimelineFilter([customerId], from: since, channels: [cap.Channel]);
        var count = 0;
        var oldest = now;
        await foreach (var page in _touchpoints.TimelinePagesAsync(tenantId, filter, CapPageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var touchpoint in page)
            {
                if (touchpoint.Direction == InteractionDirection.Outbound && touchpoint.Outcome == TouchpointOutcome.Delivered
                    && touchpoint.OccurredAt > since && touchpoint.OccurredAt <= now)
                {
                    count++;
                    oldest = touchpoint.OccurredAt < oldest ? touchpoint.OccurredAt : oldest;
                }
            }
        }

        return (count, oldest);
    }
}
