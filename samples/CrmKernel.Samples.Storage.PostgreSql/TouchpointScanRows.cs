using System.Buffers;
using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Npgsql;
using NodaTime;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The metric scan pushed down to SQL: one statement over the timeline index selects only the columns a
/// <see cref="TouchpointScanRow"/> holds (the server maps direction, function and scale to small integers; decoding
/// instants and amounts with regular expressions in SQL measured 3× slower than parsing them here), so no
/// <see cref="Touchpoint"/>, participant JSON or product array is ever built. Repeating texts (channel, kind, outcome,
/// currency) are checked once per scan through <see cref="TouchpointScanText"/>. A value that does not decode throws
/// <see cref="InvalidStoredStateException"/> naming the table and the customer.
/// </summary>
internal static class TouchpointScanRows
{
    /// <summary>The number of rows after which a batch is yielded (never splitting a customer).</summary>
    public const int BatchSize = 4_096;

    internal const string SelectScanRows = """
        SELECT customer_id, occurred_at, channel,
            CASE direction WHEN 'inbound' THEN 1 WHEN 'outbound' THEN 2 END,
            CASE function WHEN 'marketing' THEN 1 WHEN 'sales' THEN 2 WHEN 'service' THEN 3 WHEN 'innovation' THEN 4 END,
            kind, outcome,
            CASE WHEN satisfaction_scale IS NULL THEN 0 WHEN satisfaction_scale = 'csat' THEN 1 WHEN satisfaction_scale = 'nps' THEN 2
                 WHEN satisfaction_scale = 'ces' THEN 3 WHEN satisfaction_scale = 'ces2' THEN 4 END,
            satisfaction_value, cost_amount, cost_currency, revenue_amount, revenue_currency
        FROM touchpoints
        WHERE tenant_id = @tenant AND customer_id = ANY(@customers) AND occurred_at < @to
        ORDER BY customer_id, occurred_at, id
        """;

    /// <summary>Runs the scan on <paramref name="connection"/> and yields its rows in batches, reusing one pooled buffer.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> ReadAsync(
        PostgreSqlDatabase db,
        NpgsqlConnection connection,
        TenantId tenantId,
        IReadOnlyCollection<CustomerId> customerIds,
        Instant? to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ids = new Guid[customerIds.Count];
        var n = 0;
        foreach (var id in customerIds)
        {
            ids[n++] = id.Value;
        }

        await using var select = db.Command(connection, null, SelectScanRows)
            .With("tenant", tenantId.Value)
            .With("customers", ids)
            .With("to", to is { } end ? InstantText.Of(end) : InstantText.AfterEvery);
        var text = new TouchpointScanText();
        var buffer = ArrayPool<TouchpointScanRow>.Shared.Rent(BatchSize * 2);
        try
        {
            var count = 0;
            var open = default(CustomerId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var customer = new CustomerId(reader.GetGuid(0));
                if (customer != open && count >= BatchSize)
                {
                    yield return buffer.AsMemory(0, count);
                    count = 0;
                }

                if (count == buffer.Length)
                {
                    var larger = ArrayPool<TouchpointScanRow>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<TouchpointScanRow>.Shared.Return(buffer);
                    buffer = larger;
                }

                open = customer;
                buffer[count++] = Read(reader, customer, text);
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

    private static TouchpointScanRow Read(NpgsqlDataReader r, CustomerId customer, TouchpointScanText text)
    {
        // customer_id, occurred_at, channel, direction (1, 2), function (1-4), kind, outcome, scale (0 none, 1-4, NULL unknown),
        // satisfaction_value, cost_amount, cost_currency, revenue_amount, revenue_currency
        if (!InstantText.TryParse(r.GetString(1), out var occurredAt))
        {
            throw Invalid(customer, "occurred_at is not an ISO-8601 UTC instant with nine fractional digits.");
        }

        if (!text.TryChannel(r.GetString(2), out var channel))
        {
            throw Invalid(customer, "channel is not a normalised channel id.");
        }

        if (r.IsDBNull(3) || r.IsDBNull(4))
        {
            throw Invalid(customer, "direction or function is not one the store writes.");
        }

        if (!text.TryKind(r.GetString(5), out var kind))
        {
            throw Invalid(customer, "kind is not a valid kind in normalised form.");
        }

        TouchpointOutcome? outcome = null;
        if (!r.IsDBNull(6))
        {
            outcome = text.TryOutcome(r.GetString(6), out var stored) ? stored : throw Invalid(customer, "outcome is not a valid outcome in normalised form.");
        }

        if (r.IsDBNull(7) || (r.GetInt32(7) == 0) != r.IsDBNull(8))
        {
            throw Invalid(customer, "satisfaction_scale and satisfaction_value are not a known scale and a value, both set or both NULL.");
        }

        SatisfactionScale? scale = r.GetInt32(7) == 0 ? null : (SatisfactionScale)r.GetInt32(7);
        try
        {
            return new TouchpointScanRow(
                customer,
                occurredAt,
                channel,
                kind,
                (CrmFunction)r.GetInt32(4),
                (InteractionDirection)r.GetInt32(3),
                outcome,
                scale,
                scale is null ? 0 : r.GetInt32(8),
                Money(r, 9, customer, text, "cost"),
                Money(r, 11, customer, text, "revenue"));
        }
        catch (ArgumentException e)
        {
            throw Invalid(customer, $"the row breaks a rule of {nameof(TouchpointScanRow)} ({e.ParamName}).", e);
        }
    }

    private static Money? Money(NpgsqlDataReader r, int ordinal, CustomerId customer, TouchpointScanText text, string column)
    {
        var noAmount = r.IsDBNull(ordinal);
        var noCurrency = r.IsDBNull(ordinal + 1);
        if (noAmount && noCurrency)
        {
            return null;
        }

        // The writer's form only: an optional minus sign, digits and an optional point (no exponent, no group separator).
        if (noAmount || noCurrency
            || !decimal.TryParse(r.GetString(ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw Invalid(customer, $"{column}_amount and {column}_currency are not a decimal amount and a currency, both set or both NULL.");
        }

        return text.TryCurrency(r.GetString(ordinal + 1), out var currency)
            ? new Money(amount, currency)
            : throw Invalid(customer, $"{column}_currency is not an upper-case ISO 4217 code.");
    }

    private static InvalidStoredStateException Invalid(CustomerId customer, string reason, Exception? innerException = null)
        => new("touchpoints", $"customer {customer}", reason, innerException);
}
