using CrmKernel.Customers;
using CrmKernel.Events;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// The one implementation of "store a touchpoint and the lifecycle change it causes to its customer in one commit",
/// shared by <see cref="TouchpointRecorder"/> (single and bulk) and <see cref="LifecycleRecorder"/>: re-delivery applies
/// nothing twice, a lost optimistic-concurrency race is retried from a fresh read, events are published after commit.
/// </summary>
internal sealed class LifecycleIngestion
{
    private readonly ITouchpointStore _touchpoints;
    private readonly ICustomerStore _customers;
    private readonly ICustomerTouchpointStore _atomic;
    private readonly IClock _clock;
    private readonly CustomerRepository _repository;
    private readonly ILogger _logger;

    internal LifecycleIngestion(ICustomerStore customers, ITouchpointStore touchpoints, ICustomerTouchpointStore atomic, LifecycleModel model, IClock clock, ICrmEventPublisher? publisher, ICrmOutbox? outbox, ILogger? logger)
    {
        _customers = customers;
        _touchpoints = touchpoints;
        _atomic = atomic;
        Model = model;
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
        _repository = new CustomerRepository(customers, clock, publisher, outbox, _logger);
    }

    internal LifecycleModel Model { get; }

    /// <summary>
    /// Stores <paramref name="recorded"/> and its customer's lifecycle change atomically. When the customer does not exist:
    /// throws <see cref="CustomerNotFoundException"/> if <paramref name="requireCustomer"/>, else stores nothing and returns null.
    /// </summary>
    internal async ValueTask<LifecycleRecordResult?> RecordAsync(TenantId tenantId, Touchpoint recorded, bool requireCustomer, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var customer = await _repository.FindAsync(tenantId, recorded.CustomerId, cancellationToken).ConfigureAwait(false);
            if (customer is null)
            {
                return requireCustomer ? throw new CustomerNotFoundException(tenantId, recorded.CustomerId) : null;
            }

            var transitions = customer.ApplyTouchpoint(Model, recorded);
            var commit = Changed(customer) ? CustomerCommit.Create(customer) : null;
            TouchpointAppendResult result;
            try
            {
                result = await _atomic.AppendWithCustomerAsync(tenantId, recorded, commit, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < LifecycleRecorder.MaxAttempts)
            {
                IngestionLog.ConcurrencyRetry(_logger, recorded.CustomerId, attempt + 1, LifecycleRecorder.MaxAttempts, tenantId);
                continue;
            }

            if (result.Appended == 1)
            {
                await CommittedAsync(tenantId, customer, commit, cancellationToken).ConfigureAwait(false);
                return new LifecycleRecordResult(recorded, false, transitions, customer.LifecycleStageIn(Model));
            }

            var stored = await _touchpoints.FindBySourceAsync(tenantId, recorded.Source, cancellationToken).ConfigureAwait(false);
            if (result.AlreadyPresent.Count == 1 && stored is not null)
            {
                var current = await _repository.GetAsync(tenantId, recorded.CustomerId, cancellationToken).ConfigureAwait(false);
                return new LifecycleRecordResult(stored, true, [], current.LifecycleStageIn(Model));
            }

            throw new TouchpointConflictException(tenantId, recorded.Source, stored?.Id);
        }
    }

    /// <summary>
    /// Stores one existing customer's share of a bulk ingestion (<paramref name="touchpoints"/>, in occurred-at order) with
    /// the customer's lifecycle change in one commit. Touchpoints the store reports as already present or conflicting are
    /// taken out (reported through <paramref name="present"/> and <paramref name="conflicts"/> as indexes into the list)
    /// and the rest is applied again from a fresh read, so nothing is counted twice.
    /// </summary>
    /// <returns>How many touchpoints were stored.</returns>
    internal async ValueTask<int> RecordCustomerBatchAsync(TenantId tenantId, CustomerSnapshot snapshot, List<Touchpoint> touchpoints, List<int> present, List<int> conflicts, CancellationToken cancellationToken)
    {
        // Indexes into touchpoints still to store; the list shrinks only when the store reports a touchpoint it cannot take.
        var remaining = new List<int>(touchpoints.Count);
        for (var i = 0; i < touchpoints.Count; i++)
        {
            remaining.Add(i);
        }

        var pending = touchpoints;
        var customer = Customer.Rehydrate(snapshot, _clock);
        for (var attempt = 1; ;)
        {
            foreach (var touchpoint in pending)
            {
                customer.ApplyTouchpoint(Model, touchpoint);
            }

            var commit = Changed(customer) ? CustomerCommit.Create(customer) : null;
            TouchpointAppendResult result;
            try
            {
                result = await _atomic.AppendManyWithCustomerAsync(tenantId, pending, commit, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < LifecycleRecorder.MaxAttempts)
            {
                attempt++;
                IngestionLog.ConcurrencyRetry(_logger, snapshot.Id, attempt, LifecycleRecorder.MaxAttempts, tenantId);
                customer = await ReloadAsync().ConfigureAwait(false);
                if (customer is null)
                {
                    return await AppendPlainAsync().ConfigureAwait(false);
                }

                continue;
            }

            if (result.Appended == pending.Count)
            {
                await CommittedAsync(tenantId, customer, commit, cancellationToken).ConfigureAwait(false);
                return pending.Count;
            }

            // Nothing was stored: take out what cannot be appended and apply the rest to a fresh copy of the customer.
            foreach (var i in result.AlreadyPresent)
            {
                present.Add(remaining[i]);
            }

            foreach (var i in result.Conflicts)
            {
                conflicts.Add(remaining[i]);
            }

            var taken = new HashSet<int>(result.AlreadyPresent.Concat(result.Conflicts));
            remaining = [.. remaining.Where((_, i) => !taken.Contains(i))];
            pending = [.. remaining.Select(i => touchpoints[i])];
            if (pending.Count == 0)
            {
                return 0;
            }

            customer = await ReloadAsync().ConfigureAwait(false);
            if (customer is null)
            {
                return await AppendPlainAsync().ConfigureAwait(false);
            }
        }

        async ValueTask<Customer?> ReloadAsync()
            => await _repository.FindAsync(tenantId, snapshot.Id, cancellationToken).ConfigureAwait(false);

        // The customer was erased in between: its touchpoints are kept as plain ones, as for an unknown customer.
        async ValueTask<int> AppendPlainAsync()
        {
            var result = await _touchpoints.AppendAsync(tenantId, pending, cancellationToken).ConfigureAwait(false);
            present.AddRange(result.AlreadyPresent.Select(i => remaining[i]));
            conflicts.AddRange(result.Conflicts.Select(i => remaining[i]));
            return result.Appended;
        }
    }

    private static bool Changed(Customer customer) => customer.PendingEvents.Count > 0 || customer.HasUnsavedLifecycleFacts;

    private async ValueTask CommittedAsync(TenantId tenantId, Customer customer, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        var events = customer.PendingEvents.ToArray<ICrmEvent>();
        if (commit is not null)
        {
            customer.MarkCommitted(commit.NewVersion);
        }

        await _repository.PublishAsync(tenantId, events, cancellationToken).ConfigureAwait(false);
    }
}
