using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.Services.Import;
using nietras.SeparatedValues;

namespace CrmKernel.Import;

/// <summary>
/// Reads a CSV file (or any text) with a header row into <see cref="ImportRow"/>s for
/// <see cref="CustomerImporter.ImportAsync"/>: RFC 4180 quoting (separators, quotes and line breaks inside quoted
/// cells), a byte-order mark, CRLF or LF line ends. Each row carries the line number it starts on (the header is line 1),
/// which is what errors and checkpoints refer to. Parsing is done by Sep; cells are unescaped and not trimmed (the
/// importer trims).
/// </summary>
public static class CsvImportSource
{
    /// <summary>Reads the rows of CSV text from a reader, streaming: memory stays flat however long the file.</summary>
    /// <param name="reader">The text, starting with the header row; disposed by the caller.</param>
    /// <param name="separator">The cell separator: <c>,</c> unless given (e.g. <c>;</c> or a tab).</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="InputLimitExceededException">(when enumerated) The header has more than <see cref="ImportRow.MaxColumns"/> columns (<c>CRM-INPUT-001</c>).</exception>
    public static IAsyncEnumerable<ImportRow> ReadAsync(TextReader reader, char separator = ',', CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(reader);
        return Read(reader, separator, cancellationToken);
    }

    /// <summary>Reads the rows of a CSV file (UTF-8 unless its byte-order mark says otherwise), streaming.</summary>
    /// <param name="path">The file.</param>
    /// <param name="separator">The cell separator: <c>,</c> unless given.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">(when enumerated) The file does not exist.</exception>
    public static IAsyncEnumerable<ImportRow> ReadFileAsync(string path, char separator = ',', CancellationToken cancellationToken = default)
    {
        Preconditions.NotBlank(path);
        return ReadFile(path, separator, cancellationToken);
    }

    private static async IAsyncEnumerable<ImportRow> ReadFile(string path, char separator, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        await foreach (var row in Read(text, separator, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    private static async IAsyncEnumerable<ImportRow> Read(TextReader text, char separator, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = await Sep.New(separator)
            .Reader(static o => o with { Unescape = true, DisableColCountCheck = true })
            .FromAsync(text, cancellationToken)
            .ConfigureAwait(false);
        var names = reader.Header.ColNames.Select(StripByteOrderMark).ToArray();
        Preconditions.MaxCount(names.Length, ImportRow.MaxColumns, "columns", nameof(text));
        while (await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ToRow(reader, names);
        }
    }

    private static ImportRow ToRow(SepReader reader, string[] names)
    {
        var row = reader.Current;
        var values = new string?[Math.Min(row.ColCount, ImportRow.MaxColumns + 1)];
        for (var i = 0; i < values.Length; i++)
        {
            var span = row[i].Span;
            values[i] = span.IsEmpty ? null : span.ToString();
        }

        return new ImportRow(row.LineNumberFrom, names, values);
    }

    private static string StripByteOrderMark(string name, int index)
        => index == 0 && name.Length > 0 && name[0] == '\uFEFF' ? name[1..] : name;
}
