using CrmKernel.Customers;
using CrmKernel.Diagnostics;

namespace CrmKernel.Storage;

/// <summary>
/// What <see cref="ICustomerStore.CommitAsync"/> stores in one atomic step: a customer's new state, the
/// version it was read at, and the events its change raised. <c>CustomerRepository</c> builds it;
/// adapters read it.
/// </summary>
public sealed class CustomerCommit
{
    /// <summary>Creates a commit.</summary>
    /// <param name="customer">The new state; its <see cref="CustomerSnapshot.Version"/> must be <paramref name="expectedVersion"/> + 1.</param>
    /// <param name="expectedVersion">The stored version the change was made from; 0 for a new customer.</param>
    /// <param name="events">The events to store in the outbox with the state, all of the customer's tenant.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The versions do not match, the version is negative, or an event belongs to another tenant.</exception>
    public CustomerCommit(CustomerSnapshot customer, long expectedVersion, IReadOnlyList<CrmEventEnvelope> events)
    {
        Preconditions.NotNull(customer);
        Preconditions.NotNull(events);
        Preconditions.Check(expectedVersion >= 0, "The expected version cannot be negative.", nameof(expectedVersion));
        Preconditions.Check(customer.Version == expectedVersion + 1, "The customer's version must be the expected version plus one.", nameof(customer));
        Preconditions.Check(customer.TenantId != default && customer.Id != default, "The customer's tenant and id must not be empty.", nameof(customer));
        foreach (var e in events)
        {
            Preconditions.Check(e is not null && e.TenantId == customer.TenantId, "Every event must belong to the customer's tenant.", nameof(events));
        }

        Customer = customer;
        ExpectedVersion = expectedVersion;
        Events = events;
    }

    /// <summary>
    /// Creates the commit that stores a customer's pending changes: its current state with the next version,
    /// and its pending events. <c>CustomerRepository.SaveAsync</c> uses it; adapter tests can too.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    public static CustomerCommit Create(Customer customer)
    {
        Preconditions.NotNull(customer);
        var version = customer.Version + 1;
        var state = customer.ToSnapshot(version);
        var events = new CrmEventEnvelope[customer.PendingEvents.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = CustomerEventJson.ToEnvelope(customer.PendingEvents[i], version);
        }

        return new CustomerCommit(state, customer.Version, events);
    }

    /// <summary>The customer's new state.</summary>
    public CustomerSnapshot Customer { get; }

    /// <summary>The version the change was made from: 0 means insert.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version stored by this commit (<see cref="ExpectedVersion"/> + 1).</summary>
    public long NewVersion => ExpectedVersion + 1;

    /// <summary>True when this commit inserts a new customer.</summary>
    public bool IsInsert => ExpectedVersion == 0;

    /// <summary>The events to store in the outbox together with the state.</summary>
    public IReadOnlyList<CrmEventEnvelope> Events { get; }
}
