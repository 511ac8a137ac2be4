using CrmKernel.Diagnostics;

namespace CrmKernel.Services.Import;

/// <summary>
/// The import source lacks a column the <see cref="ImportMapping"/> names (<c>CRM-IMPORT-006</c>): a whole-source error,
/// raised before any row of that source layout is stored. Fix the mapping or the source's header.
/// </summary>
public sealed class ImportMappingException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="column">The column the mapping names and the source lacks.</param>
    /// <exception cref="ArgumentNullException"><paramref name="column"/> is null.</exception>
    public ImportMappingException(string column)
        : base(CrmErrorCodes.ImportMissingColumn, $"The import source has no column '{Preconditions.NotNull(column)}' that the mapping names.")
    {
        Column = column;
    }

    /// <summary>The missing column.</summary>
    public string Column { get; }
}
