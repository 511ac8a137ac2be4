using CrmKernel.Diagnostics;

namespace CrmKernel.Services.Import;

/// <summary>
/// Why one row of an import was refused: its line number, the column and a stable error code from
/// <see cref="CrmErrorCodes"/> (docs/errors.md). Nothing of a refused row is stored. The message names the column and the
/// code, never the cell's value (it may be personal data).
/// </summary>
public sealed class ImportRowError
{
    internal ImportRowError(long lineNumber, string column, string errorCode, string reason)
    {
        LineNumber = lineNumber;
        Column = column;
        ErrorCode = errorCode;
        Message = $"Line {lineNumber}, column '{column}': {reason} ({errorCode}).";
    }

    /// <summary>The row's line number in the source.</summary>
    public long LineNumber { get; }

    /// <summary>The column at fault (its name in the source).</summary>
    public string Column { get; }

    /// <summary>The stable error code, e.g. <c>CRM-IMPORT-002</c> for an invalid email address.</summary>
    public string ErrorCode { get; }

    /// <summary>A message for people, naming the line, column and code but not the value.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => Message;
}
