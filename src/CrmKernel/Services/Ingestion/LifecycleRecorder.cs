using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// The entry point for lifecycle commands and queries: applies explicit commands, streams transitions, and records a
/// touchpoint strictly (its customer must exist). Registered by <c>AddCrmKernel</c>. Ordinary ingestion goes through
/// <see cref="TouchpointRecorder"/>, which applies lifecycle transitions in the same commit through the same code.
/// </summary>
/// <remarks>
/// <para>Recording needs a store with the <see cref="ICustomerTouchpointStore"/> capability (the in-memory stores and the
/// SQLite sample have it), so that the touchpoint and the customer change are stored together or not at all. A touchpoint
/// delivered again (same source key and content) is reported as already recorded and applies nothing a second time.</para>
/// <para>When another writer changed the customer in between, the recorder reloads it and tries again, up to
/// <see cref="MaxAttempts"/> times. Events are published after the commit.</para>
/// </remarks>
public sealed class LifecycleRecorder
{
    /// <summary>How often a write that lost an optimistic-concurrency race is retried from a fresh read.</summary>
    public const int MaxAttempts = 5;

    private readonly LifecycleIngestion? _ingestion;
    private readonly LifecycleModel _model;
    private readonly IClock _clock;
    private readonly CustomerRepository _repository;

    /// <summary>Creates the recorder.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="touchpoints">The touchpoint store.</param>
    /// <param name="model">The lifecycle model.</param>
    /// <param name="clock">Stamps recorded touchpoints and commands.</param>
    /// <param name="customerTouchpoints">The atomic capability; required by <see cref="RecordAsync"/>.</param>
    /// <param name="publisher">Receives events after commit; none when null.</param>
    /// <param name="outbox">Marks published events; none when null.</param>
    /// <param name="logger">Where concurrency retries (event 1101) and publish failures (1201) are logged; DI passes the host's, none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/>, <paramref name="touchpoints"/>, <paramref name="model"/> or <paramref name="clock"/> is null.</exception>
    public LifecycleRecorder(
        ICustomerStore customers,
        ITouchpointStore touchpoints,
        LifecycleModel model,
        IClock clock,
        ICustomerTouchpointStore? customerTouchpoints = null,
        ICrmEventPublisher? publisher = null,
        ICrmOutbox? outbox = null,
        ILogger<LifecycleRecorder>? logger = null)
    {
        Preconditions.NotNull(customers);
        Preconditions.NotNull(touchpoints);
        _model = Preconditions.NotNull(model);
        _clock = Preconditions.NotNull(clock);
        _ingestion = customerTouchpoints is null ? null : new LifecycleIngestion(customers, touchpoints, customerTouchpoints, model, clock, publisher, outbox, logger);
        _repository = new CustomerRepository(customers, clock, publisher, outbox, (ILogger?)logger);
    }

    /// <summary>The model the recorder applies.</summary>
    public LifecycleModel Model => _model;

    /// <summary>
    /// Records a touchpoint and, in the same commit, applies the lifecycle transitions it triggers to its customer, and
    /// reports the transitions. Unlike <see cref="TouchpointRecorder.RecordAsync"/> (same storage rules, same code), the
    /// customer must exist; use it when the caller wants the transitions or the resulting stage.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="touchpoint">The touchpoint's details; its customer must exist.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was stored: the touchpoint, whether it was already recorded, and the transitions applied.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default or the touchpoint is invalid.</exception>
    /// <exception cref="NotSupportedException">The stores do not provide <see cref="ICustomerTouchpointStore"/>.</exception>
    /// <exception cref="CustomerNotFoundException">The touchpoint's customer does not exist; nothing was stored.</exception>
    /// <exception cref="TouchpointConflictException">A different touchpoint is stored under the same source key; nothing was stored.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer kept changing under the recorder for <see cref="MaxAttempts"/> attempts; nothing was stored.</exception>
    public async ValueTask<LifecycleRecordResult> RecordAsync(TenantId tenantId, NewTouchpoint touchpoint, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoint);
        var recorded = Touchpoint.Create(tenantId, TouchpointId.New(), _clock.GetCurrentInstant(), touchpoint);
        var ingestion = _ingestion ?? throw new NotSupportedException("Recording a touchpoint with its lifecycle transitions needs a store that implements ICustomerTouchpointStore.");
        return (await ingestion.RecordAsync(tenantId, recorded, requireCustomer: true, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Applies an explicit lifecycle command to a customer (e.g. <see cref="DefaultLifecycleModel.MarkFormer"/> when the
    /// customer asks to leave), stores it and publishes <see cref="LifecycleStageChanged"/>.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="customerId">The customer.</param>
    /// <param name="command">The command's name.</param>
    /// <param name="actor">Who asks (a user or system id).</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The transition applied.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/>, <paramref name="actor"/> or <paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, the model has no such command, or the actor or reason is invalid.</exception>
    /// <exception cref="CustomerNotFoundException">The customer does not exist.</exception>
    /// <exception cref="IllegalLifecycleTransitionException">The model does not allow the command from the customer's stage; nothing changed.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer kept changing for <see cref="MaxAttempts"/> attempts; nothing changed.</exception>
    public async ValueTask<LifecycleTransitionRecord> ApplyCommandAsync(TenantId tenantId, CustomerId customerId, string command, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        Preconditions.NotNull(command);
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        for (var attempt = 1; ; attempt++)
        {
            var customer = await _repository.GetAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);
            var transition = customer.ApplyLifecycleCommand(_model, command, actor, reason);
            try
            {
                await _repository.SaveAsync(customer, cancellationToken).ConfigureAwait(false);
                return transition;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Streams every lifecycle transition of the tenant's customers whose instant falls in <paramref name="period"/>
    /// (start inclusive, end exclusive), customer by customer in id order and oldest first within a customer. This is
    /// the input to funnel conversion metrics. Work is linear in the number of customers.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The transitions with their customers.</returns>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public IAsyncEnumerable<CustomerStageTransition> StreamTransitionsAsync(TenantId tenantId, Interval period, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        return Stream(tenantId, period, cancellationToken);
    }

    private async IAsyncEnumerable<CustomerStageTransition> Stream(TenantId tenantId, Interval period, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var customer in _repository.StreamAsync(tenantId, 500, cancellationToken).ConfigureAwait(false))
        {
            foreach (var transition in customer.Lifecycle.TransitionsIn(period))
            {
                yield return new CustomerStageTransition(customer.Id, transition);
            }
        }
    }
}

/// <summary>What <see cref="LifecycleRecorder.RecordAsync"/> stored.</summary>
public sealed class LifecycleRecordResult
{
    internal LifecycleRecordResult(Touchpoint touchpoint, bool alreadyRecorded, IReadOnlyList<LifecycleTransitionRecord> transitions, LifecycleStage stage)
    {
        Touchpoint = touchpoint;
        AlreadyRecorded = alreadyRecorded;
        Transitions = transitions;
        Stage = stage;
    }

    /// <summary>The stored touchpoint (the earlier one when it was already recorded).</summary>
    public Touchpoint Touchpoint { get; }

    /// <summary>True when the same touchpoint had been recorded before: nothing was stored or applied this time.</summary>
    public bool AlreadyRecorded { get; }

    /// <summary>The transitions this call applied, oldest first; empty when none.</summary>
    public IReadOnlyList<LifecycleTransitionRecord> Transitions { get; }

    /// <summary>The customer's stage after the call.</summary>
    public LifecycleStage Stage { get; }
}

/// <summary>A lifecycle transition together with its customer, as streamed by <see cref="LifecycleRecorder.StreamTransitionsAsync"/>.</summary>
public readonly record struct CustomerStageTransition
{
    /// <summary>Pairs a transition with its customer.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="transition">The transition.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transition"/> is null.</exception>
    public CustomerStageTransition(CustomerId customerId, LifecycleTransitionRecord transition)
    {
        CustomerId = customerId;
        Transition = Preconditions.NotNull(transition);
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The transition.</summary>
    public LifecycleTransitionRecord Transition { get; }
}
