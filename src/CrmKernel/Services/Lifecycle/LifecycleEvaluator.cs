using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Services.Lifecycle;

/// <summary>
/// Applies time-driven lifecycle transitions (inactivity, e.g. lapsing after 180 days without a purchase) to a whole
/// tenant as of an instant. Run it on a schedule (e.g. nightly); running it twice for the same instant changes
/// nothing the second time. Registered by <c>AddCrmKernel</c>.
/// </summary>
/// <remarks>
/// It streams the tenant's customers page by page, decides from each stored snapshot whether anything is due without
/// rebuilding the customer (no allocation per unchanged customer), and commits only the customers that change, each
/// with its <see cref="LifecycleStageChanged"/> events, publishing each page's events after their commits. Work is
/// linear in the number of customers. A customer changed concurrently is re-read and re-evaluated.
/// </remarks>
public sealed class LifecycleEvaluator
{
    /// <summary>How many customers are read per page.</summary>
    public const int PageSize = 1_000;

    private readonly ICustomerStore _store;
    private readonly LifecycleModel _model;
    private readonly IClock _clock;
    private readonly CustomerRepository _repository;

    /// <summary>Creates the evaluator (DI does this for you).</summary>
    /// <param name="customers">The repository: its store is paged and committed to, its clock stamps changes and says
    /// "now" for <see cref="EvaluateNowAsync(TenantId, CancellationToken)"/>, and it publishes the events (logging publish
    /// failures after a commit, event 1201).</param>
    /// <param name="model">The lifecycle model.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> or <paramref name="model"/> is null.</exception>
    public LifecycleEvaluator(CustomerRepository customers, LifecycleModel model)
    {
        _repository = Preconditions.NotNull(customers);
        _model = Preconditions.NotNull(model);
        _store = customers.Store;
        _clock = customers.Clock;
    }

    /// <summary>Applies the transitions due by the clock's current instant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the run; customers already committed stay committed.</param>
    /// <returns>How many customers were examined and changed.</returns>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public ValueTask<LifecycleEvaluationResult> EvaluateNowAsync(TenantId tenantId, CancellationToken cancellationToken = default)
        => EvaluateAsync(tenantId, _clock.GetCurrentInstant(), cancellationToken);

    /// <summary>Applies the transitions due by <paramref name="asOf"/> to every customer of the tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="asOf">The instant to evaluate at.</param>
    /// <param name="cancellationToken">Cancels the run; customers already committed stay committed.</param>
    /// <returns>How many customers were examined, changed, and skipped because their stage is not in the model.</returns>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public async ValueTask<LifecycleEvaluationResult> EvaluateAsync(TenantId tenantId, Instant asOf, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        long examined = 0, changed = 0, skipped = 0;
        var events = new List<ICrmEvent>();
        await foreach (var page in _store.CustomerPagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < page.Count; i++)
            {
                var snapshot = page[i];
                examined++;
                var stage = snapshot.LifecycleStage ?? _model.InitialStage;
                if (!_model.Declares(stage))
                {
                    skipped++;
                    continue;
                }

                var history = snapshot.LifecycleHistory;
                Instant? last = history.Count == 0 ? null : history[^1].At;
                if (_model.DueInactivityRule(snapshot.Id, stage, snapshot.LifecycleFacts ?? LifecycleFacts.Empty, last, asOf, out _) is null)
                {
                    continue;
                }

                if (await ApplyAsync(snapshot, asOf, events, cancellationToken).ConfigureAwait(false))
                {
                    changed++;
                }
            }

            await _repository.PublishAsync(tenantId, events, cancellationToken).ConfigureAwait(false);
            events.Clear();
        }

        return new LifecycleEvaluationResult(examined, changed, skipped);
    }

    private async ValueTask<bool> ApplyAsync(CustomerSnapshot snapshot, Instant asOf, List<ICrmEvent> events, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var customer = Customer.Rehydrate(snapshot, _clock);
            if (customer.EvaluateLifecycle(_model, asOf).Count == 0)
            {
                return false;
            }

            var commit = CustomerCommit.Create(customer);
            try
            {
                await _store.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < LifecycleService.MaxAttempts)
            {
                snapshot = await _store.FindAsync(snapshot.TenantId, snapshot.Id, cancellationToken).ConfigureAwait(false)
                           ?? throw new CustomerNotFoundException(snapshot.TenantId, snapshot.Id);
                continue;
            }

            events.AddRange(customer.PendingEvents);
            customer.MarkCommitted(commit.NewVersion);
            return true;
        }
    }
}
