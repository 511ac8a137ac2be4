using System.Runtime.CompilerServices;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage;

/// <summary>
/// The one keyset-paging loop over the stores' paged reads: asks for the page after the last item of the previous one
/// until a short page says there is no more. Services, metrics and the testing kit walk customers and timelines through
/// it instead of repeating the loop.
/// </summary>
internal static class StorePaging
{
    /// <summary>The tenant's customers in id order, one non-empty page at a time.</summary>
    public static IAsyncEnumerable<IReadOnlyList<CustomerSnapshot>> CustomerPagesAsync(this ICustomerStore store, TenantId tenantId, int pageSize, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(store);
        return Pages<CustomerSnapshot, CustomerId>(
            (after, ct) => store.PageAsync(tenantId, after, pageSize, ct),
            static snapshot => snapshot.Id,
            pageSize,
            cancellationToken);
    }

    /// <summary>The tenant's customers as compact scan rows in id order, one non-empty page at a time.</summary>
    public static IAsyncEnumerable<IReadOnlyList<CustomerScanRow>> CustomerScanPagesAsync(this ICustomerScanStore store, TenantId tenantId, int pageSize, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(store);
        return Pages<CustomerScanRow, CustomerId>(
            (after, ct) => store.PageRowsAsync(tenantId, after, pageSize, ct),
            static row => row.Id,
            pageSize,
            cancellationToken);
    }

    /// <summary>The touchpoints the filter selects in timeline order, one non-empty page at a time.</summary>
    public static IAsyncEnumerable<IReadOnlyList<Touchpoint>> TimelinePagesAsync(this ITouchpointStore store, TenantId tenantId, TimelineFilter filter, int pageSize, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(store);
        return Pages<Touchpoint, TimelinePosition>(
            (after, ct) => store.PageTimelineAsync(tenantId, filter, after, pageSize, ct),
            static touchpoint => touchpoint.Position,
            pageSize,
            cancellationToken);
    }

    /// <summary>Opportunities one keyset page after another (a tenant's or a customer's), one non-empty page at a time.</summary>
    public static IAsyncEnumerable<IReadOnlyList<Sales.Opportunity>> OpportunityPagesAsync(Func<OpportunityId?, CancellationToken, ValueTask<IReadOnlyList<Sales.Opportunity>>> read, int pageSize, CancellationToken cancellationToken)
        => Pages<Sales.Opportunity, OpportunityId>(read, static opportunity => opportunity.Id, pageSize, cancellationToken);

    /// <summary>Service cases one keyset page after another (a tenant's, a customer's or one status's), one non-empty page at a time.</summary>
    public static IAsyncEnumerable<IReadOnlyList<Cases.ServiceCase>> CasePagesAsync(Func<CaseId?, CancellationToken, ValueTask<IReadOnlyList<Cases.ServiceCase>>> read, int pageSize, CancellationToken cancellationToken)
        => Pages<Cases.ServiceCase, CaseId>(read, static serviceCase => serviceCase.Id, pageSize, cancellationToken);

    /// <summary>Prediction markets one keyset page after another (a tenant's or an idea's), one non-empty page at a time.</summary>
    public static IAsyncEnumerable<IReadOnlyList<Innovation.PredictionMarket>> MarketPagesAsync(Func<Innovation.PredictionMarketId?, CancellationToken, ValueTask<IReadOnlyList<Innovation.PredictionMarket>>> read, int pageSize, CancellationToken cancellationToken)
        => Pages<Innovation.PredictionMarket, Innovation.PredictionMarketId>(read, static market => market.Id, pageSize, cancellationToken);

    /// <summary>A tenant's ideas one keyset page after another, in id order, one non-empty page at a time.</summary>
    public static IAsyncEnumerable<IReadOnlyList<Innovation.Idea>> IdeaPagesAsync(this IIdeaStore store, TenantId tenantId, int pageSize, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(store);
        return Pages<Innovation.Idea, IdeaId>((after, ct) => store.PageAsync(tenantId, after, pageSize, ct), static idea => idea.Id, pageSize, cancellationToken);
    }

    /// <summary>A tenant's voice records (ideas and feedback) one keyset page after another, one non-empty page at a time.</summary>
    public static IAsyncEnumerable<IReadOnlyList<Innovation.CustomerVoice>> VoicePagesAsync(this IIdeaStore store, TenantId tenantId, int pageSize, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(store);
        return Pages<Innovation.CustomerVoice, TouchpointId>((after, ct) => store.PageVoicesAsync(tenantId, after, pageSize, ct), static voice => voice.Id, pageSize, cancellationToken);
    }

    private static async IAsyncEnumerable<IReadOnlyList<T>> Pages<T, TKey>(
        Func<TKey?, CancellationToken, ValueTask<IReadOnlyList<T>>> read,
        Func<T, TKey> keyOf,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TKey : struct
    {
        TKey? after = null;
        while (true)
        {
            var page = await read(after, cancellationToken).ConfigureAwait(false);
            if (page.Count > 0)
            {
                yield return page;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            after = keyOf(page[^1]);
        }
    }
}
