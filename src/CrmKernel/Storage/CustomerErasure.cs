using CrmKernel.Consent;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using NodaTime;

namespace CrmKernel.Storage;

/// <summary>
/// What <see cref="ICustomerErasureStore.EraseAsync"/> stores: the pseudonymous shell of one customer (same id, kind,
/// lifecycle, creation time; no profile values, contact points, identifiers, tags, attributes, home time zone or consent
/// evidence) as a customer commit with its <see cref="CustomerErased"/> event, and what the record of the erasure will
/// say. The erasure service builds it with <see cref="Create"/>; adapters read it.
/// </summary>
public sealed class CustomerErasure
{
    /// <summary>The name every erased customer's profile shows.</summary>
    public const string ShellName = CustomerShell.Name;

    private readonly IReadOnlyList<ErasureCount> _customerCounts;

    private CustomerErasure(CustomerCommit commit, Instant at, string requestedBy, string? reference, IReadOnlyList<ErasureCount> customerCounts)
    {
        Commit = commit;
        At = at;
        RequestedBy = requestedBy;
        Reference = reference;
        _customerCounts = customerCounts;
    }

    /// <summary>Prepares the erasure of the stored customer <paramref name="customer"/>.</summary>
    /// <param name="customer">The customer as stored now.</param>
    /// <param name="at">When the erasure happens.</param>
    /// <param name="requestedBy">Who runs it: a user or process id (a slug).</param>
    /// <param name="reference">The request's reference in the host's system (a slug), or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> or <paramref name="requestedBy"/> is null.</exception>
    /// <exception cref="ArgumentException">A text is not a slug, or the customer is not a stored one (version 0).</exception>
    /// <exception cref="InputLimitExceededException">A text is longer than <see cref="ErasureRecord.MaxTextLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static CustomerErasure Create(CustomerSnapshot customer, Instant at, string requestedBy, string? reference)
    {
        Preconditions.NotNull(customer);
        Preconditions.NotNull(requestedBy);
        Preconditions.Check(customer.Version >= 1, "Only a stored customer can be erased.", nameof(customer));

        // Checks the texts now, so that a bad argument fails before anything is stored.
        var check = new ErasureRecord(customer.TenantId, customer.Id, at, customer.Version + 1, requestedBy, reference, []);
        var version = customer.Version + 1;
        var shell = CustomerShell.Of(customer, out var evidence, out var scoped);
        shell = new CustomerSnapshot
        {
            Id = shell.Id,
            TenantId = shell.TenantId,
            Profile = shell.Profile,
            CreatedAt = shell.CreatedAt,
            UpdatedAt = at,
            Version = version,
            LifecycleStage = shell.LifecycleStage,
            LifecycleHistory = shell.LifecycleHistory,
            LifecycleFacts = shell.LifecycleFacts,
            Consents = shell.Consents,
        };
        var erased = CustomerEventJson.ToEnvelope(new CustomerErased(customer.TenantId, customer.Id, at), version);
        ErasureCount[] counts =
        [
            new(ErasureCategories.Profile, 1),
            new(ErasureCategories.ContactPoints, customer.ContactPoints.Count),
            new(ErasureCategories.ExternalIdentifiers, customer.ExternalIdentifiers.Count),
            new(ErasureCategories.Tags, customer.Tags.Count),
            new(ErasureCategories.CustomAttributes, customer.CustomAttributes.Count),
            new(ErasureCategories.HomeTimeZone, customer.HomeTimeZoneId is null ? 0 : 1),
            new(ErasureCategories.ConsentEvidence, evidence),
            new(ErasureCategories.ConsentContactPoints, scoped),
        ];
        return new CustomerErasure(new CustomerCommit(shell, customer.Version, [erased]), at, check.RequestedBy, check.Reference, counts);
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId => Commit.Customer.TenantId;

    /// <summary>The customer to erase.</summary>
    public CustomerId CustomerId => Commit.Customer.Id;

    /// <summary>The shell at the customer's next version, with the <see cref="CustomerErased"/> event; store it like any customer commit.</summary>
    public CustomerCommit Commit { get; }

    /// <summary>The shell alone (<see cref="CustomerCommit.Customer"/> of <see cref="Commit"/>).</summary>
    public CustomerSnapshot Shell => Commit.Customer;

    /// <summary>When the erasure happens.</summary>
    public Instant At { get; }

    /// <summary>Who runs it.</summary>
    public string RequestedBy { get; }

    /// <summary>The request's reference, or null.</summary>
    public string? Reference { get; }

    /// <summary>The record to store, with the counts of what the store itself scrubbed besides the customer record.</summary>
    /// <param name="cases">Service cases rewritten.</param>
    /// <param name="opportunities">Opportunities rewritten.</param>
    /// <param name="events">Outbox events redacted.</param>
    /// <param name="pendingDispatches">Pending outbound messages removed.</param>
    /// <param name="mergeRecords">Merge records naming the customer redacted (<see cref="ErasureDocuments.EraseMerge"/>).</param>
    /// <param name="ideas">Ideas the customer submitted whose title and description were replaced (<see cref="ErasureDocuments.EraseIdea"/>).</param>
    /// <param name="ideaComments">Comments the customer wrote whose text was replaced.</param>
    /// <param name="customerVoices">Voice records of the customer whose title and text were replaced (<see cref="ErasureDocuments.EraseVoice"/>).</param>
    /// <exception cref="ArgumentException">A count is negative.</exception>
    public ErasureRecord ToRecord(int cases, int opportunities, int events, int pendingDispatches, int mergeRecords, int ideas, int ideaComments, int customerVoices)
        => new(
            TenantId,
            CustomerId,
            At,
            Shell.Version,
            RequestedBy,
            Reference,
            [
                .. _customerCounts,
                new(ErasureCategories.Cases, cases),
                new(ErasureCategories.Opportunities, opportunities),
                new(ErasureCategories.Events, events),
                new(ErasureCategories.PendingDispatches, pendingDispatches),
                new(ErasureCategories.MergeRecords, mergeRecords),
                new(ErasureCategories.Ideas, ideas),
                new(ErasureCategories.IdeaComments, ideaComments),
                new(ErasureCategories.CustomerVoices, customerVoices),
            ]);

}
