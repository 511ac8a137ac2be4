using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// Appends touchpoints inside the caller's write transaction: one row in <c>touchpoints</c>, one per participant
/// and one per product reference, in their order. Touchpoints are immutable, so rows are only ever inserted.
/// </summary>
internal static class TouchpointRowWriter
{
    /// <summary>
    /// Inserts each touchpoint whose id and source key the tenant does not hold yet. <c>INSERT … ON CONFLICT DO
    /// NOTHING</c> tells a new touchpoint (one row changed) from one already held (none), so the common case costs one
    /// statement per row; only a refused row is looked at again: the stored touchpoint with its source key is read back
    /// and compared with <see cref="Touchpoint.HasSameContent"/> (a re-delivery, or a conflict), and with no touchpoint
    /// under that key the id was reused (a conflict). Rows appended earlier in the batch count as stored.
    /// </summary>
    /// <exception cref="InvalidStoredStateException">The stored touchpoint under a refused row's source key does not read back.</exception>
    public static async ValueTask<TouchpointAppendResult> AppendAsync(SqliteSession session, string tenant, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        var insert = session.Command(TouchpointSql.Insert);
        var p = insert.Parameters;
        p[0].Value = tenant;
        var appended = 0;
        List<int>? present = null;
        List<int>? conflicts = null;
        for (var i = 0; i < touchpoints.Count; i++)
        {
            var touchpoint = touchpoints[i];
            var id = ColumnText.OfId(touchpoint.Id);
            Bind(p, touchpoint, id);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                var stored = await TouchpointRowReader.FindBySourceAsync(session, touchpoint.TenantId, touchpoint.Source, cancellationToken).ConfigureAwait(false);
                (stored is not null && stored.HasSameContent(touchpoint) ? present ??= [] : conflicts ??= []).Add(i);
                continue;
            }

            await InsertChildrenAsync(session, touchpoint, tenant, id, cancellationToken).ConfigureAwait(false);
            appended++;
        }

        return new TouchpointAppendResult(appended, present ?? (IReadOnlyList<int>)[], conflicts ?? (IReadOnlyList<int>)[]);
    }

    /// <summary>Binds every column of <see cref="TouchpointSql.Insert"/> but the tenant, which stays bound for the batch.</summary>
    private static void Bind(SqliteParameterCollection p, Touchpoint touchpoint, string id)
    {
        p[1].Value = id;
        p[2].Value = ColumnText.OfId(touchpoint.CustomerId);
        p[3].Value = touchpoint.Channel.Value;
        p[4].Value = ColumnText.OfDirection(touchpoint.Direction);
        p[5].Value = ColumnText.OfFunction(touchpoint.Function);
        p[6].Value = touchpoint.Kind.Value;
        p[7].Value = ColumnText.OfInstant(touchpoint.OccurredAt);
        p[8].Value = ColumnText.OfInstant(touchpoint.RecordedAt);
        p[9].Value = touchpoint.Source.Source;
        p[10].Value = touchpoint.Source.Key;
        p[11].Value = touchpoint.Outcome is { } outcome ? outcome.Value : DBNull.Value;
        p[12].Value = touchpoint.Satisfaction is { } score ? ColumnText.OfSatisfactionScale(score.Scale) : DBNull.Value;
        p[13].Value = touchpoint.Satisfaction is { } answer ? answer.Value : DBNull.Value;
        p[14].Value = touchpoint.Sentiment is { } sentiment ? ColumnText.OfDecimal(sentiment.Value) : DBNull.Value;
        BindMoney(p[15], p[16], touchpoint.Cost);
        BindMoney(p[17], p[18], touchpoint.Revenue);
        p[19].Value = (object?)touchpoint.CampaignId ?? DBNull.Value;
    }

    private static void BindMoney(SqliteParameter amount, SqliteParameter currency, Money? money)
    {
        if (money is { } value)
        {
            amount.Value = ColumnText.OfDecimal(value.Amount);
            currency.Value = value.Currency.Code;
        }
        else
        {
            amount.Value = DBNull.Value;
            currency.Value = DBNull.Value;
        }
    }

    private static async ValueTask InsertChildrenAsync(SqliteSession session, Touchpoint touchpoint, string tenant, string id, CancellationToken cancellationToken)
    {
        if (touchpoint.Participants.Count > 0)
        {
            var insert = session.Command(TouchpointSql.InsertParticipant);
            var p = insert.Parameters;
            p[0].Value = tenant;
            p[1].Value = id;
            for (var position = 0; position < touchpoint.Participants.Count; position++)
            {
                var participant = touchpoint.Participants[position];
                p[2].Value = position;
                p[3].Value = participant.Role;
                p[4].Value = participant.CustomerId is { } customer ? ColumnText.OfId(customer) : DBNull.Value;
                p[5].Value = (object?)participant.UserId ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (touchpoint.ProductIds.Count > 0)
        {
            var insert = session.Command(TouchpointSql.InsertProduct);
            var p = insert.Parameters;
            p[0].Value = tenant;
            p[1].Value = id;
            for (var position = 0; position < touchpoint.ProductIds.Count; position++)
            {
                p[2].Value = position;
                p[3].Value = touchpoint.ProductIds[position];
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
