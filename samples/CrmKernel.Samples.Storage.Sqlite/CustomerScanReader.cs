using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;
using NodaTime;
using SQLitePCL;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Reads <see cref="CustomerScanRow"/>s straight from the columns of <see cref="CustomerSql.SelectScanPage"/>, with no
/// <see cref="Customers.CustomerSnapshot"/>, no child-table reads and no string built per row, by the technique of
/// <see cref="TouchpointScanReader"/>: the statement is stepped through <c>SQLitePCL.raw</c> and each text column is read
/// as the UTF-8 bytes SQLite holds. The lifecycle history document is walked with a <see cref="Utf8JsonReader"/> that
/// keeps only each transition's target stage and time (and the first one's source stage); stages are parsed once per
/// distinct value and call. A value that does not parse throws <see cref="InvalidStoredStateException"/> naming the table
/// and the customer, as <see cref="CustomerRowReader"/> does.
/// </summary>
/// <remarks>
/// Only what a row holds is read and checked: the snapshot path also checks the values this one skips (the profile, a
/// home time zone's TZDB id, each transition's rule, trigger, reason and actor), so a row whose skipped values are
/// corrupt still scans.
/// </remarks>
internal sealed class CustomerScanReader
{
    private const string Table = "customers";

    // The columns of CustomerSql.SelectScanPage.
    private const int IdColumn = 0;
    private const int CreatedAtColumn = 1;
    private const int HasZoneColumn = 2;
    private const int HasContactPointColumn = 3;
    private const int HasIdentifierColumn = 4;
    private const int HistoryColumn = 5;

    private static ReadOnlySpan<byte> FromProperty => "from"u8;

    private static ReadOnlySpan<byte> ToProperty => "to"u8;

    private static ReadOnlySpan<byte> AtProperty => "at"u8;

    private readonly List<(byte[] Bytes, LifecycleStage Stage)> _stages = [];
    private readonly List<LifecycleStageEntry> _entries = [];

    private CustomerScanReader()
    {
    }

    /// <summary>Runs the page's statement on <paramref name="session"/> and reads its rows.</summary>
    public static IReadOnlyList<CustomerScanRow> ReadPage(SqliteSession session, TenantId tenantId, string after, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var db = session.Connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, CustomerSql.SelectScanPage.Text, out var statement));
        try
        {
            Check(db, raw.sqlite3_bind_text(statement, 1, tenantId.Value));
            Check(db, raw.sqlite3_bind_text(statement, 2, after));
            Check(db, raw.sqlite3_bind_int(statement, 3, limit));
            var reader = new CustomerScanReader();
            var rows = new List<CustomerScanRow>(Math.Min(limit, 1_024));
            while (true)
            {
                var rc = raw.sqlite3_step(statement);
                if (rc == raw.SQLITE_DONE)
                {
                    return rows;
                }

                if (rc != raw.SQLITE_ROW)
                {
                    throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
                }

                rows.Add(reader.Read(statement));
            }
        }
        finally
        {
            statement.Dispose();
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
        }
    }

    private CustomerScanRow Read(sqlite3_stmt s)
    {
        var idBytes = raw.sqlite3_column_blob(s, IdColumn);
        if (!TryParseId(idBytes, out var id))
        {
            throw Invalid(Encoding.UTF8.GetString(idBytes), "id is not a customer id (a non-empty GUID).");
        }

        var createdAtBytes = raw.sqlite3_column_blob(s, CreatedAtColumn);
        if (!TouchpointScanReader.TryParseInstant(createdAtBytes, out var createdAt) && !ColumnText.TryParseInstant(Encoding.UTF8.GetString(createdAtBytes), out createdAt))
        {
            throw Invalid(id.ToString(), "created_at is not an ISO-8601 UTC instant.");
        }

        LifecycleStage? createdIn = null;
        _entries.Clear();
        var history = raw.sqlite3_column_blob(s, HistoryColumn);
        if (!history.IsEmpty)
        {
            try
            {
                createdIn = ReadHistory(history);
            }
            catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException)
            {
                throw Invalid(id.ToString(), "the lifecycle columns are not valid lifecycle JSON.", e);
            }
        }

        return new CustomerScanRow(
            id,
            createdAt,
            hasContactPoint: raw.sqlite3_column_int(s, HasContactPointColumn) != 0,
            hasHomeTimeZone: raw.sqlite3_column_int(s, HasZoneColumn) != 0,
            hasExternalIdentifier: raw.sqlite3_column_int(s, HasIdentifierColumn) != 0,
            createdIn,
            CollectionsMarshal.AsSpan(_entries));
    }

    /// <summary>
    /// Walks the history document (an array of transition objects, see <see cref="LifecycleRows"/>) into
    /// <see cref="_entries"/>; returns the first transition's source stage, or null for an empty array.
    /// </summary>
    private LifecycleStage? ReadHistory(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray);
        LifecycleStage? createdIn = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(reader.TokenType == JsonTokenType.StartObject);
            LifecycleStage? from = null;
            LifecycleStage? to = null;
            Instant? at = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                Expect(reader.TokenType == JsonTokenType.PropertyName);
                if (reader.ValueTextEquals(ToProperty))
                {
                    Expect(reader.Read());
                    to = Stage(ref reader);
                }
                else if (reader.ValueTextEquals(AtProperty))
                {
                    Expect(reader.Read() && reader.TokenType == JsonTokenType.String);
                    at = reader.ValueIsEscaped || reader.HasValueSequence || !TryParseExtendedIso(reader.ValueSpan, out var parsed)
                        ? NodaTime.Text.InstantPattern.ExtendedIso.Parse(reader.GetString()!).GetValueOrThrow()
                        : parsed;
                }
                else if (createdIn is null && _entries.Count == 0 && reader.ValueTextEquals(FromProperty))
                {
                    Expect(reader.Read());
                    from = Stage(ref reader);
                }
                else
                {
                    Expect(reader.Read());
                    reader.Skip();
                }
            }

            Expect(to is not null && at is not null && (_entries.Count > 0 || from is not null));
            createdIn ??= from;
            _entries.Add(new LifecycleStageEntry(to!.Value, at!.Value));
        }

        return createdIn;
    }

    private LifecycleStage Stage(ref Utf8JsonReader reader)
    {
        Expect(reader.TokenType == JsonTokenType.String);
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return new LifecycleStage(reader.GetString()!);
        }

        var bytes = reader.ValueSpan;
        foreach (var (known, stage) in _stages)
        {
            if (bytes.SequenceEqual(known))
            {
                return stage;
            }
        }

        var parsed = new LifecycleStage(Encoding.UTF8.GetString(bytes));
        if (_stages.Count < 64)
        {
            _stages.Add((bytes.ToArray(), parsed));
        }

        return parsed;
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new FormatException("The lifecycle history is not an array of transitions with from, to and at.");
        }
    }

    /// <summary>Parses a lower-case "D" GUID from its bytes (any other form through <see cref="CustomerId.TryParse(string?, out CustomerId)"/>).</summary>
    private static bool TryParseId(ReadOnlySpan<byte> text, out CustomerId id)
    {
        if (Utf8Parser.TryParse(text, out Guid guid, out var consumed, 'D') && consumed == text.Length)
        {
            id = guid == Guid.Empty ? default : new CustomerId(guid);
            return guid != Guid.Empty;
        }

        return CustomerId.TryParse(Encoding.UTF8.GetString(text), out id);
    }

    /// <summary>
    /// Parses the extended ISO form the history is written in, <c>uuuu-MM-ddTHH:mm:ss[.f…]Z</c> with 0 to 9 fractional
    /// digits, years 0 to 9999; false for anything else (the caller then parses the text with NodaTime's pattern).
    /// </summary>
    private static bool TryParseExtendedIso(ReadOnlySpan<byte> text, out Instant instant)
    {
        instant = default;
        if (text.Length < 20 || text.Length > 30 || text[^1] != 'Z')
        {
            return false;
        }

        var nanoseconds = 0;
        if (text.Length > 20)
        {
            var fraction = text[20..^1];
            if (text[19] != '.' || fraction.IsEmpty)
            {
                return false;
            }

            foreach (var b in fraction)
            {
                var d = b - '0';
                if ((uint)d > 9)
                {
                    return false;
                }

                nanoseconds = (nanoseconds * 10) + d;
            }

            for (var i = fraction.Length; i < 9; i++)
            {
                nanoseconds *= 10;
            }
        }

        Span<byte> fixedForm = stackalloc byte[30];
        text[..19].CopyTo(fixedForm);
        ".000000000Z"u8.CopyTo(fixedForm[19..]);
        if (!TouchpointScanReader.TryParseInstant(fixedForm, out var seconds))
        {
            return false;
        }

        instant = seconds.PlusNanoseconds(nanoseconds);
        return true;
    }

    private static InvalidStoredStateException Invalid(string customerId, string reason, Exception? innerException = null)
        => new(Table, customerId, reason, innerException);
}
