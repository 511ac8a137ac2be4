using System.Runtime.CompilerServices;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CrmKernel.Services.Customers;

/// <summary>
/// Loads and saves customers through whatever <see cref="ICustomerStore"/> the host configured: the
/// service application code uses to find customers, stream a tenant's base and save changes. Resolve it
/// from DI after <c>services.AddCrmKernel(b => b.UseInMemoryStores())</c> (or another store).
/// </summary>
/// <remarks>
/// <see cref="SaveAsync"/> commits the customer's new state and its pending events in one store call, and
/// only then hands the events to the <see cref="ICrmEventPublisher"/>. A failed commit publishes nothing and
/// leaves the customer as it was (still holding its pending events, so it can be saved again after a retry).
/// </remarks>
public sealed class CustomerRepository
{
    /// <summary>How many customers one bulk-import batch holds.</summary>
    public const int ImportBatchSize = 1_000;

    private readonly ICustomerStore _store;
    private readonly IClock _clock;
    private readonly ICrmEventPublisher _publisher;

    /// <summary>The store, for services in the kernel that read snapshots without rebuilding customers.</summary>
    internal ICustomerStore Store => _store;

    /// <summary>The clock customers are rebuilt and stamped with.</summary>
    internal IClock Clock => _clock;
    private readonly ICrmOutbox? _outbox;
    private readonly ILogger _logger;

    /// <summary>Creates the repository (DI does this for you).</summary>
    /// <param name="store">The customer store.</param>
    /// <param name="clock">The clock customers use for later changes.</param>
    /// <param name="publisher">Where events go after a commit; null publishes nowhere.</param>
    /// <param name="outbox">The store's outbox, marked as published after a successful publish; null when the store has none.</param>
    /// <param name="logger">Where publish failures (event 1201) are logged; DI passes the host's, none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="clock"/> is null.</exception>
    public CustomerRepository(ICustomerStore store, IClock clock, ICrmEventPublisher? publisher = null, ICrmOutbox? outbox = null, ILogger<CustomerRepository>? logger = null)
        : this(store, clock, publisher, outbox, (ILogger?)logger)
    {
    }

    /// <summary>A repository inside another service, logging in that service's category.</summary>
    internal CustomerRepository(ICustomerStore store, IClock clock, ICrmEventPublisher? publisher, ICrmOutbox? outbox, ILogger? logger)
    {
        _store = Preconditions.NotNull(store);
        _clock = Preconditions.NotNull(clock);
        _publisher = publisher ?? NullCrmEventPublisher.Instance;
        _outbox = outbox;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Finds a customer by id; null when the tenant has none.</summary>
    /// <exception cref="ArgumentException">The tenant or id is the default.</exception>
    /// <exception cref="InvalidStoredStateException">The stored customer is not valid.</exception>
    public async ValueTask<Customer?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        var snapshot = await _store.FindAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : Customer.Rehydrate(snapshot, _clock);
    }

    /// <summary>Gets a customer by id.</summary>
    /// <exception cref="ArgumentException">The tenant or id is the default.</exception>
    /// <exception cref="CustomerNotFoundException">The tenant has no such customer.</exception>
    public async ValueTask<Customer> GetAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken = default)
        => await FindAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false)
           ?? throw new CustomerNotFoundException(tenantId, customerId);

    /// <summary>Finds the customer holding a source system's identifier; null when none does.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="identifier"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public async ValueTask<Customer?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(identifier);
        var snapshot = await _store.FindByExternalIdentifierAsync(tenantId, identifier, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : Customer.Rehydrate(snapshot, _clock);
    }

    /// <summary>Finds every customer holding a contact point (e.g. an email address), in id order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="contactPoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public async ValueTask<IReadOnlyList<Customer>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(contactPoint);
        var snapshots = await _store.ListByContactPointAsync(tenantId, contactPoint, cancellationToken).ConfigureAwait(false);
        return [.. snapshots.Select(s => Customer.Rehydrate(s, _clock))];
    }

    /// <summary>Counts the tenant's customers.</summary>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken = default)
        => _store.CountAsync(Preconditions.NotDefault(tenantId), cancellationToken);

    /// <summary>
    /// Streams every customer of a tenant in id (creation) order, reading keyset pages of
    /// <paramref name="pageSize"/> so memory stays flat however large the base. Customers inserted while the
    /// stream runs appear if their id sorts after the current position; none is ever skipped or repeated.
    /// </summary>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="pageSize"/> is more than <see cref="StoreLimits.MaxPageSize"/> (<c>CRM-INPUT-001</c>).</exception>
    public IAsyncEnumerable<Customer> StreamAsync(TenantId tenantId, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(pageSize, nameof(pageSize));
        return Stream(tenantId, pageSize, cancellationToken);
    }

    /// <summary>
    /// Saves a customer's pending changes: commits its new state and events atomically, then publishes the
    /// events. A customer without pending events is not written.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer changed in the store since it was read; nothing was saved.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer holds one of its identifiers; nothing was saved.</exception>
    public async ValueTask SaveAsync(Customer customer, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(customer);
        if (customer.PendingEvents.Count == 0 && !customer.HasUnsavedLifecycleFacts)
        {
            return;
        }

        var commit = CustomerCommit.Create(customer);
        using (var activity = StorageDiagnostics.StartCommit(commit))
        {
            try
            {
                await _store.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (CrmTracing.Fail(activity, e))
            {
                throw;
            }
        }

        var events = customer.PendingEvents.ToArray<ICrmEvent>();
        customer.MarkCommitted(commit.NewVersion);
        await PublishAsync(customer.TenantId, events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the store imports a batch in one call (it is an <see cref="ICustomerBulkStore"/>): the one place the
    /// repository asks for the capability. <see cref="ImportAsync"/> works either way, one commit per customer without it.
    /// </summary>
    public bool SupportsBulkImport => _store is ICustomerBulkStore;

    /// <summary>
    /// Imports new customers (never stored before, all of <paramref name="tenantId"/>) in batches of
    /// <see cref="ImportBatchSize"/>, through the store's <see cref="ICustomerBulkStore"/> when it has one.
    /// Idempotent: customers already stored are counted and left unchanged, so an interrupted import can be
    /// run again. Rejected customers are reported with their position; every other customer is kept.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> is null or holds null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a customer was stored before or belongs to another tenant.</exception>
    public async ValueTask<BulkImportResult> ImportAsync(TenantId tenantId, IEnumerable<Customer> customers, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(customers);
        var total = new BulkImportResult(0, [], []);
        var offset = 0;
        foreach (var batch in customers.Chunk(ImportBatchSize))
        {
            foreach (var customer in batch)
            {
                Preconditions.Check(customer is not null, "The customers must not contain null.", nameof(customers));
                Preconditions.Check(customer!.TenantId == tenantId, "Every customer must belong to the tenant imported into.", nameof(customers));
                Preconditions.Check(customer.Version == 0, "Only customers never stored before can be imported.", nameof(customers));
            }

            var commits = batch.Select(CustomerCommit.Create).ToArray();
            var result = SupportsBulkImport
                ? await ((ICustomerBulkStore)_store).ImportAsync(tenantId, commits, cancellationToken).ConfigureAwait(false)
                : await ImportOneByOneAsync(commits, cancellationToken).ConfigureAwait(false);

            var notInserted = result.Rejected.Select(r => r.Index).Concat(result.AlreadyPresent).ToHashSet();
            var published = new List<ICrmEvent>();
            for (var i = 0; i < batch.Length; i++)
            {
                if (!notInserted.Contains(i))
                {
                    published.AddRange(batch[i].PendingEvents);
                    batch[i].MarkCommitted(commits[i].NewVersion);
                }
            }

            await PublishAsync(tenantId, published, cancellationToken).ConfigureAwait(false);
            total = total.Add(result, offset);
            offset += batch.Length;
        }

        return total;
    }

    private async ValueTask<BulkImportResult> ImportOneByOneAsync(CustomerCommit[] commits, CancellationToken cancellationToken)
    {
        var inserted = 0;
        var present = new List<int>();
        var rejected = new List<BulkImportRejection>();
        for (var i = 0; i < commits.Length; i++)
        {
            try
            {
                await _store.CommitAsync(commits[i], cancellationToken).ConfigureAwait(false);
                inserted++;
            }
            catch (ConcurrencyConflictException)
            {
                present.Add(i);
            }
            catch (ExternalIdentifierConflictException e)
            {
                rejected.Add(new BulkImportRejection(i, commits[i].Customer.Id, e.ErrorCode));
            }
        }

        return new BulkImportResult(inserted, present, rejected);
    }

    private async IAsyncEnumerable<Customer> Stream(TenantId tenantId, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in _store.CustomerPagesAsync(tenantId, pageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var snapshot in page)
            {
                yield return Customer.Rehydrate(snapshot, _clock);
            }
        }
    }

    internal async ValueTask PublishAsync(TenantId tenantId, IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await _publisher.PublishAsync(events, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The commit succeeded: a publisher failure must not report the save as failed. The events stay in the outbox for CrmEventRelay.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            CrmTelemetry.PublishFailures.Add(events.Count);
            CustomerRepositoryLog.EventPublishFailed(_logger, e, events.Count, tenantId);
            return;
        }

        if (_outbox is not null)
        {
            await _outbox.MarkPublishedAsync(tenantId, [.. events.Select(e => e.EventId)], cancellationToken).ConfigureAwait(false);
        }
    }
}
