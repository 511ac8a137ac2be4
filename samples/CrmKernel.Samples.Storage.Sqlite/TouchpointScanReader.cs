using System.Buffers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Reads <see cref="TouchpointScanRow"/>s straight from the columns of <see cref="TouchpointSql.SelectScanRows"/>, with no
/// <see cref="Touchpoint"/> built: the time arrives as integers, and the text values that repeat (customer, channel, kind,
/// outcome, currency) are parsed and checked once per distinct value and call. A value that does not parse throws
/// <see cref="InvalidStoredStateException"/> naming the table and the customer, as <see cref="TouchpointRowReader"/> does.
/// </summary>
internal sealed class TouchpointScanReader
{
    /// <summary>The number of rows after which a batch is yielded.</summary>
    public const int BatchSize = 4_096;

    private readonly TouchpointScanText _text = new();
    private string? _customerText;
    private CustomerId _customer;

    /// <summary>Runs the scan on <paramref name="session"/> and yields its rows in batches of <see cref="BatchSize"/>, reusing one pooled buffer.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> ReadAsync(
        SqliteSession session,
        TenantId tenantId,
        IReadOnlyCollection<CustomerId> customerIds,
        Instant? to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var select = session.Command(TouchpointSql.SelectScanRows);
        var p = select.Parameters;
        p[0].Value = tenantId.Value;
        p[1].Value = TouchpointRowReader.JsonArray(customerIds.Distinct().Select(ColumnText.OfId));
        p[2].Value = to is { } end ? ColumnText.OfInstant(end) : ColumnText.AfterEveryInstant;
        var scan = new TouchpointScanReader();
        var buffer = ArrayPool<TouchpointScanRow>.Shared.Rent(BatchSize);
        try
        {
            var count = 0;
            using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                buffer[count++] = scan.Read(reader);
                if (count == BatchSize)
                {
                    yield return buffer.AsMemory(0, count);
                    count = 0;
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (count > 0)
            {
                yield return buffer.AsMemory(0, count);
            }
        }
        finally
        {
            ArrayPool<TouchpointScanRow>.Shared.Return(buffer);
        }
    }

    private TouchpointScanRow Read(SqliteDataReader reader)
    {
        // customer_id, seconds, nanoseconds, channel, direction (1, 2), function (1-4), kind, outcome, satisfaction scale (0-4), satisfaction_value,
        // cost_amount, cost_currency, revenue_amount, revenue_currency
        var customerText = reader.GetString(0);
        if (!string.Equals(customerText, _customerText, StringComparison.Ordinal))
        {
            if (!CustomerId.TryParse(customerText, out var customer) || ColumnText.OfId(customer) != customerText)
            {
                throw Invalid("customer", "customer_id is not a customer id (a non-empty GUID in lower-case \"D\" format).");
            }

            _customerText = customerText;
            _customer = customer;
        }

        if (reader.IsDBNull(1) || reader.IsDBNull(2))
        {
            throw Invalid(_customerText, "occurred_at is not an ISO-8601 UTC instant with nine fractional digits.");
        }

        var occurredAt = Instant.FromUnixTimeSeconds(reader.GetInt64(1)).PlusNanoseconds(reader.GetInt64(2));
        if (!_text.TryChannel(reader.GetString(3), out var channel))
        {
            throw Invalid(_customerText, "channel is not a normalised channel id.");
        }

        if (reader.IsDBNull(4))
        {
            throw Invalid(_customerText, "direction is neither 'inbound' nor 'outbound'.");
        }

        if (reader.IsDBNull(5))
        {
            throw Invalid(_customerText, "function is not one of marketing, sales, service, innovation.");
        }

        var direction = (InteractionDirection)reader.GetInt32(4);
        var function = (CrmFunction)reader.GetInt32(5);

        if (!_text.TryKind(reader.GetString(6), out var kind))
        {
            throw Invalid(_customerText, "kind is not a valid kind in normalised form.");
        }

        TouchpointOutcome? outcome = null;
        if (!reader.IsDBNull(7))
        {
            outcome = _text.TryOutcome(reader.GetString(7), out var stored) ? stored : throw Invalid(_customerText, "outcome is not a valid outcome in normalised form.");
        }

        SatisfactionScale? scale = null;
        var value = 0;
        // satisfaction_scale comes as 0 for NULL, 1-4 for a known scale, NULL for an unknown one.
        if (reader.IsDBNull(8) || reader.GetInt32(8) != 0 || !reader.IsDBNull(9))
        {
            if (reader.IsDBNull(8) || reader.GetInt32(8) == 0 || reader.IsDBNull(9))
            {
                throw Invalid(_customerText, "satisfaction_scale and satisfaction_value are not a known scale and a value, both set or both NULL.");
            }

            scale = (SatisfactionScale)reader.GetInt32(8);
            var stored = reader.GetInt64(9);
            value = stored is < 0 or > 10 ? -1 : (int)stored;
        }

        try
        {
            return new TouchpointScanRow(_customer, occurredAt, channel, kind, function, direction, outcome, scale, value, Money(reader, 10, "cost"), Money(reader, 12, "revenue"));
        }
        catch (ArgumentException e)
        {
            throw Invalid(_customerText, $"the row breaks a rule of {nameof(TouchpointScanRow)} ({e.ParamName}).", e);
        }
    }

    private Money? Money(SqliteDataReader reader, int ordinal, string column)
    {
        var noAmount = reader.IsDBNull(ordinal);
        var noCurrency = reader.IsDBNull(ordinal + 1);
        if (noAmount && noCurrency)
        {
            return null;
        }

        if (noAmount || noCurrency || !ColumnText.TryParseDecimal(reader.GetString(ordinal), out var amount))
        {
            throw Invalid(_customerText, $"{column}_amount and {column}_currency are not a decimal amount and an upper-case ISO 4217 code, both set or both NULL.");
        }

        return _text.TryCurrency(reader.GetString(ordinal + 1), out var currency)
            ? new Money(amount, currency)
            : throw Invalid(_customerText, $"{column}_currency is not an upper-case ISO 4217 code.");
    }

    private static InvalidStoredStateException Invalid(string? customerText, string reason, Exception? innerException = null)
        => new(TouchpointRowReader.TouchpointsTable, $"customer {customerText}", reason, innerException);
}
