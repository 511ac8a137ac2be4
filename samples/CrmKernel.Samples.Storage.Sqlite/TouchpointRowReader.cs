using System.Text.Json;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Turns touchpoint rows back into <see cref="Touchpoint"/>s with the kernel's own parsers and
/// <see cref="Touchpoint.Create"/>, which re-checks every rule. A value that does not parse (an unknown direction, a
/// score outside its scale, a half-stored amount) throws <see cref="InvalidStoredStateException"/> naming the table and
/// the touchpoint id; a half-built touchpoint is never returned. Values that SQL compares as text — ids, channel,
/// kind, source and key, occurred-at — must also be in the exact form the store writes (a channel in upper case, an
/// instant with three fractional digits), because in another form they would silently escape a filter or sort out of
/// time order.
/// </summary>
/// <remarks>
/// Reasons name the column and the rule broken, never the stored value. Callers run the statements of one read inside
/// one read transaction (or the write transaction), so a touchpoint's row and child rows come from the same commit.
/// </remarks>
internal static class TouchpointRowReader
{
    public const string TouchpointsTable = "touchpoints";
    public const string ParticipantsTable = "touchpoint_participants";
    public const string ProductsTable = "touchpoint_products";

    /// <summary>Reads one touchpoint by id; null when the tenant has none.</summary>
    public static async ValueTask<Touchpoint?> FindAsync(SqliteSession session, TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken)
    {
        var select = session.Command(TouchpointSql.SelectById);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = ColumnText.OfId(touchpointId);
        return Single(await ReadAsync(session, tenantId, select, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads the touchpoint recorded under a source key; null when the tenant has none.</summary>
    public static async ValueTask<Touchpoint?> FindBySourceAsync(SqliteSession session, TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        var select = session.Command(TouchpointSql.SelectBySource);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = source.Source;
        select.Parameters[2].Value = source.Key;
        return Single(await ReadAsync(session, tenantId, select, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Reads one timeline page: the touchpoints of the filter's customers that match it, in (occurred-at, id) order,
    /// strictly after <paramref name="after"/>. The period start and the cursor become one keyset lower bound; one
    /// customer is read with an ordered index range scan, several with one scan each merged by SQLite's sorter.
    /// </summary>
    public static ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(
        SqliteSession session, TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
    {
        SqliteCommand select;
        if (filter.CustomerIds.Count == 1)
        {
            select = session.Command(TouchpointSql.SelectTimelineOfOne);
            select.Parameters[1].Value = ColumnText.OfId(filter.CustomerIds.First());
        }
        else
        {
            select = session.Command(TouchpointSql.SelectTimelineOfMany);
            select.Parameters[1].Value = JsonArray(filter.CustomerIds.Select(ColumnText.OfId));
        }

        var p = select.Parameters;
        p[0].Value = tenantId.Value;

        // (occurred_at, id) > (from, '') is occurred_at >= from, because no id is ''; the later of the two bounds wins.
        if (after is { } cursor && (filter.From is null || cursor.OccurredAt >= filter.From.Value))
        {
            p[2].Value = ColumnText.OfInstant(cursor.OccurredAt);
            p[3].Value = ColumnText.OfId(cursor.Id);
        }
        else
        {
            p[2].Value = filter.From is { } from ? ColumnText.OfInstant(from) : string.Empty;
            p[3].Value = string.Empty;
        }

        p[4].Value = filter.To is { } to ? ColumnText.OfInstant(to) : ColumnText.AfterEveryInstant;
        p[5].Value = filter.Channels is { } channels ? JsonArray(channels.Select(static c => c.Value)) : DBNull.Value;
        p[6].Value = filter.Functions is { } functions ? JsonArray(functions.Select(ColumnText.OfFunction)) : DBNull.Value;
        p[7].Value = filter.Kinds is { } kinds ? JsonArray(kinds.Select(static k => k.Value)) : DBNull.Value;
        p[8].Value = limit;
        return ReadAsync(session, tenantId, select, cancellationToken);
    }

    private static Touchpoint? Single(IReadOnlyList<Touchpoint> touchpoints) => touchpoints.Count == 0 ? null : touchpoints[0];

    internal static string JsonArray(IEnumerable<string> values) => JsonSerializer.Serialize(values.ToArray(), SqliteJsonContext.Default.StringArray);

    /// <summary>Runs a select of <see cref="TouchpointSql"/>'s columns, then reads the child rows of what it found with one query per child table.</summary>
    private static async ValueTask<IReadOnlyList<Touchpoint>> ReadAsync(SqliteSession session, TenantId tenantId, SqliteCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<TouchpointRow>();
        using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(ReadTouchpoint(reader));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var byId = new Dictionary<string, TouchpointRow>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            byId.Add(row.IdText, row);
        }

        var ids = JsonArray(byId.Keys);
        await ReadChildTableAsync(session, TouchpointSql.SelectParticipants, tenantId, ids, byId, static (row, reader) => row.AddParticipant(reader), cancellationToken).ConfigureAwait(false);
        await ReadChildTableAsync(session, TouchpointSql.SelectProducts, tenantId, ids, byId, static (row, reader) => row.AddProduct(reader), cancellationToken).ConfigureAwait(false);

        var touchpoints = new Touchpoint[rows.Count];
        for (var i = 0; i < touchpoints.Length; i++)
        {
            touchpoints[i] = rows[i].ToTouchpoint(tenantId);
        }

        return touchpoints;
    }

    private static async ValueTask ReadChildTableAsync(
        SqliteSession session,
        SqlStatement statement,
        TenantId tenantId,
        string ids,
        Dictionary<string, TouchpointRow> byId,
        Action<TouchpointRow, SqliteDataReader> add,
        CancellationToken cancellationToken)
    {
        var select = session.Command(statement);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = ids;
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            add(byId[reader.GetString(0)], reader);
        }
    }

    private static TouchpointRow ReadTouchpoint(SqliteDataReader reader)
    {
        // id, customer_id, channel, direction, function, kind, occurred_at, recorded_at, source, source_key,
        // outcome, satisfaction_scale, satisfaction_value, sentiment, cost_amount, cost_currency, revenue_amount, revenue_currency, campaign
        var idText = reader.GetString(0);
        if (!TouchpointId.TryParse(idText, out var id) || ColumnText.OfId(id) != idText)
        {
            throw Invalid(TouchpointsTable, idText, "id is not a touchpoint id (a non-empty GUID in lower-case \"D\" format).");
        }

        var customerText = reader.GetString(1);
        if (!CustomerId.TryParse(customerText, out var customerId) || ColumnText.OfId(customerId) != customerText)
        {
            throw Invalid(TouchpointsTable, idText, "customer_id is not a customer id (a non-empty GUID in lower-case \"D\" format).");
        }

        var channelText = reader.GetString(2);
        if (!ChannelId.TryParse(channelText, out var channel) || channel.Value != channelText)
        {
            throw Invalid(TouchpointsTable, idText, "channel is not a normalised channel id.");
        }

        if (!ColumnText.TryParseDirection(reader.GetString(3), out var direction))
        {
            throw Invalid(TouchpointsTable, idText, "direction is neither 'inbound' nor 'outbound'.");
        }

        if (!ColumnText.TryParseFunction(reader.GetString(4), out var function))
        {
            throw Invalid(TouchpointsTable, idText, "function is not one of marketing, sales, service, innovation.");
        }

        var kind = Slug(reader.GetString(5), static text => new TouchpointKind(text), static k => k.Value, idText, "kind");
        // The timeline sorts and compares occurred_at as text, which is time order only for the store's own form.
        var occurredText = reader.GetString(6);
        if (!ColumnText.TryParseInstant(occurredText, out var occurredAt) || ColumnText.OfInstant(occurredAt) != occurredText)
        {
            throw Invalid(TouchpointsTable, idText, "occurred_at is not an ISO-8601 UTC instant with nine fractional digits.");
        }

        if (!ColumnText.TryParseInstant(reader.GetString(7), out var recordedAt))
        {
            throw Invalid(TouchpointsTable, idText, "recorded_at is not an ISO-8601 UTC instant.");
        }

        ExternalIdentifier source;
        try
        {
            source = new ExternalIdentifier(reader.GetString(8), reader.GetString(9));
        }
        catch (ArgumentException e)
        {
            throw Invalid(TouchpointsTable, idText, $"source and source_key break a rule of {nameof(ExternalIdentifier)} ({e.ParamName}).", e);
        }

        if (source.Source != reader.GetString(8) || source.Key != reader.GetString(9))
        {
            throw Invalid(TouchpointsTable, idText, "source or source_key is not in normalised form (lower-case source, trimmed key).");
        }

        TouchpointOutcome? outcome = reader.IsDBNull(10)
            ? null
            : Slug(reader.GetString(10), static text => new TouchpointOutcome(text), static o => o.Value, idText, "outcome");

        return new TouchpointRow(idText, id, recordedAt)
        {
            CustomerId = customerId,
            Channel = channel,
            Direction = direction,
            Function = function,
            Kind = kind,
            OccurredAt = occurredAt,
            Source = source,
            Outcome = outcome,
            Satisfaction = ReadSatisfaction(reader, idText),
            Sentiment = ReadSentiment(reader, idText),
            Cost = ReadMoney(reader, 14, idText, "cost"),
            Revenue = ReadMoney(reader, 16, idText, "revenue"),
            CampaignId = reader.IsDBNull(18) ? null : reader.GetString(18),
        };
    }

    private static SatisfactionScore? ReadSatisfaction(SqliteDataReader reader, string idText)
    {
        if (reader.IsDBNull(11) && reader.IsDBNull(12))
        {
            return null;
        }

        if (reader.IsDBNull(11) || reader.IsDBNull(12))
        {
            throw Invalid(TouchpointsTable, idText, "satisfaction_scale and satisfaction_value are not both set or both NULL.");
        }

        if (!ColumnText.TryParseSatisfactionScale(reader.GetString(11), out var scale))
        {
            throw Invalid(TouchpointsTable, idText, "satisfaction_scale is not one of csat, nps, ces, ces2.");
        }

        var value = reader.GetInt64(12);
        try
        {
            return value is < int.MinValue or > int.MaxValue
                ? throw new ArgumentOutOfRangeException(nameof(value))
                : SatisfactionScore.Create(scale, (int)value);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Invalid(TouchpointsTable, idText, $"satisfaction_value is outside the {scale} scale.", e);
        }
    }

    private static Sentiment? ReadSentiment(SqliteDataReader reader, string idText)
    {
        if (reader.IsDBNull(13))
        {
            return null;
        }

        if (!ColumnText.TryParseDecimal(reader.GetString(13), out var value) || value is < -1m or > 1m)
        {
            throw Invalid(TouchpointsTable, idText, "sentiment is not a decimal from -1 to 1.");
        }

        return new Sentiment(value);
    }

    private static Money? ReadMoney(SqliteDataReader reader, int amountOrdinal, string idText, string column)
    {
        var noAmount = reader.IsDBNull(amountOrdinal);
        var noCurrency = reader.IsDBNull(amountOrdinal + 1);
        if (noAmount && noCurrency)
        {
            return null;
        }

        if (noAmount || noCurrency || !ColumnText.TryParseMoney(reader.GetString(amountOrdinal), reader.GetString(amountOrdinal + 1), out var money))
        {
            throw Invalid(TouchpointsTable, idText, $"{column}_amount and {column}_currency are not a decimal amount and an upper-case ISO 4217 code, both set or both NULL.");
        }

        return money;
    }

    /// <summary>Reads a slug-like value (a kind, an outcome, a role) that must be stored in the normalised form the kernel gives it.</summary>
    private static T Slug<T>(string text, Func<string, T> create, Func<T, string> normalised, string idText, string column)
    {
        try
        {
            var value = create(text);
            if (normalised(value) == text)
            {
                return value;
            }
        }
        catch (ArgumentException e)
        {
            throw Invalid(TouchpointsTable, idText, $"{column} is not a valid {column}.", e);
        }

        throw Invalid(TouchpointsTable, idText, $"{column} is not in normalised form (lower case, trimmed).");
    }

    private static InvalidStoredStateException Invalid(string table, string touchpointId, string reason, Exception? innerException = null)
        => new(table, touchpointId, reason, innerException);

    /// <summary>A touchpoint being read: its row, and its participants and products as they arrive.</summary>
    private sealed class TouchpointRow(string idText, TouchpointId id, Instant recordedAt)
    {
        private List<TouchpointParticipant>? _participants;
        private List<string>? _products;

        public string IdText { get; } = idText;

        public required CustomerId CustomerId { get; init; }

        public required ChannelId Channel { get; init; }

        public required InteractionDirection Direction { get; init; }

        public required CrmFunction Function { get; init; }

        public required TouchpointKind Kind { get; init; }

        public required Instant OccurredAt { get; init; }

        public required ExternalIdentifier Source { get; init; }

        public required TouchpointOutcome? Outcome { get; init; }

        public required SatisfactionScore? Satisfaction { get; init; }

        public required Sentiment? Sentiment { get; init; }

        public required Money? Cost { get; init; }

        public required Money? Revenue { get; init; }

        public required string? CampaignId { get; init; }

        public void AddParticipant(SqliteDataReader reader)
        {
            // touchpoint_id, role, customer_id, user_id
            var role = reader.GetString(1);
            var customerText = reader.IsDBNull(2) ? null : reader.GetString(2);
            var userId = reader.IsDBNull(3) ? null : reader.GetString(3);
            if ((customerText is null) == (userId is null))
            {
                throw Invalid(ParticipantsTable, IdText, "exactly one of customer_id and user_id must be set.");
            }

            TouchpointParticipant participant;
            try
            {
                if (customerText is not null)
                {
                    if (!CustomerId.TryParse(customerText, out var customer) || ColumnText.OfId(customer) != customerText)
                    {
                        throw Invalid(ParticipantsTable, IdText, "customer_id is not a customer id (a non-empty GUID in lower-case \"D\" format).");
                    }

                    participant = TouchpointParticipant.Customer(customer, role);
                }
                else
                {
                    participant = TouchpointParticipant.Staff(userId!, role);
                }
            }
            catch (ArgumentException e)
            {
                throw Invalid(ParticipantsTable, IdText, $"the participant breaks a rule of {nameof(TouchpointParticipant)} ({e.ParamName}).", e);
            }

            (_participants ??= []).Add(participant);
        }

        public void AddProduct(SqliteDataReader reader)
        {
            // touchpoint_id, product_id
            var product = reader.GetString(1).Trim();
            if (product.Length is 0 or > Touchpoint.MaxReferenceLength || product.Any(char.IsControl))
            {
                throw Invalid(ProductsTable, IdText, $"product_id is blank, longer than {Touchpoint.MaxReferenceLength} characters or holds control characters.");
            }

            (_products ??= []).Add(product);
        }

        public Touchpoint ToTouchpoint(TenantId tenantId)
        {
            var details = new NewTouchpoint
            {
                CustomerId = CustomerId,
                Channel = Channel,
                Direction = Direction,
                Function = Function,
                Kind = Kind,
                OccurredAt = OccurredAt,
                Source = Source,
                Participants = (IReadOnlyList<TouchpointParticipant>?)_participants ?? [],
                Outcome = Outcome,
                Satisfaction = Satisfaction,
                Sentiment = Sentiment,
                Cost = Cost,
                Revenue = Revenue,
                ProductIds = (IReadOnlyList<string>?)_products ?? [],
                CampaignId = CampaignId,
            };

            try
            {
                return Touchpoint.Create(tenantId, id, recordedAt, details);
            }
            catch (ArgumentException e)
            {
                // Touchpoint.Create's messages name the field and the rule, never a value.
                throw Invalid(TouchpointsTable, IdText, $"the row breaks a rule of {nameof(Touchpoint)} ({e.Message})", e);
            }
        }
    }
}
