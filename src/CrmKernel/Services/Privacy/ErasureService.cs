using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Services.Privacy;

/// <summary>
/// Erases a person's personal data (the right to be forgotten) while keeping the customer as a pseudonymous shell, so
/// that aggregates and past metric values stay as they were. Use it to honour an erasure request: it checks lawful
/// holds (the kernel's open service case and every registered <see cref="ILawfulHoldCheck"/>), then erases everything the
/// <see cref="ICustomerErasureStore"/> holds about the customer in one atomic step and returns the
/// <see cref="ErasureRecord"/> that proves it; then it calls every registered <see cref="IErasureParticipant"/>.
/// Erasing again returns the same record without error. See docs/privacy.md for what is erased and what is kept.
/// </summary>
public sealed class ErasureService
{
    /// <summary>The <see cref="LawfulHold.Holder"/> of the kernel's own holds.</summary>
    public const string KernelHolder = "crm-kernel";

    /// <summary>The kernel's hold: the customer has a service case that is not resolved or closed.</summary>
    public const string OpenServiceCaseHold = "open-service-case";

    private const int CasePageSize = 200;

    /// <summary>How many merges deep a merged-away id's survivor is followed (a chain is acyclic; the bound guards a corrupt store).</summary>
    private const int MaxMergeChain = 1000;

    private readonly ICustomerStore _customers;
    private readonly ICustomerErasureStore _erasures;
    private readonly ICaseStore _cases;
    private readonly IClock _clock;
    private readonly ILawfulHoldCheck[] _holds;
    private readonly IErasureParticipant[] _participants;
    private readonly ICustomerMergeStore? _merges;

    /// <summary>Creates the service.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="erasures">The erasure store over the same data.</param>
    /// <param name="cases">The case store (for the kernel's open-case hold).</param>
    /// <param name="clock">The clock.</param>
    /// <param name="holds">The host's lawful hold checks.</param>
    /// <param name="participants">The host's (and the kernel's) erasure participants.</param>
    /// <param name="merges">The merge store, when the host merges customers: erasing a merged-away id then fails with <c>CRM-PRIV-002</c> naming the survivor instead of <c>CRM-CUSTOMER-010</c>.</param>
    /// <exception cref="ArgumentNullException">A store or the clock is null.</exception>
    public ErasureService(ICustomerStore customers, ICustomerErasureStore erasures, ICaseStore cases, IClock clock, IEnumerable<ILawfulHoldCheck>? holds = null, IEnumerable<IErasureParticipant>? participants = null, ICustomerMergeStore? merges = null)
    {
        _customers = Preconditions.NotNull(customers);
        _erasures = Preconditions.NotNull(erasures);
        _cases = Preconditions.NotNull(cases);
        _clock = Preconditions.NotNull(clock);
        _holds = holds?.ToArray() ?? [];
        _participants = participants?.ToArray() ?? [];
        _merges = merges;
    }

    /// <summary>
    /// Erases the customer's personal data, or returns the record of its earlier erasure. A failure changes nothing.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="customerId">The customer (a person or an organisation) to erase.</param>
    /// <param name="requestedBy">Who runs the erasure: a user or process id, as a slug (e.g. <c>dpo:alice</c>).</param>
    /// <param name="reference">The request's reference in your system (a ticket id, as a slug), or null.</param>
    /// <param name="cancellationToken">Cancels the erasure.</param>
    /// <exception cref="ArgumentNullException"><paramref name="requestedBy"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, or a text is not a slug.</exception>
    /// <exception cref="InputLimitExceededException">A text is longer than <see cref="ErasureRecord.MaxTextLength"/> (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="CustomerNotFoundException">The customer is not stored (<c>CRM-CUSTOMER-010</c>).</exception>
    /// <exception cref="PrivacyException">A lawful hold keeps the data (<c>CRM-PRIV-001</c>), or the customer was merged away (<c>CRM-PRIV-002</c>; <see cref="PrivacyException.SurvivorId"/> names the customer to erase instead).</exception>
    /// <exception cref="ConcurrencyConflictException">The customer changed while the erasure ran; run it again.</exception>
    public async ValueTask<ErasureRecord> EraseAsync(TenantId tenantId, CustomerId customerId, string requestedBy, string? reference = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        Preconditions.NotNull(requestedBy);
        var record = await _erasures.FindErasureAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            var customer = await _customers.FindAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false)
                ?? throw await NotFoundAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);
            var erasure = CustomerErasure.Create(customer, _clock.GetCurrentInstant(), requestedBy, reference);
            if (await FindHoldAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false) is { } hold)
            {
                throw PrivacyException.OnHold(customerId, hold);
            }

            record = await _erasures.EraseAsync(erasure, cancellationToken).ConfigureAwait(false);
        }

        foreach (var participant in _participants)
        {
            await participant.EraseAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    /// <summary>
    /// Why a customer cannot be found: merged away (<c>CRM-PRIV-002</c>, naming the survivor of the chain of active merges,
    /// the customer that now holds its data) or not stored. A merged-away id is never silently replaced by its survivor:
    /// the caller decides to erase the survivor, a customer with data of its own.
    /// </summary>
    private async ValueTask<Exception> NotFoundAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        if (_merges is null || await _merges.FindActiveMergeAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false) is not { } merge)
        {
            return new CustomerNotFoundException(tenantId, customerId);
        }

        var survivor = merge.SurvivorId;
        var hops = 0;
        while (hops++ < MaxMergeChain && await _merges.FindActiveMergeAsync(tenantId, survivor, cancellationToken).ConfigureAwait(false) is { } later)
        {
            survivor = later.SurvivorId;
        }

        return PrivacyException.MergedAway(customerId, survivor, merge.Id);
    }

    /// <summary>The record of the customer's erasure, or null when it was never erased.</summary>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    public ValueTask<ErasureRecord?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken = default)
        => _erasures.FindErasureAsync(Preconditions.NotDefault(tenantId), Preconditions.NotDefault(customerId), cancellationToken);

    /// <summary>The first hold on the customer's data: the kernel's open service case, then the registered checks in order; null when there is none.</summary>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    public async ValueTask<LawfulHold?> FindHoldAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        await foreach (var page in StorePaging.CasePagesAsync((after, ct) => _cases.PageByCustomerAsync(tenantId, customerId, after, CasePageSize, ct), CasePageSize, cancellationToken).ConfigureAwait(false))
        {
            if (page.Any(static c => c.IsActive))
            {
                return new LawfulHold(OpenServiceCaseHold, KernelHolder);
            }
        }

        foreach (var check in _holds)
        {
            if (await check.FindHoldAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false) is { } hold)
            {
                return hold;
            }
        }

        return null;
    }
}
