using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The consent ledger in <c>customer_consents</c>: one row per entry, keyed by its position in the ledger. The ledger
/// is append-only, so a commit inserts only the entries after those already stored; a removed customer's rows go
/// with it (<c>ON DELETE CASCADE</c>).
/// </summary>
internal static class ConsentRows
{
    private const string Table = "customer_consents";

    /// <summary>How many entries a customer has stored. Parameters: tenant, id.</summary>
    private static readonly SqlStatement CountStored = new("SELECT count(*) FROM customer_consents WHERE tenant = $tenant AND customer_id = $id", "$tenant", "$id");

    private static readonly SqlStatement DeleteAll = new("DELETE FROM customer_consents WHERE tenant = $tenant AND customer_id = $id", "$tenant", "$id");

    private static readonly SqlStatement Insert = new(
        """
        INSERT INTO customer_consents (
            tenant, customer_id, position, purpose, channel, contact_kind, contact_value,
            status, basis, source, evidence, captured_at, valid_from, valid_until)
        VALUES ($tenant, $id, $position, $purpose, $channel, $contact_kind, $contact_value,
            $status, $basis, $source, $evidence, $captured_at, $valid_from, $valid_until)
        """,
        "$tenant", "$id", "$position", "$purpose", "$channel", "$contact_kind", "$contact_value",
        "$status", "$basis", "$source", "$evidence", "$captured_at", "$valid_from", "$valid_until");

    /// <summary>Entries of the customers whose ids lie in a range, in customer and position order. Parameters: tenant, first id, last id.</summary>
    public static readonly SqlStatement Select = new(
        """
        SELECT customer_id, purpose, channel, contact_kind, contact_value, status, basis, source, evidence, captured_at, valid_from, valid_until
        FROM customer_consents WHERE tenant = $tenant AND customer_id BETWEEN $first AND $last ORDER BY customer_id, position
        """,
        "$tenant", "$first", "$last");

    /// <summary>
    /// Version 3: the consent ledger. Adds a table only; customers stored before have no entries, which is what an
    /// empty ledger reads as.
    /// </summary>
    public const string Migration = """
        CREATE TABLE customer_consents (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            purpose TEXT NOT NULL,
            channel TEXT,
            contact_kind TEXT,
            contact_value TEXT,
            status TEXT NOT NULL,
            basis TEXT NOT NULL,
            source TEXT NOT NULL,
            evidence TEXT,
            captured_at TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_until TEXT,
            PRIMARY KEY (tenant, customer_id, position),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;
        """;

    /// <summary>Deletes a customer's whole ledger (a merge or an unmerge then writes the survivor's anew).</summary>
    public static async ValueTask DeleteAllAsync(SqliteSession session, string tenant, string id, CancellationToken cancellationToken)
    {
        var delete = session.Command(DeleteAll);
        delete.Parameters[0].Value = tenant;
        delete.Parameters[1].Value = id;
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts the entries of <paramref name="state"/> not stored yet (the ledger only grows).</summary>
    public static async ValueTask InsertNewAsync(SqliteSession session, CustomerSnapshot state, string tenant, string id, bool isInsert, CancellationToken cancellationToken)
    {
        if (state.Consents.Count == 0)
        {
            return;
        }

        var stored = 0;
        if (!isInsert)
        {
            var count = session.Command(CountStored);
            count.Parameters[0].Value = tenant;
            count.Parameters[1].Value = id;
            stored = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        var insert = session.Command(Insert);
        var p = insert.Parameters;
        p[0].Value = tenant;
        p[1].Value = id;
        for (var position = stored; position < state.Consents.Count; position++)
        {
            var e = state.Consents[position];
            p[2].Value = position;
            p[3].Value = e.Purpose.Value;
            p[4].Value = (object?)e.Channel?.Value ?? DBNull.Value;
            p[5].Value = e.ContactPoint is { } point ? ColumnText.OfContactPointKind(point.Kind) : DBNull.Value;
            p[6].Value = (object?)e.ContactPoint?.NormalizedValue ?? DBNull.Value;
            p[7].Value = OfStatus(e.Status);
            p[8].Value = OfBasis(e.Basis);
            p[9].Value = e.Source;
            p[10].Value = (object?)e.Evidence ?? DBNull.Value;
            p[11].Value = ColumnText.OfInstant(e.CapturedAt);
            p[12].Value = ColumnText.OfInstant(e.ValidFrom);
            p[13].Value = e.ValidUntil is { } until ? ColumnText.OfInstant(until) : DBNull.Value;
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one row of <see cref="Select"/> into an entry, or throws <see cref="InvalidStoredStateException"/> naming the column.</summary>
    public static ConsentEntry Read(SqliteDataReader reader, string customerId)
    {
        // customer_id, purpose, channel, contact_kind, contact_value, status, basis, source, evidence, captured_at, valid_from, valid_until
        if (!ConsentPurpose.TryParse(reader.GetString(1), out var purpose))
        {
            throw Invalid(customerId, "purpose is not a valid consent purpose.");
        }

        ChannelId? channel = null;
        if (!reader.IsDBNull(2))
        {
            channel = ChannelId.TryParse(reader.GetString(2), out var parsed) ? parsed : throw Invalid(customerId, "channel is not a valid channel id.");
        }

        ContactPoint? point = null;
        if (!reader.IsDBNull(3) || !reader.IsDBNull(4))
        {
            if (reader.IsDBNull(3) || reader.IsDBNull(4) || !ColumnText.TryParseContactPointKind(reader.GetString(3), out var kind))
            {
                throw Invalid(customerId, "contact_kind and contact_value are not a valid pair.");
            }

            try
            {
                point = ContactPoint.Parse(kind, reader.GetString(4));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw Invalid(customerId, $"contact_value is not a valid {kind} contact point.", e);
            }
        }

        var status = reader.GetString(5) switch
        {
            "granted" => ConsentStatus.Granted,
            "declined" => ConsentStatus.Declined,
            "withdrawn" => ConsentStatus.Withdrawn,
            _ => throw Invalid(customerId, "status is not one of granted, declined, withdrawn."),
        };
        var basis = ParseBasis(reader.GetString(6)) ?? throw Invalid(customerId, "basis is not a lawful basis.");
        if (!ColumnText.TryParseInstant(reader.GetString(9), out var captured)
            || !ColumnText.TryParseInstant(reader.GetString(10), out var from))
        {
            throw Invalid(customerId, "captured_at or valid_from is not an ISO-8601 UTC instant.");
        }

        NodaTime.Instant? until = null;
        if (!reader.IsDBNull(11))
        {
            until = ColumnText.TryParseInstant(reader.GetString(11), out var parsed) ? parsed : throw Invalid(customerId, "valid_until is not an ISO-8601 UTC instant.");
        }

        try
        {
            return new ConsentEntry(purpose, channel, point, status, basis, reader.GetString(7), captured, reader.IsDBNull(8) ? null : reader.GetString(8), from, until);
        }
        catch (ArgumentException e)
        {
            throw Invalid(customerId, $"the entry breaks a rule of {nameof(ConsentEntry)} ({e.ParamName}).", e);
        }
    }

    private static string OfStatus(ConsentStatus status) => status switch
    {
        ConsentStatus.Granted => "granted",
        ConsentStatus.Declined => "declined",
        _ => "withdrawn",
    };

    private static string OfBasis(LawfulBasis basis) => basis switch
    {
        LawfulBasis.Consent => "consent",
        LawfulBasis.Contract => "contract",
        LawfulBasis.LegitimateInterest => "legitimate_interest",
        LawfulBasis.LegalObligation => "legal_obligation",
        LawfulBasis.VitalInterests => "vital_interests",
        _ => "public_task",
    };

    private static LawfulBasis? ParseBasis(string text) => text switch
    {
        "consent" => LawfulBasis.Consent,
        "contract" => LawfulBasis.Contract,
        "legitimate_interest" => LawfulBasis.LegitimateInterest,
        "legal_obligation" => LawfulBasis.LegalObligation,
        "vital_interests" => LawfulBasis.VitalInterests,
        "public_task" => LawfulBasis.PublicTask,
        _ => null,
    };

    private static InvalidStoredStateException Invalid(string customerId, string reason, Exception? inner = null) => new(Table, customerId, reason, inner);
}
