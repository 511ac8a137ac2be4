using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>The argument rules of the kernel's store contracts, as every store applies them.</summary>
internal static class StoreArguments
{
    /// <summary>The largest page or batch a single store call returns (the kernel's limit).</summary>
    public const int MaxLimit = StoreLimits.MaxPageSize;

    public static void NotDefault(TenantId tenantId, string parameterName)
    {
        if (tenantId == default)
        {
            throw new ArgumentException("The tenant must not be the default (empty) TenantId.", parameterName);
        }
    }

    public static void NotDefault(CustomerId customerId, string parameterName)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default (empty) CustomerId.", parameterName);
        }
    }

    public static void NotDefault(TouchpointId touchpointId, string parameterName)
    {
        if (touchpointId == default)
        {
            throw new ArgumentException("The touchpoint id must not be the default (empty) TouchpointId.", parameterName);
        }
    }

    public static void NotDefault(RelationshipId relationshipId, string parameterName)
    {
        if (relationshipId == default)
        {
            throw new ArgumentException("The relationship id must not be the default (empty) RelationshipId.", parameterName);
        }
    }

    /// <summary>Any other strongly typed id (opportunities, sales pipelines).</summary>
    public static void NotDefault<TId>(TId id, string parameterName)
        where TId : struct, IEquatable<TId>
    {
        if (id.Equals(default))
        {
            throw new ArgumentException($"The id must not be the default (empty) {typeof(TId).Name}.", parameterName);
        }
    }

    public static void CheckLimit(int limit, string parameterName)
    {
        if (limit < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, limit, $"The limit must be 1 to {MaxLimit}.");
        }

        CheckBatch(limit, MaxLimit, parameterName);
    }

    /// <summary>Rejects a batch of more than <paramref name="limit"/> items (one of the kernel's <see cref="StoreLimits"/>) as the kernel's stores do.</summary>
    public static void CheckBatch(int count, int limit, string parameterName)
    {
        if (count > limit)
        {
            throw new InputLimitExceededException(parameterName, limit, count, "items");
        }
    }
}
