using System.Buffers;
using System.Globalization;
using System.Text;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Data.Sqlite;
using NodaTime;
using SQLitePCL;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Reads <see cref="TouchpointScanRow"/>s straight from the columns of <see cref="TouchpointSql.SelectScanRows"/>, with no
/// <see cref="Touchpoint"/> and no string built per row: the statement is stepped through SQLite's own API (the
/// <c>SQLitePCL.raw</c> layer Microsoft.Data.Sqlite is built on) and each text column is read as the UTF-8 bytes SQLite
/// holds. The instant is parsed from its bytes; the values that repeat (customer, channel, kind, outcome, currency) are
/// compared with the previous ones byte for byte and parsed and checked once per distinct value and call. A value that
/// does not parse throws <see cref="InvalidStoredStateException"/> naming the table and the customer, as
/// <see cref="TouchpointRowReader"/> does.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite's data reader would turn every text column of every row into a <see cref="string"/>; at a
/// million rows that allocation and decoding cost as much as SQLite's own work, which is why this one statement bypasses it.
/// It runs on the session's connection, so it shares the session's read transaction.
/// </remarks>
internal sealed class TouchpointScanReader
{
    /// <summary>The number of rows after which a batch is yielded.</summary>
    public const int BatchSize = 4_096;

    private const int SqliteNull = 5;

    // The columns of TouchpointSql.SelectScanRows.
    private const int CustomerColumn = 0;
    private const int OccurredAtColumn = 1;
    private const int ChannelColumn = 2;
    private const int DirectionColumn = 3;
    private const int FunctionColumn = 4;
    private const int KindColumn = 5;
    private const int OutcomeColumn = 6;
    private const int ScaleColumn = 7;
    private const int ValueColumn = 8;
    private const int CostColumn = 9;
    private const int RevenueColumn = 10;

    private readonly ValueCache<ChannelId> _channels;
    private readonly ValueCache<TouchpointKind> _kinds;
    private readonly ValueCache<TouchpointOutcome> _outcomes;
    private readonly ValueCache<Currency> _currencies;
    private readonly byte[] _customerBytes = new byte[64];
    private int _customerLength = -1;
    private string? _customerText;
    private CustomerId _customer;

    private TouchpointScanReader()
    {
        var text = new TouchpointScanText();
        _channels = new ValueCache<ChannelId>(text.TryChannel);
        _kinds = new ValueCache<TouchpointKind>(text.TryKind);
        _outcomes = new ValueCache<TouchpointOutcome>(text.TryOutcome);
        _currencies = new ValueCache<Currency>(text.TryCurrency);
    }

    /// <summary>Runs the scan on <paramref name="session"/> and yields its rows in batches of <see cref="BatchSize"/>, reusing one pooled buffer.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> ReadAsync(
        SqliteSession session,
        TenantId tenantId,
        IReadOnlyCollection<CustomerId> customerIds,
        Instant? to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var db = session.Connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, TouchpointSql.SelectScanRows.Text, out var statement));
        var scan = new TouchpointScanReader();
        var buffer = ArrayPool<TouchpointScanRow>.Shared.Rent(BatchSize);
        try
        {
            Check(db, raw.sqlite3_bind_text(statement, 1, tenantId.Value));
            Check(db, raw.sqlite3_bind_text(statement, 2, TouchpointRowReader.JsonArray(customerIds.Distinct().Select(ColumnText.OfId))));
            Check(db, raw.sqlite3_bind_text(statement, 3, to is { } end ? ColumnText.OfInstant(end) : ColumnText.AfterEveryInstant));
            while (true)
            {
                var count = scan.Fill(db, statement, buffer.AsSpan(0, BatchSize));
                if (count > 0)
                {
                    yield return buffer.AsMemory(0, count);
                }

                if (count < BatchSize)
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();

                // SQLite steps synchronously (Microsoft.Data.Sqlite's "async" reads do too); the await only makes this an async iterator.
                await Task.CompletedTask.ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<TouchpointScanRow>.Shared.Return(buffer);
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

    /// <summary>Steps the statement until <paramref name="rows"/> is full or the statement is done; returns the rows read.</summary>
    private int Fill(sqlite3 db, sqlite3_stmt statement, Span<TouchpointScanRow> rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var rc = raw.sqlite3_step(statement);
            if (rc == raw.SQLITE_DONE)
            {
                return i;
            }

            if (rc != raw.SQLITE_ROW)
            {
                throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
            }

            rows[i] = Read(statement);
        }

        return rows.Length;
    }

    private TouchpointScanRow Read(sqlite3_stmt s)
    {
        var customerBytes = raw.sqlite3_column_blob(s, CustomerColumn);
        if (_customerLength < 0 || !customerBytes.SequenceEqual(_customerBytes.AsSpan(0, _customerLength)))
        {
            var text = Encoding.UTF8.GetString(customerBytes);
            if (customerBytes.Length > _customerBytes.Length || !CustomerId.TryParse(text, out var customer) || ColumnText.OfId(customer) != text)
            {
                throw Invalid("customer", "customer_id is not a customer id (a non-empty GUID in lower-case \"D\" format).");
            }

            customerBytes.CopyTo(_customerBytes);
            _customerLength = customerBytes.Length;
            _customerText = text;
            _customer = customer;
        }

        if (!TryParseInstant(raw.sqlite3_column_blob(s, OccurredAtColumn), out var occurredAt))
        {
            throw Invalid(_customerText, "occurred_at is not an ISO-8601 UTC instant with nine fractional digits.");
        }

        if (!_channels.TryGet(raw.sqlite3_column_blob(s, ChannelColumn), out var channel))
        {
            throw Invalid(_customerText, "channel is not a normalised channel id.");
        }

        var direction = raw.sqlite3_column_int(s, DirectionColumn);
        if (direction == 0)
        {
            throw Invalid(_customerText, "direction is neither 'inbound' nor 'outbound'.");
        }

        var function = raw.sqlite3_column_int(s, FunctionColumn);
        if (function == 0)
        {
            throw Invalid(_customerText, "function is not one of marketing, sales, service, innovation.");
        }

        if (!_kinds.TryGet(raw.sqlite3_column_blob(s, KindColumn), out var kind))
        {
            throw Invalid(_customerText, "kind is not a valid kind in normalised form.");
        }

        TouchpointOutcome? outcome = null;
        var outcomeBytes = raw.sqlite3_column_blob(s, OutcomeColumn);
        if (!outcomeBytes.IsEmpty || raw.sqlite3_column_type(s, OutcomeColumn) != SqliteNull)
        {
            outcome = _outcomes.TryGet(outcomeBytes, out var stored)
                ? stored
                : throw Invalid(_customerText, "outcome is not a valid outcome in normalised form.");
        }

        SatisfactionScale? scale = null;
        var value = 0;
        // The scale comes as 0 for NULL, 1-4 for a known scale, -1 for an unknown one; the value as -1 for NULL, 0-10, or 11.
        var storedScale = raw.sqlite3_column_int(s, ScaleColumn);
        var storedValue = raw.sqlite3_column_int(s, ValueColumn);
        if (storedScale != 0 || storedValue != -1)
        {
            if (storedScale <= 0 || storedValue == -1)
            {
                throw Invalid(_customerText, "satisfaction_scale and satisfaction_value are not a known scale and a value, both set or both NULL.");
            }

            scale = (SatisfactionScale)storedScale;
            value = storedValue > 10 ? -1 : storedValue;
        }

        try
        {
            return new TouchpointScanRow(_customer, occurredAt, channel, kind, (CrmFunction)function, (InteractionDirection)direction, outcome, scale, value, Money(s, CostColumn, "cost"), Money(s, RevenueColumn, "revenue"));
        }
        catch (ArgumentException e)
        {
            throw Invalid(_customerText, $"the row breaks a rule of {nameof(TouchpointScanRow)} ({e.ParamName}).", e);
        }
    }

    /// <summary>Reads an amount column of the statement: '' for none, otherwise the amount, a space and the currency code.</summary>
    private Money? Money(sqlite3_stmt s, int column, string name)
    {
        var text = raw.sqlite3_column_blob(s, column);
        if (text.IsEmpty)
        {
            return null;
        }

        var space = text.IndexOf((byte)' ');
        var amountBytes = space < 0 ? text : text[..space];
        if (space < 0 || amountBytes.IsEmpty || amountBytes[0] == (byte)'+'
            || !decimal.TryParse(amountBytes, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw Invalid(_customerText, $"{name}_amount and {name}_currency are not a decimal amount and an upper-case ISO 4217 code, both set or both NULL.");
        }

        return _currencies.TryGet(text[(space + 1)..], out var currency)
            ? new Money(amount, currency)
            : throw Invalid(_customerText, $"{name}_currency is not an upper-case ISO 4217 code.");
    }

    /// <summary>
    /// Parses the store's exact instant form, <c>uuuu-MM-ddTHH:mm:ss.fffffffffZ</c> (what <see cref="ColumnText.OfInstant"/>
    /// writes for years 0 to 9999, the years an ordered key can hold); any other text, or an invalid date or time, fails.
    /// </summary>
    internal static bool TryParseInstant(ReadOnlySpan<byte> text, out Instant instant)
    {
        instant = default;
        if (text.Length != 30 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[29] != 'Z'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second)
            || !TryDigits(text.Slice(20, 9), out var nanoseconds))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        instant = Instant.FromUtc(year, month, day, hour, minute, second).PlusNanoseconds(nanoseconds);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            var d = b - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    private static InvalidStoredStateException Invalid(string? customerText, string reason, Exception? innerException = null)
        => new(TouchpointRowReader.TouchpointsTable, $"customer {customerText}", reason, innerException);

    /// <summary>A text parser of <see cref="TouchpointScanText"/>.</summary>
    private delegate bool TextParser<T>(string? text, out T value);

    /// <summary>
    /// The values a column held so far in this scan, by their UTF-8 bytes: a row's value is found by comparing bytes, and
    /// only a value not seen yet is decoded and parsed. Holds up to <see cref="Capacity"/> values (a column of this many
    /// distinct values is parsed per row past that, correctly but slower).
    /// </summary>
    private sealed class ValueCache<T>(TextParser<T> parse)
    {
        private const int Capacity = 64;

        private readonly List<(byte[] Bytes, T Value)> _entries = [];
        private int _last;

        public bool TryGet(ReadOnlySpan<byte> bytes, out T value)
        {
            if (_last < _entries.Count && bytes.SequenceEqual(_entries[_last].Bytes))
            {
                value = _entries[_last].Value;
                return true;
            }

            for (var i = 0; i < _entries.Count; i++)
            {
                if (bytes.SequenceEqual(_entries[i].Bytes))
                {
                    _last = i;
                    value = _entries[i].Value;
                    return true;
                }
            }

            if (!parse(Encoding.UTF8.GetString(bytes), out value))
            {
                return false;
            }

            if (_entries.Count < Capacity)
            {
                _last = _entries.Count;
                _entries.Add((bytes.ToArray(), value));
            }

            return true;
        }
    }
}
