namespace CrmKernel.Services.Import;

/// <summary>What one <see cref="CustomerImporter.ImportAsync"/> run did: row counts, what it stored, and the error report.</summary>
public sealed class ImportResult
{
    /// <summary>How many row errors a result lists; further errors are counted in <see cref="ImportProgress.RowsRejected"/> but not listed.</summary>
    public const int ReportedErrorLimit = 10_000;

    internal ImportResult(ImportProgress totals, long customersStored, long touchpointsStored, IReadOnlyList<ImportRowError> errors)
    {
        Totals = totals;
        CustomersStored = customersStored;
        TouchpointsStored = touchpointsStored;
        Errors = errors;
    }

    /// <summary>The final row counts and checkpoint.</summary>
    public ImportProgress Totals { get; }

    /// <summary>How many customers this run stored.</summary>
    public long CustomersStored { get; }

    /// <summary>How many touchpoints this run stored.</summary>
    public long TouchpointsStored { get; }

    /// <summary>The refused rows' errors in line order (every error of a row), at most <see cref="ReportedErrorLimit"/>.</summary>
    public IReadOnlyList<ImportRowError> Errors { get; }
}
