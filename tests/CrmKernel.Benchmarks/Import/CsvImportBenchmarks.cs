using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CrmKernel.Import;
using CrmKernel.Primitives;
using CrmKernel.Samples.Storage.Sqlite;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Import;
using CrmKernel.Services.Ingestion;
using Microsoft.Data.Sqlite;
using nietras.SeparatedValues;
using NodaTime;

namespace CrmKernel.Benchmarks.Import;

/// <summary>
/// Issue 17 §5: importing <see cref="Rows"/> CSV rows of customers (key, given and family name, email, phone, one tag)
/// into a fresh SQLite file through <see cref="CustomerImporter"/> over the SQLite sample adapter, against what a user
/// would write (the baseline): Sep reading the same file and raw Microsoft.Data.Sqlite prepared inserts into a plain
/// customers table, one transaction per 1,000 rows. Rows/s = <see cref="Rows"/> / time.
/// </summary>
/// <remarks>
/// The importer validates every cell through the API's types, builds each customer through the aggregate (events, an
/// external identifier, contact points, a tag), stores it with its events in the adapter's schema (snapshot, indexes,
/// outbox) and is idempotent; the baseline does none of that (it checks nothing and keeps one flat row per customer).
/// Both store every row: counted after every iteration. One invocation per iteration into a fresh file (monitoring).
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class CsvImportBenchmarks : IDisposable
{
    private static readonly TenantId Tenant = new("bench");

    private static readonly ImportMapping Mapping = new()
    {
        SourceSystem = "legacy",
        CustomerKeyColumn = "id",
        GivenNameColumn = "given",
        FamilyNameColumn = "family",
        EmailColumn = "email",
        PhoneColumn = "phone",
        PhoneRegion = "GB",
        TagsColumn = "tags",
    };

    private string _folder = string.Empty;
    private string _csv = string.Empty;
    private string _file = string.Empty;
    private SqliteCrmStore? _store;
    private SqliteConnection? _raw;

    /// <summary>How many CSV rows (one customer each) are imported.</summary>
    [Params(100_000)]
    public int Rows { get; set; }

    /// <summary>Writes the CSV file once.</summary>
    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "crmkernel-bench-import", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _csv = Path.Combine(_folder, "customers.csv");
        WriteCsv(_csv, Rows);
    }

    /// <summary>A fresh file with the adapter's schema.</summary>
    [IterationSetup(Target = nameof(Importer))]
    public void SetUpImporter()
    {
        _store = new SqliteCrmStore(ConnectionString(NewFile()));
        _store.InitializeAsync(default).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A fresh file with a plain customers table.</summary>
    [IterationSetup(Target = nameof(SepAndRawInserts))]
    public void SetUpRaw()
    {
        _raw = new SqliteConnection(ConnectionString(NewFile()));
        _raw.Open();
        using var schema = _raw.CreateCommand();
        schema.CommandText = """
            PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
            CREATE TABLE customers (key TEXT PRIMARY KEY, given TEXT, family TEXT, email TEXT, phone TEXT, tags TEXT);
            """;
        schema.ExecuteNonQuery();
    }

    /// <summary>Baseline: Sep reading, prepared INSERTs, one transaction per 1,000 rows, no validation.</summary>
    [Benchmark(Baseline = true)]
    public int SepAndRawInserts() => ImportRaw(_raw!, _csv);

    /// <summary>The kernel: <see cref="CsvImportSource"/> into <see cref="CustomerImporter"/> over the SQLite adapter.</summary>
    [Benchmark]
    public async Task<long> Importer()
    {
        var clock = SystemClock.Instance;
        var importer = new CustomerImporter(new CustomerRepository(_store!, clock), new TouchpointIngestion(_store!.Touchpoints, clock), clock);
        var result = await importer.ImportAsync(Tenant, Mapping, CsvImportSource.ReadFileAsync(_csv));
        return result.CustomersStored;
    }

    /// <summary>Checks that the iteration stored every row, then closes and deletes its file.</summary>
    [IterationCleanup]
    public void IterationCleanup()
    {
        var stored = _store is not null ? _store.CountAsync(Tenant, default).AsTask().GetAwaiter().GetResult() : Count(_raw!);
        if (stored != Rows)
        {
            throw new InvalidOperationException($"The iteration stored {stored} of {Rows} rows.");
        }

        Close();
    }

    /// <summary>Deletes the benchmark's folder.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        Close();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Both sides once at a given size outside BenchmarkDotNet (<c>-- --import N</c>): rows/s of each, counts asserted.</summary>
    public static async Task RunOnceAsync(int rows)
    {
        using var bench = new CsvImportBenchmarks { Rows = rows };
        bench.GlobalSetup();
        bench.SetUpRaw();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        bench.SepAndRawInserts();
        var raw = watch.Elapsed;
        bench.IterationCleanup();
        bench.SetUpImporter();
        watch.Restart();
        await bench.Importer();
        var kernel = watch.Elapsed;
        bench.IterationCleanup();
        Console.WriteLine(FormattableString.Invariant($"{rows:N0} rows: Sep + raw inserts {raw.TotalSeconds:F1} s ({rows / raw.TotalSeconds:N0} rows/s); CustomerImporter over SQLite {kernel.TotalSeconds:F1} s ({rows / kernel.TotalSeconds:N0} rows/s)"));
    }

    internal static void WriteCsv(string path, int rows)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.Write("id,given,family,email,phone,tags\r\n");
        for (var i = 0; i < rows; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"L-{i},Given{i % 997},\"Family, {i % 1009}\",person{i}@example.com,020 7946 {i % 10_000:D4},segment-{i % 7}\r\n"));
        }
    }

    private static int ImportRaw(SqliteConnection connection, string csv)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(csv);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO customers (key, given, family, email, phone, tags) VALUES ($k, $g, $f, $e, $p, $t)";
        var parameters = new[] { "$k", "$g", "$f", "$e", "$p", "$t" }.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        insert.Prepare();
        var stored = 0;
        var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        var inBatch = 0;
        foreach (var row in reader)
        {
            for (var c = 0; c < parameters.Length; c++)
            {
                parameters[c].Value = row[c].ToString();
            }

            stored += insert.ExecuteNonQuery();
            if (++inBatch == CustomerImporter.BatchSize)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                inBatch = 0;
            }
        }

        transaction.Commit();
        transaction.Dispose();
        return stored;
    }

    private static long Count(SqliteConnection connection)
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM customers";
        return (long)count.ExecuteScalar()!;
    }

    private static string ConnectionString(string file) => new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();

    private string NewFile()
    {
        _file = Path.Combine(_folder, $"{Guid.NewGuid():N}.db");
        return _file;
    }

    private void Close()
    {
        _store?.Dispose();
        _store = null;
        _raw?.Dispose();
        _raw = null;
    }
}
