using System.Diagnostics;
using CrmKernel.Diagnostics;
using CrmKernel.Metrics.CustomerBase;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Metrics;

/// <summary>
/// CrmKernel.Metrics' spans (<c>crm.metrics.evaluate</c>, <c>crm.model.fit</c>) on the kernel's activity source name,
/// <see cref="CrmDiagnostics.ActivitySourceName"/>, so one <c>AddSource</c> collects both packages. Tags carry ids,
/// counts and codes only.
/// </summary>
internal static partial class MetricsTelemetry
{
    public const string Evaluate = "crm.metrics.evaluate";
    public const string Fit = "crm.model.fit";

    public static readonly ActivitySource Source = new(CrmDiagnostics.ActivitySourceName, typeof(MetricsTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a <c>crm.model.fit</c> span for <paramref name="model"/> (e.g. <c>BG/NBD</c>); null while nobody listens.</summary>
    public static Activity? StartFit(string model, int customers)
    {
        var activity = Source.StartActivity(Fit);
        if (activity is not null)
        {
            activity.SetTag("crm.model.name", model);
            activity.SetTag("crm.model.customers", customers);
        }

        return activity;
    }

    /// <summary>Tags the span with how the fit went and logs a fit that did not converge, with its issues (event 2001).</summary>
    public static ModelFit<TModel> Fitted<TModel>(Activity? activity, ILogger? logger, string model, ModelFit<TModel> fit)
        where TModel : class
    {
        if (activity is not null)
        {
            activity.SetTag("crm.model.converged", fit.Converged);
            activity.SetTag("crm.model.issues", fit.Issues.ToString());
            activity.SetTag("crm.model.iterations", fit.Iterations);
            activity.SetTag("crm.model.distinct_histories", fit.DistinctHistories);
        }

        if (!fit.Converged && logger is not null)
        {
            FitNotConverged(logger, model, fit.Issues, fit.Iterations, fit.Customers, fit.DistinctHistories);
        }

        return fit;
    }

    /// <summary>Marks the span failed by <paramref name="exception"/> (its type, never its message); returns false for use in an exception filter.</summary>
    public static bool Fail(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.SetTag("error.type", exception.GetType().FullName);
            if (exception is CrmException { ErrorCode: var code })
            {
                activity.SetTag("crm.error.code", code);
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 2001, EventName = "ModelFitNotConverged", Level = LogLevel.Warning,
        Message = "The {Model} fit did not converge ({Issues}) after {Iterations} iterations ({Customers} customers, {DistinctHistories} distinct histories); its parameters are the best point found")]
    private static partial void FitNotConverged(ILogger logger, string model, FitIssues issues, int iterations, int customers, int distinctHistories);
}
