using System.Runtime.CompilerServices;
using CrmKernel.Channels;
using CrmKernel.ContactPoints;
using CrmKernel.Consent;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// Keeps the channel dispatcher's pending messages in a <see cref="PostgreSqlCrmStore"/>'s database, so a message kept for
/// retry survives a restart and is visible to every host. Obtain it from <see cref="PostgreSqlCrmStore.PendingDispatches"/>.
/// </summary>
public sealed class PostgreSqlPendingDispatchStore : IPendingDispatchStore
{
    private const string Table = "pending_dispatches";
    private const int PageSize = 256;
    private const string Columns = "dispatch_key, customer_id, channel, purpose, function, kind, campaign, recipient_kind, recipient_value, subject, body, attempts, last_attempt_at, last_reason";

    private const string Upsert = $"""
        INSERT INTO pending_dispatches (tenant_id, {Columns})
        VALUES (@tenant, @key, @customer, @channel, @purpose, @function, @kind, @campaign, @recipientKind, @recipientValue, @subject, @body, @attempts, @lastAttempt, @lastReason)
        ON CONFLICT (tenant_id, dispatch_key) DO UPDATE SET
            customer_id = excluded.customer_id, channel = excluded.channel, purpose = excluded.purpose, function = excluded.function,
            kind = excluded.kind, campaign = excluded.campaign, recipient_kind = excluded.recipient_kind,
            recipient_value = excluded.recipient_value, subject = excluded.subject, body = excluded.body,
            attempts = excluded.attempts, last_attempt_at = excluded.last_attempt_at, last_reason = excluded.last_reason
        """;

    private const string SelectByKey = $"SELECT {Columns} FROM pending_dispatches WHERE tenant_id = @tenant AND dispatch_key = @key";

    private const string Delete = "DELETE FROM pending_dispatches WHERE tenant_id = @tenant AND dispatch_key = @key";

    private const string SelectPage = $"""
        SELECT {Columns} FROM pending_dispatches
        WHERE tenant_id = @tenant AND (last_attempt_at, dispatch_key) > (@afterAt, @afterKey)
        ORDER BY last_attempt_at, dispatch_key LIMIT @limit
        """;

    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlPendingDispatchStore(PostgreSqlCrmStore store) => _store = store;

    /// <inheritdoc />
    public async ValueTask SaveAsync(PendingDispatch dispatch, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(dispatch);
        Preconditions.Check(dispatch.LastAttemptAt >= InstantText.Earliest, $"Pending dispatch {dispatch.DispatchKey} was attempted before ISO year 0, which the PostgreSQL store cannot keep in order.", nameof(dispatch));
        cancellationToken.ThrowIfCancellationRequested();
        var r = dispatch.Request;
        await _store.ReadAsync(
            async (c, ct) =>
            {
                await using var upsert = _store.Database.Command(c, null, Upsert)
                    .With("tenant", dispatch.TenantId.Value)
                    .With("key", r.DispatchKey)
                    .With("customer", r.CustomerId.Value)
                    .With("channel", r.Channel.Value)
                    .With("purpose", r.Purpose.Value)
                    .With("function", TouchpointRows.FunctionText(r.Function))
                    .With("kind", r.Kind.Value)
                    .WithText("campaign", r.CampaignId)
                    .WithText("recipientKind", r.Recipient?.Kind.ToString())
                    .WithText("recipientValue", r.Recipient?.NormalizedValue)
                    .WithText("subject", r.Content.Subject)
                    .With("body", r.Content.Body)
                    .With("attempts", dispatch.Attempts)
                    .With("lastAttempt", InstantText.Of(dispatch.LastAttemptAt))
                    .WithText("lastReason", dispatch.LastReason);
                return await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<PendingDispatch?> FindAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(dispatchKey);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, SelectByKey).With("tenant", tenantId.Value).With("key", dispatchKey);
                var rows = await ReadAsync(select, tenantId, ct).ConfigureAwait(false);
                return rows.Count == 0 ? null : rows[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(dispatchKey);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (c, ct) =>
            {
                await using var delete = _store.Database.Command(c, null, Delete).With("tenant", tenantId.Value).With("key", dispatchKey);
                return await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<PendingDispatch> StreamAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        return ReadAll(tenantId, cancellationToken);
    }

    private async IAsyncEnumerable<PendingDispatch> ReadAll(TenantId tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // '' sorts before every instant and every key; each page is its own statement, so no connection is held while
        // the caller works on the entries.
        var (afterAt, afterKey) = (string.Empty, string.Empty);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (at, key) = (afterAt, afterKey);
            var page = await _store.ReadAsync(
                async (c, ct) =>
                {
                    await using var select = _store.Database.Command(c, null, SelectPage)
                        .With("tenant", tenantId.Value).With("afterAt", at).With("afterKey", key).With("limit", PageSize);
                    return await ReadAsync(select, tenantId, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return entry;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            (afterAt, afterKey) = (InstantText.Of(page[^1].LastAttemptAt), page[^1].DispatchKey);
        }
    }

    private static async ValueTask<List<PendingDispatch>> ReadAsync(NpgsqlCommand select, TenantId tenantId, CancellationToken cancellationToken)
    {
        var rows = new List<PendingDispatch>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = reader.GetString(0);
            try
            {
                ContactPoint? recipient = null;
                if (!reader.IsDBNull(7) || !reader.IsDBNull(8))
                {
                    recipient = ContactPoint.Parse(Enum.Parse<ContactPointKind>(reader.GetString(7)), reader.GetString(8));
                }

                if (!InstantText.TryParse(reader.GetString(12), out var lastAttemptAt))
                {
                    throw new FormatException("last_attempt_at is not an ISO-8601 UTC instant with nine fractional digits");
                }

                var request = new DispatchRequest(
                    new CustomerId(reader.GetGuid(1)),
                    new ChannelId(reader.GetString(2)),
                    new ConsentPurpose(reader.GetString(3)),
                    reader.GetString(4) switch
                    {
                        "marketing" => CrmFunction.Marketing,
                        "sales" => CrmFunction.Sales,
                        "service" => CrmFunction.Service,
                        "innovation" => CrmFunction.Innovation,
                        _ => throw new FormatException("function is not one of marketing, sales, service, innovation"),
                    },
                    new MessageContent(reader.GetString(10), reader.OptionalString(9)),
                    key,
                    recipient,
                    new TouchpointKind(reader.GetString(5)),
                    reader.OptionalString(6));
                rows.Add(new PendingDispatch(tenantId, request, reader.GetInt32(11), lastAttemptAt, reader.OptionalString(13)));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidStoredStateException(Table, key, $"the row breaks a rule of {nameof(DispatchRequest)} or {nameof(PendingDispatch)} ({(e as ArgumentException)?.ParamName ?? e.Message}).", e);
            }
        }

        return rows;
    }
}
