using CrmKernel.Services.Import;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static CrmKernel.Tests.Import.ImportHarness;

namespace CrmKernel.Tests.Import;

/// <summary>
/// Resume and idempotency laws: an import cancelled at any row and resumed from its last checkpoint stores exactly what
/// one uninterrupted import stores (each customer and touchpoint once); a second run stores nothing.
/// </summary>
public sealed class CustomerImporterProperties
{
    /// <summary>A source: each row a customer key from a small pool (so keys repeat across batches), a touchpoint key or none, and whether it is bad.</summary>
    private static readonly Gen<(int Item1, int Item2, int Item3)> Cells =
        Gen.Zip(Gen.Choose(0, 7), Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, 5)), static (k, c) => (k, c.Item1, c.Item2));

    private static readonly Gen<ImportRow[]> Sources =
        Gen.Choose(0, 16).SelectMany(n => Cells.ArrayOf(n))
            .Select(cells => cells.Select((c, i) => Row(
                2 + (2 * i), // not every line is a row: a quoted cell may span lines
                $"C-{c.Item1}",
                ("order", c.Item2 == 0 ? null : $"O-{c.Item1}-{c.Item2}"),
                ("email", c.Item3 == 0 ? "bad" : $"c{c.Item1}@example.com"))).ToArray());

    [Property(MaxTest = 25)]
    public Property CancelledAtAnyRow_ThenResumedFromTheCheckpoint_StoresWhatOneUninterruptedImportStores()
        => Prop.ForAll(Gen.Zip(Sources, Gen.Zip(Gen.Choose(1, 4), Gen.Choose(0, 40)), static (r, c) => (Rows: r, BatchRows: c.Item1, CancelAt: c.Item2)).ToArbitrary(), input =>
        {
            var (rows, batchRows, cancelAt) = input;
            return Run(async () =>
            {
                await using var once = new ImportHarness(batchRows);
                var whole = await once.ImportAsync(rows);

                await using var twice = new ImportHarness(batchRows);
                using var cancel = new CancellationTokenSource();
                ImportProgress? checkpoint = null;
                ImportResult? first = null;
                try
                {
                    first = await twice.Importer.ImportAsync(Tenant, FullMapping, CancelAfter(rows, cancelAt, cancel), progress: new Progress(p => checkpoint = p), cancellationToken: cancel.Token);
                }
                catch (OperationCanceledException)
                {
                }

                var resumed = await twice.ImportAsync(rows, resumeAfterLine: checkpoint?.CheckpointLine ?? 0);
                var state = await twice.StateAsync();
                var again = await twice.ImportAsync(rows);

                // Every row is processed exactly once over the two runs, and counted as the uninterrupted run counts it.
                var done = first?.Totals ?? checkpoint;
                var storedOnce = (done?.RowsRead ?? 0) + resumed.Totals.RowsRead == rows.Length
                    && (done?.RowsStored ?? 0) + resumed.Totals.RowsStored == whole.Totals.RowsStored
                    && (done?.RowsSkipped ?? 0) + resumed.Totals.RowsSkipped == whole.Totals.RowsSkipped
                    && (done?.RowsRejected ?? 0) + resumed.Totals.RowsRejected == whole.Totals.RowsRejected;
                return state == await once.StateAsync()
                    && storedOnce
                    && again.CustomersStored == 0 && again.TouchpointsStored == 0
                    && again.Totals.RowsRejected == whole.Totals.RowsRejected
                    && state == await twice.StateAsync();
            });
        });

    private static async IAsyncEnumerable<ImportRow> CancelAfter(ImportRow[] rows, int count, CancellationTokenSource cancel)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            if (i == count)
            {
                await cancel.CancelAsync();
            }

            await Task.Yield();
            yield return rows[i];
        }
    }

    private static bool Run(Func<Task<bool>> body) => Task.Run(body).GetAwaiter().GetResult();

    private sealed class Progress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
