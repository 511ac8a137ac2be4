using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Benchmarks.Storage;

/// <summary>
/// The baseline: what a user would write instead of <c>InMemoryCustomerStore</c> for one tenant. The same
/// snapshots in three plain dictionaries behind one lock. It does less than the store, on purpose: it keeps
/// the caller's snapshot as is (no defensive copy), keeps no id order (no keyset paging), records no events
/// (no outbox) and allows one customer per contact point.
/// </summary>
internal sealed class PlainDictionaryCustomerStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CustomerId, CustomerSnapshot> _byId = [];
    private readonly Dictionary<ExternalIdentifier, CustomerId> _byIdentifier = [];
    private readonly Dictionary<ContactPoint, CustomerId> _byContactPoint = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>Inserts a new customer; a taken id or external identifier is an error, as in the store.</summary>
    public void Insert(CustomerSnapshot snapshot)
    {
        lock (_gate)
        {
            foreach (var identifier in snapshot.ExternalIdentifiers)
            {
                if (_byIdentifier.TryGetValue(identifier, out var holder) && holder != snapshot.Id)
                {
                    throw new InvalidOperationException("The external identifier is taken.");
                }
            }

            if (!_byId.TryAdd(snapshot.Id, snapshot))
            {
                throw new InvalidOperationException("The customer exists.");
            }

            foreach (var identifier in snapshot.ExternalIdentifiers)
            {
                _byIdentifier[identifier] = snapshot.Id;
            }

            foreach (var point in snapshot.ContactPoints)
            {
                _byContactPoint[point.Value] = snapshot.Id;
            }
        }
    }

    public CustomerSnapshot? Find(CustomerId id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public CustomerSnapshot? FindByExternalIdentifier(ExternalIdentifier identifier)
    {
        lock (_gate)
        {
            return _byIdentifier.TryGetValue(identifier, out var id) ? _byId[id] : null;
        }
    }

    public CustomerSnapshot? FindByContactPoint(ContactPoint contactPoint)
    {
        lock (_gate)
        {
            return _byContactPoint.TryGetValue(contactPoint, out var id) ? _byId[id] : null;
        }
    }

    /// <summary>Reads every snapshot, holding the lock for the whole scan; returns a checksum so nothing is optimised away.</summary>
    public long Scan()
    {
        var sum = 0L;
        lock (_gate)
        {
            foreach (var snapshot in _byId.Values)
            {
                sum += Checksum.Of(snapshot);
            }
        }

        return sum;
    }

    /// <summary>Rebuilds every customer from its snapshot, holding the lock for the whole scan.</summary>
    public long ScanRehydrated(IClock clock)
    {
        var sum = 0L;
        lock (_gate)
        {
            foreach (var snapshot in _byId.Values)
            {
                sum += Checksum.Of(Customer.Rehydrate(snapshot, clock));
            }
        }

        return sum;
    }
}

/// <summary>What every scan does with each customer: reads two fields, so the work cannot be optimised away.</summary>
internal static class Checksum
{
    public static long Of(CustomerSnapshot snapshot) => snapshot.Version + snapshot.ContactPoints.Count;

    public static long Of(Customer customer) => customer.Version + customer.ContactPoints.Count;
}
