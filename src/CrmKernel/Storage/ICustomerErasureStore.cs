using CrmKernel.Primitives;
using CrmKernel.Privacy;

namespace CrmKernel.Storage;

/// <summary>
/// The storage capability behind <c>ErasureService</c>: erase everything a store holds about one customer in one atomic
/// step, and keep the proof. A store that keeps several kinds of records (customers, cases, opportunities, outbox,
/// pending messages, merge records, ideas and voice records, and any record a later feature adds that holds a customer's
/// data) implements it once, over all of them: the erasure service asks it to scrub everything it holds about the customer.
/// </summary>
/// <remarks>
/// Contract (proven by <c>CustomerErasureStoreConformanceTests</c>): <see cref="EraseAsync"/>, in one transaction,
/// (1) returns the stored record unchanged when the customer was erased before (idempotent, nothing written);
/// (2) otherwise stores <see cref="CustomerErasure.Commit"/> like <see cref="ICustomerStore.CommitAsync"/> (the
/// pseudonymous shell, with a <see cref="ConcurrencyConflictException"/> when the customer is at another version, and
/// <see cref="CustomerNotFoundException"/> when it is not stored), and replaces the customer's consent ledger with the
/// shell's (evidence and contact-point entries removed);
/// (3) rewrites every service case and opportunity of the customer with <see cref="ErasureDocuments.EraseCase"/> and
/// <see cref="ErasureDocuments.EraseOpportunity"/>;
/// (4) replaces the payload of every stored outbox event that <see cref="ErasureDocuments.ConcernsCustomer"/> with
/// <see cref="ErasureDocuments.RedactedPayload"/> and marks it published (a store that drops published events drops it);
/// (5) removes the customer's pending outbound messages;
/// (6) when it keeps merge records (<see cref="ICustomerMergeStore"/>), rewrites every one naming the customer on either
/// side with <see cref="ErasureDocuments.EraseMerge"/> (both snapshots to pseudonymous shells, marked redacted: such a
/// merge can no longer be undone);
/// (7) when it keeps ideas (<see cref="IIdeaStore"/>), rewrites the text the customer wrote with
/// <see cref="ErasureDocuments.EraseIdea"/> (their ideas' title and description, their comments' text) and
/// <see cref="ErasureDocuments.EraseVoice"/> (their voice records' title and text); and
/// (8) stores and returns <see cref="CustomerErasure.ToRecord"/> with the counts of (3) to (7).
/// Touchpoints, relationships, lifecycle history and segment snapshots hold no personal data beyond ids and are left
/// as they are. A failure changes nothing.
/// </remarks>
public interface ICustomerErasureStore
{
    /// <summary>Erases the customer as described by <paramref name="erasure"/>, or returns the record of an earlier erasure.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="erasure"/> is null.</exception>
    /// <exception cref="CustomerNotFoundException">The customer is not stored.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer changed since the erasure was prepared; prepare it again.</exception>
    ValueTask<ErasureRecord> EraseAsync(CustomerErasure erasure, CancellationToken cancellationToken);

    /// <summary>The record of the customer's erasure, or null when the customer was never erased.</summary>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    ValueTask<ErasureRecord?> FindErasureAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken);
}
