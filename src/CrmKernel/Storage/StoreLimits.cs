namespace CrmKernel.Storage;

/// <summary>
/// The size limits of one store call, which every store (the in-memory ones and each adapter) enforces, so that one call
/// never holds an unbounded list in memory or in one database transaction. Use them to size your own pages and batches;
/// services such as <c>CustomerRepository</c> and <c>TouchpointIngestion</c> already stream larger inputs in batches
/// within them. A call over a limit throws <see cref="Diagnostics.InputLimitExceededException"/> (<c>CRM-INPUT-001</c>).
/// </summary>
public static class StoreLimits
{
    /// <summary>
    /// The largest page one call reads (<see cref="ICustomerStore.PageAsync"/>, <see cref="ITouchpointStore.PageTimelineAsync"/>,
    /// <see cref="ICrmOutbox.ListPendingAsync"/>), and the most event ids one <see cref="ICrmOutbox.MarkPublishedAsync"/> marks.
    /// </summary>
    public const int MaxPageSize = 10_000;

    /// <summary>
    /// The most touchpoints one <see cref="ITouchpointStore.AppendAsync"/> or
    /// <see cref="ICustomerTouchpointStore.AppendManyWithCustomerAsync"/> call appends.
    /// </summary>
    public const int MaxAppendBatch = 10_000;

    /// <summary>The most customers one <see cref="ICustomerBulkStore.ImportAsync"/> call imports.</summary>
    public const int MaxImportBatch = 10_000;
}
