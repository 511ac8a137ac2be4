using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Services.Import;

/// <summary>
/// Imports customers (with email, phone, tags and custom attributes) and their touchpoints from any source of
/// <see cref="ImportRow"/>s (a CSV file through <c>CrmKernel.Import</c>, or any <see cref="IAsyncEnumerable{T}"/> you
/// write) through an <see cref="ImportMapping"/>: every cell is validated by the same value types as the API, every bad
/// row is reported with its line, column and error code and nothing of it is stored, good rows are stored in batches of
/// <see cref="BatchSize"/>. Resolve it from DI after choosing a store.
/// </summary>
/// <remarks>
/// <para><b>Idempotent.</b> Customers are keyed by their external identifier (<see cref="ImportMapping.SourceSystem"/> and
/// the key column) and touchpoints by their source key, so running the same source again stores nothing and reports its
/// rows as skipped. An import inserts: a customer already stored under its key is left as it is (its row's touchpoint is
/// still recorded for it).</para>
/// <para><b>Resumable.</b> After every committed batch the progress reports the <see cref="ImportProgress.CheckpointLine"/>;
/// pass it back as <c>resumeAfterLine</c> to skip what is done. Re-running from the start is also safe.</para>
/// <para><b>Store conflicts.</b> A touchpoint whose source key already holds a different touchpoint (<c>CRM-TOUCHPOINT-001</c>)
/// is only found when the batch is committed: its row is reported and its touchpoint not stored, but its customer, valid
/// on its own, is kept.</para>
/// </remarks>
public sealed class CustomerImporter
{
    /// <summary>How many rows one committed batch holds.</summary>
    public const int BatchSize = CustomerRepository.ImportBatchSize;

    private readonly CustomerRepository _customers;
    private readonly TouchpointIngestion _touchpoints;
    private readonly IClock _clock;

    /// <summary>Rows per committed batch; tests lower it to exercise checkpoints on small sources.</summary>
    internal int BatchRows { get; init; } = BatchSize;

    /// <summary>Creates the importer (DI does this for you).</summary>
    /// <param name="customers">Stores the customers, in bulk when the store can.</param>
    /// <param name="touchpoints">Records the touchpoints.</param>
    /// <param name="clock">Stamps the new customers.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CustomerImporter(CustomerRepository customers, TouchpointIngestion touchpoints, IClock clock)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _clock = Preconditions.NotNull(clock);
    }

    /// <summary>
    /// Imports the rows into the tenant, reporting progress after every committed batch. Rows with a line number up to
    /// <paramref name="resumeAfterLine"/> are passed over unread (resume after a cancellation from the last
    /// <see cref="ImportProgress.CheckpointLine"/>).
    /// </summary>
    /// <param name="tenantId">The tenant imported into.</param>
    /// <param name="mapping">Which column holds what.</param>
    /// <param name="rows">The rows, in line order.</param>
    /// <param name="resumeAfterLine">The checkpoint to resume after; 0 imports everything.</param>
    /// <param name="progress">Receives the counts and the checkpoint after every committed batch; none when null.</param>
    /// <param name="cancellationToken">Stops the import between rows; committed batches stay committed.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="progress"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, the resume line is negative, or the mapping is incomplete (no name column, a touchpoint key without the other touchpoint columns, an invalid source system).</exception>
    /// <exception cref="ImportMappingException">The source lacks a mapped column (<c>CRM-IMPORT-006</c>); batches of earlier rows stay committed.</exception>
    /// <exception cref="OperationCanceledException">The import was cancelled; resume from the last reported checkpoint.</exception>
    public async ValueTask<ImportResult> ImportAsync(
        TenantId tenantId,
        ImportMapping mapping,
        IAsyncEnumerable<ImportRow> rows,
        long resumeAfterLine = 0,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(mapping);
        Preconditions.NotNull(rows);
        Preconditions.Check(resumeAfterLine >= 0, "The resume line cannot be negative.", nameof(resumeAfterLine));
        CheckMapping(mapping);

        var run = new ImportRun(tenantId, mapping, _customers, _touchpoints, _clock, resumeAfterLine);
        var batch = new List<ImportRow>(BatchRows);
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Preconditions.Check(row is not null, "The rows must not contain null.", nameof(rows));
            if (row!.LineNumber <= resumeAfterLine)
            {
                continue;
            }

            batch.Add(row);
            if (batch.Count == BatchRows)
            {
                await run.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                progress?.Report(run.Progress());
            }
        }

        if (batch.Count > 0)
        {
            await run.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
            progress?.Report(run.Progress());
        }

        return run.Result();
    }

    private static void CheckMapping(ImportMapping mapping)
    {
        _ = new ExternalIdentifier(mapping.SourceSystem, "key");
        _ = new ExternalIdentifier(mapping.EffectiveTouchpointSourceSystem, "key");
        Preconditions.NotBlank(mapping.CustomerKeyColumn, nameof(mapping));
        Preconditions.Check(
            mapping.GivenNameColumn is not null || mapping.FamilyNameColumn is not null || mapping.OrganizationNameColumn is not null,
            "The mapping needs a given-name, family-name or organisation-name column.",
            nameof(mapping));
        Preconditions.NotNull(mapping.AttributeColumns, nameof(mapping));
        Preconditions.Check(mapping.AttributeColumns.All(a => a is not null), "The attribute columns must not contain null.", nameof(mapping));
        if (mapping.TouchpointKeyColumn is not null)
        {
            Preconditions.Check(
                mapping.ChannelColumn is not null && mapping.TouchpointKindColumn is not null && mapping.FunctionColumn is not null
                && mapping.DirectionColumn is not null && mapping.OccurredAtColumn is not null,
                "A touchpoint key column needs the channel, kind, function, direction and occurred-at columns.",
                nameof(mapping));
        }
    }
}
