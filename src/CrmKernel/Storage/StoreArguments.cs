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
}
