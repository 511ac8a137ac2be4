using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The dispatcher's pending messages in <c>pending_dispatches</c>: one row per tenant and dispatch key holding the whole
/// request, its attempt count and the last attempt's outcome. Saving a key again replaces its row.
/// </summary>
internal static class PendingDispatchRows
{
    /// <summary>How many rows one read of <see cref="ReadPageAsync"/> returns.</summary>
    public const int PageSize = 256;

    private const string Table = "pending_dispatches";

    /// <summary>
    /// Version 5: pending dispatches. Adds a table only. It keeps its rowid (unlike the other tables) because a row holds
    /// a message body of up to 100,000 characters, and SQLite advises <c>WITHOUT ROWID</c> only for small rows; the
    /// primary key still makes <c>(tenant, dispatch_key)</c> unique. Keys compare case-sensitively (the default
    /// <c>BINARY</c> collation), as the kernel's do. The second index serves the oldest-first read.
    /// </summary>
    public const string Migration = """
        CREATE TABLE pending_dispatches (
            tenant TEXT NOT NULL,
            dispatch_key TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            purpose TEXT NOT NULL,
            function TEXT NOT NULL,
            kind TEXT NOT NULL,
            campaign TEXT,
            recipient_kind TEXT,
            recipient_value TEXT,
            subject TEXT,
            body TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_attempt_at TEXT NOT NULL,
            last_reason TEXT,
            PRIMARY KEY (tenant, dispatch_key)
        ) STRICT;

        CREATE INDEX pending_dispatches_by_attempt ON pending_dispatches (tenant, last_attempt_at, dispatch_key);
        """;

    private const string Columns = """
        dispatch_key, customer_id, channel, purpose, function, kind, campaign, recipient_kind, recipient_value,
        subject, body, attempts, last_attempt_at, last_reason
        """;

    private static readonly SqlStatement Upsert = new(
        """
        INSERT INTO pending_dispatches (
            tenant, dispatch_key, customer_id, channel, purpose, function, kind, campaign, recipient_kind, recipient_value,
            subject, body, attempts, last_attempt_at, last_reason)
        VALUES ($tenant, $key, $customer_id, $channel, $purpose, $function, $kind, $campaign, $recipient_kind, $recipient_value,
            $subject, $body, $attempts, $last_attempt_at, $last_reason)
        ON CONFLICT (tenant, dispatch_key) DO UPDATE SET
            customer_id = excluded.customer_id, channel = excluded.channel, purpose = excluded.purpose,
            function = excluded.function, kind = excluded.kind, campaign = excluded.campaign,
            recipient_kind = excluded.recipient_kind, recipient_value = excluded.recipient_value,
            subject = excluded.subject, body = excluded.body, attempts = excluded.attempts,
            last_attempt_at = excluded.last_attempt_at, last_reason = excluded.last_reason
        """,
        "$tenant", "$key", "$customer_id", "$channel", "$purpose", "$function", "$kind", "$campaign", "$recipient_kind", "$recipient_value",
        "$subject", "$body", "$attempts", "$last_attempt_at", "$last_reason");

    private static readonly SqlStatement Find = new(
        $"SELECT {Columns} FROM pending_dispatches WHERE tenant = $tenant AND dispatch_key = $key",
        "$tenant", "$key");

    private static readonly SqlStatement Delete = new(
        "DELETE FROM pending_dispatches WHERE tenant = $tenant AND dispatch_key = $key",
        "$tenant", "$key");

    /// <summary>A keyset page in (last attempt, key) order after a position; '' sorts before every instant and key.</summary>
    private static readonly SqlStatement Page = new(
        $"""
        SELECT {Columns} FROM pending_dispatches
        WHERE tenant = $tenant AND (last_attempt_at, dispatch_key) > ($after_at, $after_key)
        ORDER BY last_attempt_at, dispatch_key LIMIT $limit
        """,
        "$tenant", "$after_at", "$after_key", "$limit");

    /// <summary>Inserts or replaces the row of the dispatch's key.</summary>
    public static async ValueTask SaveAsync(SqliteSession session, PendingDispatch dispatch, CancellationToken cancellationToken)
    {
        var request = dispatch.Request;
        var upsert = session.Command(Upsert);
        var p = upsert.Parameters;
        p[0].Value = dispatch.TenantId.Value;
        p[1].Value = dispatch.DispatchKey;
        p[2].Value = ColumnText.OfId(request.CustomerId);
        p[3].Value = request.Channel.Value;
        p[4].Value = request.Purpose.Value;
        p[5].Value = ColumnText.OfFunction(request.Function);
        p[6].Value = request.Kind.Value;
        p[7].Value = (object?)request.CampaignId ?? DBNull.Value;
        p[8].Value = request.Recipient is { } recipient ? ColumnText.OfContactPointKind(recipient.Kind) : DBNull.Value;
        p[9].Value = (object?)request.Recipient?.NormalizedValue ?? DBNull.Value;
        p[10].Value = (object?)request.Content.Subject ?? DBNull.Value;
        p[11].Value = request.Content.Body;
        p[12].Value = dispatch.Attempts;
        p[13].Value = ColumnText.OfInstant(dispatch.LastAttemptAt);
        p[14].Value = (object?)dispatch.LastReason ?? DBNull.Value;
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the row of a key, or null.</summary>
    public static async ValueTask<PendingDispatch?> FindAsync(SqliteSession session, TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        var find = session.Command(Find);
        find.Parameters[0].Value = tenantId.Value;
        find.Parameters[1].Value = dispatchKey;
        using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader, tenantId) : null;
    }

    /// <summary>Deletes the row of a key; false when there was none.</summary>
    public static async ValueTask<bool> DeleteAsync(SqliteSession session, TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        var delete = session.Command(Delete);
        delete.Parameters[0].Value = tenantId.Value;
        delete.Parameters[1].Value = dispatchKey;
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Reads up to <see cref="PageSize"/> rows after the (last attempt text, key) position, in that order.</summary>
    public static async ValueTask<IReadOnlyList<PendingDispatch>> ReadPageAsync(SqliteSession session, TenantId tenantId, string afterAt, string afterKey, CancellationToken cancellationToken)
    {
        var page = session.Command(Page);
        var p = page.Parameters;
        p[0].Value = tenantId.Value;
        p[1].Value = afterAt;
        p[2].Value = afterKey;
        p[3].Value = PageSize;
        var rows = new List<PendingDispatch>();
        using var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader, tenantId));
        }

        return rows;
    }

    /// <summary>Reads one row of <see cref="Columns"/>, or throws <see cref="InvalidStoredStateException"/> naming the table, the key and the rule broken.</summary>
    private static PendingDispatch Read(SqliteDataReader reader, TenantId tenantId)
    {
        // dispatch_key, customer_id, channel, purpose, function, kind, campaign, recipient_kind, recipient_value,
        // subject, body, attempts, last_attempt_at, last_reason
        var key = reader.GetString(0);
        if (!CustomerId.TryParse(reader.GetString(1), out var customerId))
        {
            throw Invalid(key, "customer_id is not a customer id.");
        }

        if (!ChannelId.TryParse(reader.GetString(2), out var channel))
        {
            throw Invalid(key, "channel is not a valid channel id.");
        }

        if (!ConsentPurpose.TryParse(reader.GetString(3), out var purpose))
        {
            throw Invalid(key, "purpose is not a valid consent purpose.");
        }

        if (!ColumnText.TryParseFunction(reader.GetString(4), out var function))
        {
            throw Invalid(key, "function is not one of marketing, sales, service, innovation.");
        }

        ContactPoint? recipient = null;
        if (!reader.IsDBNull(7) || !reader.IsDBNull(8))
        {
            if (reader.IsDBNull(7) || reader.IsDBNull(8) || !ColumnText.TryParseContactPointKind(reader.GetString(7), out var kind))
            {
                throw Invalid(key, "recipient_kind and recipient_value are not a valid pair.");
            }

            try
            {
                recipient = ContactPoint.Parse(kind, reader.GetString(8));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw Invalid(key, $"recipient_value is not a valid {kind} contact point.", e);
            }
        }

        // The oldest-first read pages on last_attempt_at as text, which is time order only in the store's own form.
        var lastAttemptText = reader.GetString(12);
        if (!ColumnText.TryParseInstant(lastAttemptText, out var lastAttemptAt) || ColumnText.OfInstant(lastAttemptAt) != lastAttemptText)
        {
            throw Invalid(key, "last_attempt_at is not an ISO-8601 UTC instant with nine fractional digits.");
        }

        try
        {
            var request = new DispatchRequest(
                customerId,
                channel,
                purpose,
                function,
                new MessageContent(reader.GetString(10), reader.IsDBNull(9) ? null : reader.GetString(9)),
                key,
                recipient,
                new TouchpointKind(reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6));
            return new PendingDispatch(tenantId, request, checked((int)reader.GetInt64(11)), lastAttemptAt, reader.IsDBNull(13) ? null : reader.GetString(13));
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw Invalid(key, $"the row breaks a rule of {nameof(DispatchRequest)} or {nameof(PendingDispatch)} ({(e as ArgumentException)?.ParamName ?? "attempts"}).", e);
        }
    }

    private static InvalidStoredStateException Invalid(string dispatchKey, string reason, Exception? inner = null) => new(Table, dispatchKey, reason, inner);
}
