using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>The period a reporting period is compared with, and whose activity defines who is at risk at its start.</summary>
internal static class ReportingPeriods
{
    /// <summary>
    /// The previous period: the same number of whole calendar months before when the period is whole months (December's
    /// previous period is November), otherwise the same number of days ending the day before.
    /// </summary>
    public static DateInterval Previous(DateInterval period)
    {
        var start = period.Start;
        var afterEnd = period.End.PlusDays(1);
        if (start.Day == 1 && afterEnd.Day == 1)
        {
            var months = Period.Between(start, afterEnd, PeriodUnits.Months).Months;
            return new DateInterval(start.PlusMonths(-months), start.PlusDays(-1));
        }

        return new DateInterval(start.PlusDays(-period.Length), start.PlusDays(-1));
    }
}
