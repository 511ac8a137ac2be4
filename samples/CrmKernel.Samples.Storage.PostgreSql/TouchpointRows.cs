using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Npgsql;
using NpgsqlTypes;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// Touchpoint rows: the bulk append (binary COPY into a session-local staging table, then one
/// <c>INSERT … SELECT @tenant, … ON CONFLICT DO NOTHING</c>) and the reads. Participants are one JSON column and
/// product references one <c>text[]</c> column, so a touchpoint is one row and no read needs a join.
/// </summary>
internal static class TouchpointRows
{
    private const string Table = "touchpoints";

    internal const string Columns = "id, customer_id, channel, direction, function, kind, occurred_at, recorded_at, source, source_key, outcome, "
        + "satisfaction_scale, satisfaction_value, sentiment, cost_amount, cost_currency, revenue_amount, revenue_currency, campaign, participants, products";

    /// <summary>Session-local (temporary) and emptied at every commit; created once per pooled connection.</summary>
    internal const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS touchpoint_staging (
            ord integer NOT NULL, id uuid NOT NULL, customer_id uuid NOT NULL, channel text NOT NULL, direction text NOT NULL,
            function text NOT NULL, kind text NOT NULL, occurred_at text NOT NULL, recorded_at text NOT NULL, source text NOT NULL,
            source_key text NOT NULL, outcome text, satisfaction_scale text, satisfaction_value integer, sentiment text,
            cost_amount text, cost_currency text, revenue_amount text, revenue_currency text, campaign text, participants jsonb,
            products text[]
        ) ON COMMIT DELETE ROWS
        """;

    internal const string CopyStaging = $"COPY touchpoint_staging (ord, {Columns}) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// The first try of every append: the rows straight into the table, each carrying the tenant appended to in its first
    /// column (so a tenant-distributed table routes them all to that tenant's shard).
    /// </summary>
    internal const string CopyDirect = $"COPY touchpoints (tenant_id, {Columns}) FROM STDIN (FORMAT BINARY)";

    private const string DirectSavepoint = "direct_copy";

    internal const string InsertFromStaging = $"""
        INSERT INTO touchpoints (tenant_id, {Columns})
        SELECT @tenant, {Columns} FROM touchpoint_staging ORDER BY ord
        ON CONFLICT DO NOTHING
        RETURNING id, source, source_key
        """;

    private const string SelectById = $"SELECT {Columns} FROM touchpoints WHERE tenant_id = @tenant AND id = @id";

    private const string SelectBySource = $"SELECT {Columns} FROM touchpoints WHERE tenant_id = @tenant AND source = @source AND source_key = @key";

    private const string SelectBySources = $"""
        SELECT {Columns} FROM touchpoints
        WHERE tenant_id = @tenant AND (source, source_key) IN (SELECT s, k FROM unnest(@sources, @keys) AS n(s, k))
        """;

    private const string Count = "SELECT count(*) FROM touchpoints WHERE tenant_id = @tenant";

    /// <summary>
    /// The timeline statement with every optional part; <see cref="TimelineStatement"/> sends only the parts a filter uses,
    /// so the planner sees a plain <c>customer_id = @customer</c> range read in index order for one customer's timeline.
    /// </summary>
    internal const string SelectTimeline = $"""
        SELECT {Columns} FROM touchpoints
        WHERE tenant_id = @tenant AND customer_id = ANY(@customers)
          AND (occurred_at, id) > (@afterAt, @afterId) AND occurred_at < @to
          AND channel = ANY(@channels) AND function = ANY(@functions) AND kind = ANY(@kinds)
        ORDER BY occurred_at, id
        LIMIT @limit
        """;

    /// <summary>The 64 variants of <see cref="SelectTimeline"/>, by which parts they keep (see <see cref="TimelineStatement"/>).</summary>
    private static readonly string[] TimelineStatements = [.. Enumerable.Range(0, 64).Select(ComposeTimeline)];

    public static void CheckOrderable(Touchpoint touchpoint, string parameterName)
    {
        if (touchpoint.OccurredAt < InstantText.Earliest)
        {
            throw new ArgumentException($"Touchpoint {touchpoint.Id} occurred before ISO year 0, which the PostgreSQL store cannot keep in timeline order.", parameterName);
        }
    }

    /// <summary>
    /// Appends inside <paramref name="transaction"/>; reports ids or source keys already taken instead of storing them.
    /// </summary>
    /// <remarks>
    /// A fresh batch (the common case: an import, a feed) costs one binary COPY into the table, under a savepoint. Only
    /// when that hits a key already taken (a replay, a duplicate within the batch, or a concurrent writer) is the savepoint
    /// rolled back and the batch loaded through the staging table, which inserts what is new and reports the rest.
    /// </remarks>
    public static async ValueTask<TouchpointAppendResult> AppendAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync(DirectSavepoint, cancellationToken).ConfigureAwait(false);
        try
        {
            await using (var importer = await db.BeginBinaryImportAsync(connection, CopyDirect, cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < touchpoints.Count; i++)
                {
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(tenantId.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteColumnsAsync(importer, touchpoints[i], cancellationToken).ConfigureAwait(false);
                }

                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.ReleaseAsync(DirectSavepoint, cancellationToken).ConfigureAwait(false);
            return new TouchpointAppendResult(touchpoints.Count, [], []);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(DirectSavepoint, cancellationToken).ConfigureAwait(false);
        }

        return await AppendThroughStagingAsync(db, connection, transaction, tenantId, touchpoints, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<TouchpointAppendResult> AppendThroughStagingAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        await using (var create = db.Command(connection, transaction, CreateStaging))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var importer = await db.BeginBinaryImportAsync(connection, CopyStaging, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < touchpoints.Count; i++)
            {
                await WriteRowAsync(importer, i, touchpoints[i], cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var inserted = new Dictionary<(Guid, string, string), int>();
        var appended = 0;
        await using (var insert = db.Command(connection, transaction, InsertFromStaging).With("tenant", tenantId.Value))
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (reader.GetGuid(0), reader.GetString(1), reader.GetString(2));
                inserted[key] = inserted.GetValueOrDefault(key) + 1;
                appended++;
            }
        }

        if (appended == touchpoints.Count)
        {
            return new TouchpointAppendResult(appended, [], []);
        }

        // Only now is anything read: the touchpoints stored under the source keys of those not inserted.
        var notInserted = new List<int>();
        for (var i = 0; i < touchpoints.Count; i++)
        {
            var t = touchpoints[i];
            var key = (t.Id.Value, t.Source.Source, t.Source.Key);
            if (inserted.TryGetValue(key, out var left) && left > 0)
            {
                inserted[key] = left - 1;
            }
            else
            {
                notInserted.Add(i);
            }
        }

        var stored = new Dictionary<(string, string), Touchpoint>();
        await using (var select = db.Command(connection, transaction, SelectBySources)
            .With("tenant", tenantId.Value)
            .WithTextArray("sources", notInserted.Select(i => touchpoints[i].Source.Source).ToArray())
            .WithTextArray("keys", notInserted.Select(i => touchpoints[i].Source.Key).ToArray()))
        {
            foreach (var t in await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false))
            {
                stored[(t.Source.Source, t.Source.Key)] = t;
            }
        }

        var present = new List<int>();
        var conflicts = new List<int>();
        foreach (var i in notInserted)
        {
            var t = touchpoints[i];
            if (stored.TryGetValue((t.Source.Source, t.Source.Key), out var twin) && twin.HasSameContent(t))
            {
                present.Add(i);
            }
            else
            {
                conflicts.Add(i);
            }
        }

        return new TouchpointAppendResult(appended, present, conflicts);
    }

    public static async ValueTask<Touchpoint?> FindAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, TouchpointId id, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectById).With("tenant", tenantId.Value).With("id", id.Value);
        var rows = await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public static async ValueTask<Touchpoint?> FindBySourceAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectBySource).With("tenant", tenantId.Value).With("source", source.Source).With("key", source.Key);
        var rows = await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public static async ValueTask<long> CountAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, CancellationToken cancellationToken)
    {
        await using var count = db.Command(connection, null, Count).With("tenant", tenantId.Value);
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public static async ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
    {
        // One keyset bound: the cursor, or the start of the period when that is later (no id is the empty GUID).
        var bound = (At: filter.From is { } from ? InstantText.Of(from) : string.Empty, Id: Guid.Empty);
        if (after is { } cursor && (filter.From is null || cursor.OccurredAt >= filter.From.Value))
        {
            bound = (InstantText.Of(cursor.OccurredAt), cursor.Id.Value);
        }

        var single = filter.CustomerIds.Count == 1;
        var hasBound = bound.At.Length > 0;
        var statement = TimelineStatement(single, hasBound, filter.To is not null, filter.Channels is not null, filter.Functions is not null, filter.Kinds is not null);
        await using var select = db.Command(connection, null, statement).With("tenant", tenantId.Value).With("limit", limit);
        if (single)
        {
            select.With("customer", filter.CustomerIds.First().Value);
        }
        else
        {
            select.With("customers", filter.CustomerIds.Select(static c => c.Value).ToArray());
        }

        if (hasBound)
        {
            select.With("afterAt", bound.At).With("afterId", bound.Id);
        }

        if (filter.To is { } to)
        {
            select.With("to", InstantText.Of(to));
        }

        if (filter.Channels is { } channels)
        {
            select.WithTextArray("channels", channels.Select(static c => c.Value).ToArray());
        }

        if (filter.Functions is { } functions)
        {
            select.WithTextArray("functions", functions.Select(FunctionText).ToArray());
        }

        if (filter.Kinds is { } kinds)
        {
            select.WithTextArray("kinds", kinds.Select(static k => k.Value).ToArray());
        }

        return await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The timeline statement with only the parts a page needs; one of 64 constant texts, each prepared once per connection.</summary>
    internal static string TimelineStatement(bool singleCustomer, bool bound, bool to, bool channels, bool functions, bool kinds)
        => TimelineStatements[(singleCustomer ? 1 : 0) | (bound ? 2 : 0) | (to ? 4 : 0) | (channels ? 8 : 0) | (functions ? 16 : 0) | (kinds ? 32 : 0)];

    private static string ComposeTimeline(int parts)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM touchpoints WHERE tenant_id = @tenant AND ");
        sql.Append((parts & 1) != 0 ? "customer_id = @customer" : "customer_id = ANY(@customers)");
        sql.Append((parts & 2) != 0 ? " AND (occurred_at, id) > (@afterAt, @afterId)" : string.Empty);
        sql.Append((parts & 4) != 0 ? " AND occurred_at < @to" : string.Empty);
        sql.Append((parts & 8) != 0 ? " AND channel = ANY(@channels)" : string.Empty);
        sql.Append((parts & 16) != 0 ? " AND function = ANY(@functions)" : string.Empty);
        sql.Append((parts & 32) != 0 ? " AND kind = ANY(@kinds)" : string.Empty);
        return sql.Append(" ORDER BY occurred_at, id LIMIT @limit").ToString();
    }

    internal static string DirectionText(InteractionDirection direction) => direction == InteractionDirection.Inbound ? "inbound" : "outbound";

    internal static string FunctionText(CrmFunction function) => function switch
    {
        CrmFunction.Marketing => "marketing",
        CrmFunction.Sales => "sales",
        CrmFunction.Service => "service",
        CrmFunction.Innovation => "innovation",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "The CRM function is not one the store knows."),
    };

    internal static string ScaleText(SatisfactionScale scale) => scale switch
    {
        SatisfactionScale.Csat => "csat",
        SatisfactionScale.Nps => "nps",
        SatisfactionScale.Ces => "ces",
        SatisfactionScale.Ces2 => "ces2",
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "The satisfaction scale is not one the store knows."),
    };

    internal static string? ParticipantsJson(IReadOnlyList<TouchpointParticipant> participants)
    {
        if (participants.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(64 * participants.Count);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var p in participants)
            {
                w.WriteStartObject();
                w.WriteString("role", p.Role);
                if (p.CustomerId is { } customer)
                {
                    w.WriteString("customer", customer.ToString());
                }
                else
                {
                    w.WriteString("user", p.UserId);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes one staging row in <see cref="CopyStaging"/>'s column order.</summary>
    internal static async ValueTask WriteRowAsync(NpgsqlBinaryImporter importer, int ord, Touchpoint t, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(ord, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await WriteColumnsAsync(importer, t, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the touchpoint's values in <see cref="Columns"/> order.</summary>
    private static async ValueTask WriteColumnsAsync(NpgsqlBinaryImporter importer, Touchpoint t, CancellationToken cancellationToken)
    {
        await importer.WriteAsync(t.Id.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(t.CustomerId.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(t.Channel.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(DirectionText(t.Direction), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(FunctionText(t.Function), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(t.Kind.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(InstantText.Of(t.OccurredAt), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(InstantText.Of(t.RecordedAt), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(t.Source.Source, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(t.Source.Key, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, t.Outcome?.Value, cancellationToken).ConfigureAwait(false);
        if (t.Satisfaction is { } score)
        {
            await importer.WriteAsync(ScaleText(score.Scale), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(score.Value, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }

        await WriteTextAsync(importer, t.Sentiment?.Value.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, t.Cost?.Amount.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, t.Cost?.Currency.Code, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, t.Revenue?.Amount.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, t.Revenue?.Currency.Code, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, t.CampaignId, cancellationToken).ConfigureAwait(false);
        if (ParticipantsJson(t.Participants) is { } participants)
        {
            await importer.WriteAsync(participants, NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }

        if (t.ProductIds.Count > 0)
        {
            await importer.WriteAsync(t.ProductIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static ValueTask WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
        => value is null ? new ValueTask(importer.WriteNullAsync(cancellationToken)) : new ValueTask(importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken));

    private static async ValueTask<List<Touchpoint>> ReadAsync(NpgsqlCommand select, TenantId tenantId, CancellationToken cancellationToken)
    {
        var rows = new List<Touchpoint>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader, tenantId));
        }

        return rows;
    }

    /// <summary>Rebuilds one row in <see cref="Columns"/> order with the kernel's own constructors and parsers.</summary>
    internal static Touchpoint Read(NpgsqlDataReader r, TenantId tenantId)
    {
        var idGuid = r.GetGuid(0);
        try
        {
            var occurredText = r.GetString(6);
            if (!InstantText.TryParse(occurredText, out var occurredAt) || !InstantText.TryParse(r.GetString(7), out var recordedAt))
            {
                throw new FormatException("occurred_at or recorded_at is not an ISO-8601 UTC instant with nine fractional digits");
            }

            var (channelText, kindText, sourceText, keyText) = (r.GetString(2), r.GetString(5), r.GetString(8), r.GetString(9));
            var channel = new ChannelId(channelText);
            var kind = new TouchpointKind(kindText);
            var source = new ExternalIdentifier(sourceText, keyText);
            if (channel.Value != channelText || kind.Value != kindText || source.Source != sourceText || source.Key != keyText)
            {
                // Compared as text by the filters and the idempotency key: a value not in normalised form would escape them.
                throw new FormatException("channel, kind, source or source_key is not in normalised form");
            }

            SatisfactionScore? satisfaction = null;
            if (!r.IsDBNull(11) || !r.IsDBNull(12))
            {
                var scale = r.GetString(11) switch
                {
                    "csat" => SatisfactionScale.Csat,
                    "nps" => SatisfactionScale.Nps,
                    "ces" => SatisfactionScale.Ces,
                    "ces2" => SatisfactionScale.Ces2,
                    _ => throw new FormatException("satisfaction_scale is not one of csat, nps, ces, ces2"),
                };
                satisfaction = SatisfactionScore.Create(scale, r.GetInt32(12));
            }

            var details = new NewTouchpoint
            {
                CustomerId = new CustomerId(r.GetGuid(1)),
                Channel = channel,
                Direction = r.GetString(3) switch
                {
                    "inbound" => InteractionDirection.Inbound,
                    "outbound" => InteractionDirection.Outbound,
                    _ => throw new FormatException("direction is neither inbound nor outbound"),
                },
                Function = r.GetString(4) switch
                {
                    "marketing" => CrmFunction.Marketing,
                    "sales" => CrmFunction.Sales,
                    "service" => CrmFunction.Service,
                    "innovation" => CrmFunction.Innovation,
                    _ => throw new FormatException("function is not one of marketing, sales, service, innovation"),
                },
                Kind = kind,
                OccurredAt = occurredAt,
                Source = source,
                Outcome = r.IsDBNull(10) ? null : new TouchpointOutcome(r.GetString(10)),
                Satisfaction = satisfaction,
                Sentiment = r.IsDBNull(13) ? null : new Sentiment(decimal.Parse(r.GetString(13), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)),
                Cost = ReadMoney(r, 14),
                Revenue = ReadMoney(r, 16),
                CampaignId = r.OptionalString(18),
                Participants = r.IsDBNull(19) ? [] : ReadParticipants(r.GetString(19)),
                ProductIds = r.IsDBNull(20) ? [] : r.GetFieldValue<string[]>(20),
            };
            return Touchpoint.Create(tenantId, new TouchpointId(idGuid), recordedAt, details);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException or InvalidOperationException or OverflowException or KeyNotFoundException)
        {
            // The kernel's messages name the field and the rule, never a value.
            throw new InvalidStoredStateException(Table, idGuid.ToString(), $"the row is not a valid touchpoint ({e.Message})", e);
        }
    }

    private static Money? ReadMoney(NpgsqlDataReader r, int amountOrdinal)
    {
        if (r.IsDBNull(amountOrdinal) && r.IsDBNull(amountOrdinal + 1))
        {
            return null;
        }

        return !r.IsDBNull(amountOrdinal) && !r.IsDBNull(amountOrdinal + 1)
            && decimal.TryParse(r.GetString(amountOrdinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            && r.GetString(amountOrdinal + 1) is var code && Currency.TryFromCode(code, out var currency) && currency.Code == code
            ? new Money(amount, currency)
            : throw new FormatException("the amount and currency columns are not a decimal amount and an ISO 4217 code");
    }

    private static List<TouchpointParticipant> ReadParticipants(string json)
    {
        using var document = JsonDocument.Parse(json);
        var participants = new List<TouchpointParticipant>();
        foreach (var p in document.RootElement.EnumerateArray())
        {
            var role = p.GetProperty("role").GetString()!;
            participants.Add(p.TryGetProperty("customer", out var customer)
                ? TouchpointParticipant.Customer(CustomerId.Parse(customer.GetString()!), role)
                : TouchpointParticipant.Staff(p.GetProperty("user").GetString()!, role));
        }

        return participants;
    }
}
