using CrmKernel.Storage;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The database schema as an ordered list of migrations. Migration <c>n</c> (1-based) turns schema version
/// <c>n - 1</c> into version <c>n</c>; <c>crm_schema</c> records every version applied.
/// </summary>
/// <remarks>
/// Rules for changing the schema: never edit a migration that has shipped, only append a new one; each runs in
/// its own transaction together with the row that records it, so a failed migration leaves the file at the
/// previous version. A file whose version is newer than <see cref="CurrentVersion"/> was written by newer code
/// and is refused, never read or written.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>
    /// Version 1. Every key starts with the tenant. Tables are <c>STRICT</c> (SQLite checks each column's type
    /// on every write, so text never silently becomes a number) and <c>WITHOUT ROWID</c> where the natural key
    /// is the primary key. Values are validated by the kernel's parsers when read, not by CHECK constraints, so
    /// there is one set of rules.
    /// </summary>
    private const string Version1 = """
        CREATE TABLE customers (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            home_time_zone TEXT,
            given_name TEXT,
            family_name TEXT,
            preferred_name TEXT,
            honorific TEXT,
            birth_date TEXT,
            preferred_language TEXT,
            job_title TEXT,
            legal_name TEXT,
            trading_name TEXT,
            registration_number TEXT,
            tax_id TEXT,
            industry TEXT,
            website TEXT,
            employee_count INTEGER,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE customer_contact_points (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            is_primary INTEGER NOT NULL,
            label TEXT,
            PRIMARY KEY (tenant, customer_id, position),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX customer_contact_points_by_value ON customer_contact_points (tenant, kind, value);

        CREATE TABLE customer_identifiers (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            "key" TEXT NOT NULL,
            PRIMARY KEY (tenant, customer_id, position),
            UNIQUE (tenant, source, "key"),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE customer_tags (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            tag TEXT NOT NULL,
            PRIMARY KEY (tenant, customer_id, tag),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE customer_attributes (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (tenant, customer_id, name),
            FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL,
            event_id TEXT NOT NULL UNIQUE,
            aggregate_type TEXT NOT NULL,
            aggregate_id TEXT NOT NULL,
            aggregate_version INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            payload TEXT NOT NULL,
            published INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        CREATE INDEX outbox_pending ON outbox (tenant, seq) WHERE published = 0;
        """;

    /// <summary>
    /// Version 2: touchpoints and relationships. Adds tables only, so existing customers and outbox rows need no
    /// change. Touchpoints are unique per tenant by id and by source key (the idempotency key of ingestion); the
    /// timeline index <c>(tenant, customer_id, occurred_at, id)</c> serves a customer's timeline in order, because
    /// instant text sorts in time order and id text in id order. Neither table references <c>customers</c>: a
    /// source system may deliver contacts before the customer's master data, and relationships may name any party.
    /// </summary>
    private const string Version2 = """
        CREATE TABLE touchpoints (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            direction TEXT NOT NULL,
            function TEXT NOT NULL,
            kind TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            outcome TEXT,
            satisfaction_scale TEXT,
            satisfaction_value INTEGER,
            sentiment TEXT,
            cost_amount TEXT,
            cost_currency TEXT,
            revenue_amount TEXT,
            revenue_currency TEXT,
            campaign TEXT,
            PRIMARY KEY (tenant, id),
            UNIQUE (tenant, source, source_key)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX touchpoints_timeline ON touchpoints (tenant, customer_id, occurred_at, id);

        CREATE TABLE touchpoint_participants (
            tenant TEXT NOT NULL,
            touchpoint_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            role TEXT NOT NULL,
            customer_id TEXT,
            user_id TEXT,
            PRIMARY KEY (tenant, touchpoint_id, position),
            FOREIGN KEY (tenant, touchpoint_id) REFERENCES touchpoints (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE touchpoint_products (
            tenant TEXT NOT NULL,
            touchpoint_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            product_id TEXT NOT NULL,
            PRIMARY KEY (tenant, touchpoint_id, position),
            FOREIGN KEY (tenant, touchpoint_id) REFERENCES touchpoints (tenant, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE relationships (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            type_id TEXT NOT NULL,
            forward_role TEXT NOT NULL,
            reverse_role TEXT NOT NULL,
            category TEXT NOT NULL,
            is_hierarchical INTEGER NOT NULL,
            from_party TEXT NOT NULL,
            to_party TEXT NOT NULL,
            is_primary INTEGER NOT NULL,
            valid_from TEXT NOT NULL,
            valid_to TEXT,
            version INTEGER NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX relationships_by_from ON relationships (tenant, from_party);

        CREATE INDEX relationships_by_to ON relationships (tenant, to_party);
        """;

    /// <summary>
    /// Version 3: the customer lifecycle. Adds three nullable columns to <c>customers</c>: the current stage, and the
    /// transition history and guard facts as JSON documents (null for a customer with no lifecycle yet), so existing rows
    /// need no rewrite.
    /// </summary>
    private const string Version3 = """
        ALTER TABLE customers ADD COLUMN lifecycle_stage TEXT;
        ALTER TABLE customers ADD COLUMN lifecycle_history TEXT;
        ALTER TABLE customers ADD COLUMN lifecycle_facts TEXT;
        """;

    /// <summary>Version 4: the consent ledger (see <see cref="ConsentRows.Migration"/>).</summary>
    private const string Version4 = ConsentRows.Migration;

    /// <summary>Version 5: the channel dispatcher's pending messages (see <see cref="PendingDispatchRows.Migration"/>).</summary>
    private const string Version5 = PendingDispatchRows.Migration;

    /// <summary>
    /// Version 6: the scan index. <c>touchpoints_scan</c> is the timeline key <c>(tenant, customer_id, occurred_at, id)</c>
    /// followed by every column a metric scan reads (<see cref="TouchpointSql.SelectScanRows"/>), so the scan reads the
    /// index alone, in order, instead of looking each row up in the table by its primary key. It replaces
    /// <c>touchpoints_timeline</c>, whose key is its prefix, so timeline pages use it the same way and an append still
    /// writes one secondary index. SQLite builds it from the existing rows when the migration runs (one pass over the
    /// table); the data is not rewritten.
    /// </summary>
    private const string Version6 = $"""
        CREATE INDEX {TouchpointSql.ScanIndex} ON touchpoints (
            tenant, customer_id, occurred_at, id,
            channel, direction, function, kind, outcome, satisfaction_scale, satisfaction_value,
            cost_amount, cost_currency, revenue_amount, revenue_currency);
        DROP INDEX touchpoints_timeline;
        """;

    /// <summary>Version 7: sales pipelines and opportunities (see <see cref="SalesRows.Migration"/>). Adds tables only.</summary>
    private const string Version7 = SalesRows.Migration;

    /// <summary>Version 8: service cases (see <see cref="CaseRows.Migration"/>). Adds a table only.</summary>
    private const string Version8 = CaseRows.Migration;

    /// <summary>Version 9: segment definitions and snapshots (see <see cref="SegmentRows.Migration"/>). Adds tables only.</summary>
    private const string Version9 = SegmentRows.Migration;

    /// <summary>Version 10: prediction markets and their trades (see <see cref="PredictionMarketRows.Migration"/>). Adds tables only.</summary>
    private const string Version10 = PredictionMarketRows.Migration;
    /// <summary>Version 11: ideas, voice records and votes (see <see cref="IdeaRows.Migration"/>). Adds tables only.</summary>
    private const string Version11 = IdeaRows.Migration;
    /// <summary>Version 12: erasure records (see <see cref="ErasureRows.Migration"/>). Adds a table only.</summary>
    private const string Version12 = ErasureRows.Migration;
    /// <summary>Version 13: customer merges (see <see cref="CustomerMergeRows.Migration"/>). Adds tables only.</summary>
    private const string Version13 = CustomerMergeRows.Migration;

    private static readonly string[] Migrations = [Version1, Version2, Version3, Version4, Version5, Version6, Version7, Version8, Version9, Version10, Version11, Version12, Version13];

    private static readonly SqlStatement CreateVersionTable = new("""
        CREATE TABLE IF NOT EXISTS crm_schema (
            version INTEGER NOT NULL PRIMARY KEY,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ) STRICT
        """);

    private static readonly SqlStatement ReadVersion = new("SELECT coalesce(max(version), 0) FROM crm_schema");

    private static readonly SqlStatement RecordVersion = new("INSERT INTO crm_schema (version) VALUES ($version)", "$version");

    /// <summary>The newest schema version this code reads and writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Brings the database to <see cref="CurrentVersion"/>: creates it on an empty file, applies the missing
    /// migrations one transaction each, and does nothing when it is current. Safe when several processes open
    /// the same file at once: each migration re-reads the version under the write lock. Finally puts the file in
    /// WAL mode.
    /// </summary>
    /// <exception cref="UnsupportedSchemaVersionException">The file's schema is newer than this code.</exception>
    public static async ValueTask MigrateAsync(SqliteSession session, string storeName, CancellationToken cancellationToken)
    {
        while (true)
        {
            await session.BeginAsync(write: true, cancellationToken).ConfigureAwait(false);
            try
            {
                await session.ExecuteAsync(CreateVersionTable, cancellationToken).ConfigureAwait(false);
                var version = Convert.ToInt32(
                    await session.Command(ReadVersion).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                    System.Globalization.CultureInfo.InvariantCulture);
                if (version > CurrentVersion)
                {
                    throw new UnsupportedSchemaVersionException(storeName, version, CurrentVersion);
                }

                if (version == CurrentVersion)
                {
                    await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                using (var migration = new SqliteCommand(Migrations[version], session.Connection))
                {
                    await migration.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var record = session.Command(RecordVersion);
                record.Parameters[0].Value = version + 1;
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                session.RollbackIfActive();
                throw;
            }
        }

        // WAL lets readers run while a writer commits. The mode is kept in the file and can only be set outside a
        // transaction; it is set after the version check so that a refused file is left exactly as it was.
        using var wal = new SqliteCommand("PRAGMA journal_mode = WAL", session.Connection);
        await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
