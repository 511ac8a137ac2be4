using CrmKernel.Diagnostics;

namespace CrmKernel.Storage;

/// <summary>The argument rules every store call shares, checked once here for every store and adapter.</summary>
internal static class StoreArguments
{
    /// <summary>The largest page or batch a single store call returns.</summary>
    public const int MaxLimit = StoreLimits.MaxPageSize;

    public static int CheckLimit(int limit, string parameterName)
    {
        if (limit < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, limit, $"The limit must be 1 to {MaxLimit}.");
        }

        return Preconditions.MaxCount(limit, MaxLimit, "items", parameterName);
    }

    /// <summary>Rejects a batch of more than <paramref name="limit"/> items (one of <see cref="StoreLimits"/>).</summary>
    public static void CheckBatch(int count, int limit, string parameterName) => Preconditions.MaxCount(count, limit, "items", parameterName);

    public static void CheckCustomerIds(IReadOnlyCollection<Primitives.CustomerId> customerIds, string parameterName)
    {
        CheckBatch(customerIds.Count, ITouchpointScanStore.MaxCustomers, parameterName);
        if (customerIds.Count < 1)
        {
            throw new ArgumentException($"Give 1 to {ITouchpointScanStore.MaxCustomers} customer ids.", parameterName);
        }

        foreach (var id in customerIds)
        {
            if (id == default)
            {
                throw new ArgumentException("A customer id is the default.", parameterName);
            }
        }
    }
}
