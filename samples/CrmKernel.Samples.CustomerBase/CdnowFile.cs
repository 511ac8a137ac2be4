using System.Globalization;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Samples.CustomerBase;

/// <summary>Finds and parses CDNOW_sample.txt: whitespace-separated master id, sample id, yyyymmdd, CDs, dollars.</summary>
internal static class CdnowFile
{
    /// <summary>tests/data/cdnow/CDNOW_sample.txt, found by walking up from the program to CrmKernel.sln.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "data", "cdnow", "CDNOW_sample.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("CDNOW_sample.txt not found above the program; pass its path as the first argument.");
    }

    public static IEnumerable<CdnowLine> Read(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (fields.Length != 5)
            {
                throw new FormatException($"Line {lineNumber}: expected 5 fields, found {fields.Length}.");
            }

            yield return new CdnowLine(
                lineNumber,
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                LocalDate.FromDateTime(DateTime.ParseExact(fields[2], "yyyyMMdd", CultureInfo.InvariantCulture)),
                decimal.Parse(fields[4], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>One CDNOW transaction line.</summary>
internal readonly record struct CdnowLine(int LineNumber, int SampleId, LocalDate Date, decimal Dollars)
{
    private static readonly ChannelId Web = new("web");

    /// <summary>A deterministic customer id per sample id (…-000000000017 for 17), so ids sort like the sample ids.</summary>
    public static CustomerId IdOf(int sampleId) => new(Guid.ParseExact($"00000000-0000-0000-0000-{sampleId:D12}", "D"));

    public static long SampleIdOf(CustomerId id) => long.Parse(id.Value.ToString("N")[20..], CultureInfo.InvariantCulture);

    /// <summary>The line as an inbound sales purchase at noon UTC, keyed by its line number.</summary>
    public NewTouchpoint ToTouchpoint() => new()
    {
        CustomerId = IdOf(SampleId),
        Channel = Web,
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Date.At(new LocalTime(12, 0)).InUtc().ToInstant(),
        Source = new ExternalIdentifier("cdnow", LineNumber.ToString(CultureInfo.InvariantCulture)),
        Revenue = new Money(Dollars, Currency.USD),
    };
}
