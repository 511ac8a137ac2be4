using System.Globalization;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Benchmarks.CustomerBase;

/// <summary>The CDNOW sample from tests/data/cdnow, summarised with the published conventions (weeks, calibration to 1997-09-30).</summary>
internal static class CdnowData
{
    public static CustomerBaseSummary LoadSummary()
    {
        var purchases = new List<PurchaseRecord>(6919);
        foreach (var line in File.ReadLines(Path.Combine(FindDataDirectory(), "CDNOW_sample.txt")))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            var id = new CustomerId(Guid.ParseExact($"00000000-0000-0000-0000-{int.Parse(fields[1], CultureInfo.InvariantCulture):D12}", "D"));
            var date = LocalDate.FromDateTime(DateTime.ParseExact(fields[2], "yyyyMMdd", CultureInfo.InvariantCulture));
            var dollars = decimal.Parse(fields[4], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            purchases.Add(new PurchaseRecord(id, date.At(new LocalTime(12, 0)).InUtc().ToInstant(), new Money(dollars, Currency.USD)));
        }

        return CustomerBaseSummary.Create(purchases, Currency.USD, DateTimeZone.Utc, new LocalDate(1997, 9, 30), SummaryTimeUnit.Weeks, new LocalDate(1998, 6, 30));
    }

    private static string FindDataDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CrmKernel.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "data", "cdnow");
            }
        }

        throw new DirectoryNotFoundException($"No CrmKernel.sln above {AppContext.BaseDirectory}: cannot find tests/data/cdnow.");
    }
}
