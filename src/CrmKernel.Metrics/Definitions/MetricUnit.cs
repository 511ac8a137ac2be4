namespace CrmKernel.Metrics.Definitions;

/// <summary>What a metric's value measures, which decides how it is shown.</summary>
public enum MetricUnit
{
    /// <summary>A plain ratio, e.g. purchase frequency (orders per customer).</summary>
    Ratio = 1,

    /// <summary>A share held as a fraction 0–1 and shown as a percentage (retention 0.9 is 90 %).</summary>
    Percentage = 2,

    /// <summary>An amount in the reporting currency.</summary>
    Money = 3,

    /// <summary>A number of things (customers, complaints).</summary>
    Count = 4,

    /// <summary>A length of time in seconds.</summary>
    Duration = 5,

    /// <summary>A score on a survey scale (NPS −100..100, CES 1–5 or 1–7).</summary>
    Score = 6,

    /// <summary>A length of time in days (86,400 s each), e.g. a sales cycle.</summary>
    Days = 7,
}
