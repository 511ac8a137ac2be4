using System.Globalization;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>
/// The CDNOW sample (Fader &amp; Hardie): 2,357 customers of the Q1 1997 cohort, 6,919 purchase lines, 1997-01-01 to
/// 1998-06-30, read from tests/data/cdnow (found by walking up from the test binaries to CrmKernel.sln), together with
/// the published calibration summary. Loaded once per test run.
/// </summary>
internal static class Cdnow
{
    public static readonly LocalDate CalibrationEnd = new(1997, 9, 30);

    public static readonly LocalDate HoldoutEnd = new(1998, 6, 30);

    private static readonly Lazy<PurchaseRecord[]> LazyPurchases = new(LoadPurchases);

    private static readonly Lazy<CustomerBaseSummary> LazySummary = new(
        () => CustomerBaseSummary.Create(Purchases, Currency.USD, DateTimeZone.Utc, CalibrationEnd, SummaryTimeUnit.Weeks, HoldoutEnd));

    private static readonly Lazy<ModelFit<BgNbdModel>> LazyBgNbd = new(() => BgNbdModel.Fit(Summary));

    private static readonly Lazy<ModelFit<ParetoNbdModel>> LazyParetoNbd = new(() => ParetoNbdModel.Fit(Summary));

    private static readonly Lazy<ModelFit<GammaGammaModel>> LazyGammaGamma = new(() => GammaGammaModel.Fit(Summary));

    public static string DataDirectory { get; } = FindDataDirectory();

    /// <summary>One purchase record per line of CDNOW_sample.txt (sample id → <see cref="IdOf"/>, date at noon UTC, dollars), read back from recorded purchase touchpoints.</summary>
    public static PurchaseRecord[] Purchases => LazyPurchases.Value;

    /// <summary>The summary with the published conventions: weeks, calibration to 1997-09-30, holdout to 1998-06-30, UTC.</summary>
    public static CustomerBaseSummary Summary => LazySummary.Value;

    public static ModelFit<BgNbdModel> BgNbd => LazyBgNbd.Value;

    public static ModelFit<ParetoNbdModel> ParetoNbd => LazyParetoNbd.Value;

    public static ModelFit<GammaGammaModel> GammaGamma => LazyGammaGamma.Value;

    /// <summary>A deterministic customer id for a CDNOW sample id, e.g. 00000000-0000-0000-0000-000000000017 for 17; ids sort like the numbers.</summary>
    public static CustomerId IdOf(int sampleId)
        => new(Guid.ParseExact($"00000000-0000-0000-0000-{sampleId:D12}", "D"));

    /// <summary>The rows of a published summary CSV (header skipped; CRLF or LF, with or without a final newline).</summary>
    public static IEnumerable<string[]> PublishedRows(string fileName)
        => File.ReadAllLines(Path.Combine(DataDirectory, fileName))
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.TrimEnd('\r').Split(','));

    /// <summary>
    /// Loads CDNOW through the kernel's normal ingestion path: one purchase touchpoint per line, recorded with
    /// <see cref="TouchpointIngestion"/> (source key = line number), then projected back with
    /// <see cref="PurchaseRecord.FromTouchpoints"/> from each customer's timeline.
    /// </summary>
    private static PurchaseRecord[] LoadPurchases()
    {
        var tenant = new TenantId("cdnow");
        var store = new InMemoryTouchpointStore();
        var ingestion = new TouchpointIngestion(store, new FakeClock(Instant.FromUtc(1998, 7, 1, 0, 0)));
        var lines = new List<NewTouchpoint>(6919);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(Path.Combine(DataDirectory, "CDNOW_sample.txt")))
        {
            // master id, sample id, yyyymmdd, number of CDs, dollar value; whitespace separated.
            lineNumber++;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            var sampleId = int.Parse(fields[1], CultureInfo.InvariantCulture);
            var date = LocalDate.FromDateTime(DateTime.ParseExact(fields[2], "yyyyMMdd", CultureInfo.InvariantCulture));
            var dollars = decimal.Parse(fields[4], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            lines.Add(new NewTouchpoint
            {
                CustomerId = IdOf(sampleId),
                Channel = new ChannelId("web"),
                Direction = InteractionDirection.Inbound,
                Function = CrmFunction.Sales,
                Kind = TouchpointKind.Purchase,
                OccurredAt = date.At(new LocalTime(12, 0)).InUtc().ToInstant(),
                Source = new ExternalIdentifier("cdnow", lineNumber.ToString(CultureInfo.InvariantCulture)),
                Revenue = new Money(dollars, Currency.USD),
            });
        }

        var report = ingestion.RecordManyAsync(tenant, lines).AsTask().GetAwaiter().GetResult();
        if (report.Recorded != lines.Count || report.Invalid.Count > 0)
        {
            throw new InvalidOperationException($"CDNOW ingestion recorded {report.Recorded} of {lines.Count} lines.");
        }

        var timeline = new CustomerTimeline(store);
        var purchases = new List<PurchaseRecord>(lines.Count);
        foreach (var customers in lines.Select(l => l.CustomerId).Distinct().Chunk(TimelineFilter.MaxCustomers))
        {
            var touchpoints = ReadAll(timeline.StreamAsync(tenant, new TimelineFilter(customers)));
            purchases.AddRange(PurchaseRecord.FromTouchpoints(touchpoints, Currency.USD));
        }

        return [.. purchases];
    }

    private static List<Touchpoint> ReadAll(IAsyncEnumerable<Touchpoint> stream)
    {
        var all = new List<Touchpoint>();
        var enumerator = stream.GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                all.Add(enumerator.Current);
            }
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return all;
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
