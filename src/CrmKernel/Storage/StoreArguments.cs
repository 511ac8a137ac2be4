namespace CrmKernel.Storage;

/// <summary>The argument rules every store call shares, checked once here for every store and adapter.</summary>
internal static class StoreArguments
{
    /// <summary>The largest page or batch a single store call returns.</summary>
    public const int MaxLimit = 10_000;

    public static int CheckLimit(int limit, string parameterName)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(parameterName, limit, $"The limit must be 1 to {MaxLimit}.");
        }

        return limit;
    }

    public static void CheckCustomerIds(IReadOnlyCollection<Primitives.CustomerId> customerIds, string parameterName)
    {
        if (customerIds.Count is < 1 or > ITouchpointScanStore.MaxCustomers)
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
