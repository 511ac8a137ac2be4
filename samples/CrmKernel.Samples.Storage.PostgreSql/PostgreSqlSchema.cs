using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The database schema as an ordered list of migrations. Migration <c>n</c> (1-based) turns schema version <c>n - 1</c>
/// into version <c>n</c>; <c>crm_schema</c> records every version applied. Every table is distributed by tenant: its
/// first column is <c>tenant_id</c>, which leads its primary key and every index and unique constraint, so that Citus
/// can place all of a tenant's rows on one shard (see docs/scale-out.md).
/// </summary>
/// <remarks>
/// Rules for changing the schema: never edit a migration that has shipped, only append one; each runs in its own
/// transaction together with the row that records it, under a transaction-level advisory lock, so a failed migration
/// leaves the database at the previous version and two processes starting at once migrate it once. A database whose
/// version is newer than <see cref="CurrentVersion"/> was written by newer code and is refused before anything changes.
/// </remarks>
internal static class PostgreSqlSchema
{
    /// <summary>
    /// Version 1: customers (scalar columns plus the whole state as one JSON document, <c>state</c>), the two lookup
    /// tables that make identifiers unique and contact points searchable, the outbox, touchpoints and relationships.
    /// Ids are <c>uuid</c> (whose order is the id types' <c>CompareTo</c> order), instants are nanosecond-exact text in
    /// <c>COLLATE "C"</c> (see <see cref="InstantText"/>), money amounts and sentiments exact decimal text.
    /// </summary>
    internal const string Version1 = """
        CREATE TABLE customers (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            version bigint NOT NULL,
            kind text NOT NULL,
            lifecycle_stage text,
            created_at text COLLATE "C" NOT NULL,
            updated_at text COLLATE "C" NOT NULL,
            state jsonb NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );

        CREATE TABLE customer_identifiers (
            tenant_id text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            customer_id uuid NOT NULL,
            PRIMARY KEY (tenant_id, source, key)
        );

        CREATE INDEX customer_identifiers_by_customer ON customer_identifiers (tenant_id, customer_id);

        CREATE TABLE customer_contact_points (
            tenant_id text COLLATE "C" NOT NULL,
            kind text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            customer_id uuid NOT NULL,
            PRIMARY KEY (tenant_id, kind, value, customer_id)
        );

        CREATE INDEX customer_contact_points_by_customer ON customer_contact_points (tenant_id, customer_id);

        CREATE TABLE outbox (
            tenant_id text COLLATE "C" NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            event_id uuid NOT NULL,
            aggregate_type text NOT NULL,
            aggregate_id text NOT NULL,
            aggregate_version bigint NOT NULL,
            event_type text NOT NULL,
            occurred_at text COLLATE "C" NOT NULL,
            payload text NOT NULL,
            published boolean NOT NULL DEFAULT false,
            PRIMARY KEY (tenant_id, seq),
            UNIQUE (tenant_id, event_id)
        );

        CREATE INDEX outbox_pending ON outbox (tenant_id, seq) WHERE NOT published;

        CREATE TABLE touchpoints (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            customer_id uuid NOT NULL,
            channel text COLLATE "C" NOT NULL,
            direction text NOT NULL,
            function text NOT NULL,
            kind text COLLATE "C" NOT NULL,
            occurred_at text COLLATE "C" NOT NULL,
            recorded_at text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            source_key text COLLATE "C" NOT NULL,
            outcome text,
            satisfaction_scale text,
            satisfaction_value integer,
            sentiment text,
            cost_amount text,
            cost_currency text,
            revenue_amount text,
            revenue_currency text,
            campaign text,
            participants jsonb,
            products text[],
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, source, source_key)
        );

        CREATE INDEX touchpoints_timeline ON touchpoints (tenant_id, customer_id, occurred_at, id);

        CREATE TABLE relationships (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            type_id text NOT NULL,
            forward_role text NOT NULL,
            reverse_role text NOT NULL,
            category text NOT NULL,
            is_hierarchical boolean NOT NULL,
            from_party uuid NOT NULL,
            to_party uuid NOT NULL,
            is_primary boolean NOT NULL,
            valid_from text COLLATE "C" NOT NULL,
            valid_to text COLLATE "C",
            version bigint NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );

        CREATE INDEX relationships_by_from ON relationships (tenant_id, from_party);

        CREATE INDEX relationships_by_to ON relationships (tenant_id, to_party);
        """;

    /// <summary>Version 2: the channel dispatcher's pending messages, one row per tenant and dispatch key.</summary>
    internal const string Version2 = """
        CREATE TABLE pending_dispatches (
            tenant_id text COLLATE "C" NOT NULL,
            dispatch_key text COLLATE "C" NOT NULL,
            customer_id uuid NOT NULL,
            channel text NOT NULL,
            purpose text NOT NULL,
            function text NOT NULL,
            kind text NOT NULL,
            campaign text,
            recipient_kind text,
            recipient_value text,
            subject text,
            body text NOT NULL,
            attempts integer NOT NULL,
            last_attempt_at text COLLATE "C" NOT NULL,
            last_reason text,
            PRIMARY KEY (tenant_id, dispatch_key)
        );

        CREATE INDEX pending_dispatches_by_attempt ON pending_dispatches (tenant_id, last_attempt_at, dispatch_key);
        """;

    /// <summary>Version 3: sales pipelines and opportunities (see <see cref="PostgreSqlSalesStore.Migration"/>). Adds tables only.</summary>
    internal const string Version3 = PostgreSqlSalesStore.Migration;

    /// <summary>Version 4: service cases (see <see cref="PostgreSqlCaseStore.Migration"/>). Adds a table only.</summary>
    internal const string Version4 = PostgreSqlCaseStore.Migration;

    /// <summary>Version 5: segment definitions and snapshots (see <see cref="PostgreSqlSegmentStore.Migration"/>). Adds tables only.</summary>
    internal const string Version5 = PostgreSqlSegmentStore.Migration;

    /// <summary>Version 6: prediction markets and their trades (see <see cref="PostgreSqlPredictionMarketStore.Migration"/>). Adds tables only.</summary>
    internal const string Version6 = PostgreSqlPredictionMarketStore.Migration;
    /// <summary>Version 7: ideas, voice records and votes (see <see cref="PostgreSqlIdeaStore.Migration"/>). Adds tables only.</summary>
    internal const string Version7 = PostgreSqlIdeaStore.Migration;
    /// <summary>Version 8: erasure records (see <see cref="ErasureRows.Migration"/>). Adds a table only.</summary>
    internal const string Version8 = ErasureRows.Migration;
    /// <summary>Version 9: customer merges (see <see cref="PostgreSqlCustomerMergeStore.Migration"/>). Adds tables only.</summary>
    internal const string Version9 = PostgreSqlCustomerMergeStore.Migration;

    internal static readonly string[] Migrations = [Version1, Version2, Version3, Version4, Version5, Version6, Version7, Version8, Version9];

    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS crm_schema (
            version integer NOT NULL PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    /// <summary>One lock id for every CrmKernel schema migration in a database (any constant; "CRMK" in ASCII).</summary>
    private const string LockMigrations = "SELECT pg_advisory_xact_lock(1129467211)";

    private const string ReadVersion = "SELECT coalesce(max(version), 0) FROM crm_schema";

    private const string RecordVersion = "INSERT INTO crm_schema (version) VALUES (@version)";

    /// <summary>The newest schema version this code reads and writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Brings the database to <see cref="CurrentVersion"/> (or to <paramref name="upTo"/>, for tests that build an old
    /// database): applies each missing migration in its own transaction and does nothing when the database is current.
    /// </summary>
    /// <exception cref="UnsupportedSchemaVersionException">The database's schema is newer than this code.</exception>
    public static async ValueTask MigrateAsync(PostgreSqlDatabase database, CancellationToken cancellationToken, int? upTo = null)
    {
        var target = upTo ?? CurrentVersion;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = database.Command(connection, transaction, LockMigrations))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var create = database.Command(connection, transaction, CreateVersionTable))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int version;
            await using (var read = database.Command(connection, transaction, ReadVersion))
            {
                version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (version > CurrentVersion)
            {
                throw new UnsupportedSchemaVersionException(database.Name, version, CurrentVersion);
            }

            if (version >= target)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            await using (var migrate = database.Command(connection, transaction, Migrations[version]))
            {
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var record = database.Command(connection, transaction, RecordVersion).With("version", version + 1))
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
