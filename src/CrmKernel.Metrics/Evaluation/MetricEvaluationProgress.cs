namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// How far a metric evaluation's scan has come: the customers and touchpoints scanned so far. Reported through
/// <see cref="MetricEvaluationRequest.Progress"/> after each customer page; use it to show progress on a long evaluation
/// (divide by the tenant's customer count for a share done).
/// </summary>
public readonly record struct MetricEvaluationProgress
{
    /// <summary>Creates a progress report.</summary>
    /// <param name="customersScanned">Customers scanned so far.</param>
    /// <param name="touchpointsScanned">Touchpoints scanned so far (those up to the scan's look-ahead end).</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public MetricEvaluationProgress(long customersScanned, long touchpointsScanned)
    {
        CustomersScanned = NonNegative(customersScanned, nameof(customersScanned));
        TouchpointsScanned = NonNegative(touchpointsScanned, nameof(touchpointsScanned));
    }

    /// <summary>Customers scanned so far.</summary>
    public long CustomersScanned { get; }

    /// <summary>Touchpoints scanned so far.</summary>
    public long TouchpointsScanned { get; }

    private static long NonNegative(long value, string parameterName)
        => value >= 0 ? value : throw new ArgumentOutOfRangeException(parameterName, value, "A count is zero or more.");
}
