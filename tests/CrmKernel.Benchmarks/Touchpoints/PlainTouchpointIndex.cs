using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Benchmarks.Touchpoints;

/// <summary>
/// What a user would write instead of the store: a dictionary by source key for idempotency and a list per
/// customer for the timeline, under one lock. No id index, no ordering of late arrivals, no conflict detection
/// beyond "key already taken" — the baseline the store's overhead is measured against.
/// </summary>
internal sealed class PlainTouchpointIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ExternalIdentifier, Touchpoint> _bySource = [];
    private readonly Dictionary<CustomerId, List<Touchpoint>> _byCustomer = [];

    public int Count => _bySource.Count;

    public int Append(IReadOnlyList<Touchpoint> batch)
    {
        var appended = 0;
        lock (_gate)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var touchpoint = batch[i];
                if (!_bySource.TryAdd(touchpoint.Source, touchpoint))
                {
                    continue;
                }

                if (!_byCustomer.TryGetValue(touchpoint.CustomerId, out var timeline))
                {
                    _byCustomer[touchpoint.CustomerId] = timeline = [];
                }

                timeline.Add(touchpoint);
                appended++;
            }
        }

        return appended;
    }

    public long AppendAll(Touchpoint[][] batches)
    {
        long appended = 0;
        foreach (var batch in batches)
        {
            appended += Append(batch);
        }

        return appended;
    }
}
