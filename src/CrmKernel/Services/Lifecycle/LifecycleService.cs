using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Services.Lifecycle;

/// <summary>
/// Lifecycle commands and queries: use it to move a customer by an explicit command (e.g. the customer asks to leave)
/// and to stream the transitions of a period for funnel metrics. Registered by <c>AddCrmKernel</c>. Transitions caused
/// by touchpoints are applied when the touchpoints are recorded (<c>TouchpointIngestion</c>); time-driven transitions
/// by <see cref="LifecycleEvaluator"/>.
/// </summary>
/// <remarks>
/// A command that loses an optimistic-concurrency race is retried from a fresh read, up to <see cref="MaxAttempts"/>
/// times; events are published after the commit.
/// </remarks>
public sealed class LifecycleService
{
    /// <summary>
    /// How often a customer write that lost an optimistic-concurrency race is tried from a fresh read — by lifecycle
    /// commands, lifecycle evaluation and touchpoint ingestion alike.
    /// </summary>
    public const int MaxAttempts = 5;

    private readonly CustomerRepository _repository;

    /// <summary>Creates the service (DI does this for you).</summary>
    /// <param name="customers">The repository: it loads and commits the customers, its clock stamps commands, and it
    /// publishes the events (logging publish failures after a commit, event 1201).</param>
    /// <param name="model">The lifecycle model.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> or <paramref name="model"/> is null.</exception>
    public LifecycleService(CustomerRepository customers, LifecycleModel model)
    {
        _repository = Preconditions.NotNull(customers);
        Model = Preconditions.NotNull(model);
    }

    /// <summary>The model the service applies.</summary>
    public LifecycleModel Model { get; }

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
            var transition = customer.ApplyLifecycleCommand(Model, command, actor, reason);
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
