using CrmKernel.Diagnostics;

namespace CrmKernel.Services.Import;

/// <summary>
/// One row of an import source: its line number in the source (what errors and checkpoints refer to) and its cells,
/// aligned with the column names of the source's header. A CSV reader (<c>CrmKernel.Import</c>) produces these; produce
/// them yourself to import from any other source (a database query, a spreadsheet, an API) through
/// <see cref="CustomerImporter"/>.
/// </summary>
/// <remarks>Rows of one source share one column-name list instance, so the importer resolves the mapping once.</remarks>
public sealed class ImportRow
{
    /// <summary>The most cells one row holds.</summary>
    public const int MaxColumns = 1_000;

    /// <summary>Creates a row.</summary>
    /// <param name="lineNumber">The row's line number in the source, 1 or more and increasing along the source (a CSV row spanning lines has the number of its first line).</param>
    /// <param name="columnNames">The source's column names; pass the same instance for every row of a source.</param>
    /// <param name="values">The cells, one per column name; null or blank is an empty cell. A row with fewer or more cells than column names is refused by the importer (<c>CRM-IMPORT-007</c>).</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">The line number is less than 1.</exception>
    /// <exception cref="InputLimitExceededException">There are more than <see cref="MaxColumns"/> columns (<c>CRM-INPUT-001</c>).</exception>
    public ImportRow(long lineNumber, IReadOnlyList<string> columnNames, IReadOnlyList<string?> values)
    {
        Preconditions.Check(lineNumber >= 1, "The line number must be 1 or more.", nameof(lineNumber));
        Preconditions.MaxCount(Preconditions.NotNull(columnNames).Count, MaxColumns, "columns", nameof(columnNames));
        Preconditions.MaxCount(Preconditions.NotNull(values).Count, MaxColumns, "cells", nameof(values));
        LineNumber = lineNumber;
        ColumnNames = columnNames;
        Values = values;
    }

    /// <summary>The row's line number in the source.</summary>
    public long LineNumber { get; }

    /// <summary>The source's column names.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The cells, aligned with <see cref="ColumnNames"/> (the importer refuses a row whose count differs).</summary>
    public IReadOnlyList<string?> Values { get; }
}
