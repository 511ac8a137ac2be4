using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The <c>relationships</c> table: one row per relationship with its whole type (id, roles, category, hierarchical),
/// so host-defined types round-trip without a type registry. Ending a relationship replaces its row with the next
/// version; rows are never deleted, so history is kept.
/// </summary>
internal static class RelationshipRows
{
    public const string Table = "relationships";

    /// <summary>The aggregate type the kernel's relationship stores name in conflict errors.</summary>
    public const string AggregateType = "relationship";

    private const string Columns = """
        id, type_id, forward_role, reverse_role, category, is_hierarchical, from_party, to_party, is_primary, valid_from, valid_to, version
        """;

    /// <summary>The parameters of <see cref="Insert"/> and <see cref="Update"/> that carry the state, in binding order.</summary>
    private static readonly string[] StateParameters =
    [
        "$tenant", "$id", "$type_id", "$forward_role", "$reverse_role", "$category", "$is_hierarchical",
        "$from_party", "$to_party", "$is_primary", "$valid_from", "$valid_to", "$version",
    ];

    /// <summary>Inserts a relationship unless the tenant already has the id (then it changes no row).</summary>
    private static readonly SqlStatement Insert = new(
        """
        INSERT INTO relationships (
            tenant, id, type_id, forward_role, reverse_role, category, is_hierarchical, from_party, to_party, is_primary, valid_from, valid_to, version)
        VALUES (
            $tenant, $id, $type_id, $forward_role, $reverse_role, $category, $is_hierarchical, $from_party, $to_party, $is_primary, $valid_from, $valid_to, $version)
        ON CONFLICT (tenant, id) DO NOTHING
        """,
        StateParameters);

    /// <summary>Replaces a relationship's row only if its stored version is still the expected one (then it changes one row).</summary>
    private static readonly SqlStatement Update = new(
        """
        UPDATE relationships SET
            type_id = $type_id, forward_role = $forward_role, reverse_role = $reverse_role, category = $category,
            is_hierarchical = $is_hierarchical, from_party = $from_party, to_party = $to_party, is_primary = $is_primary,
            valid_from = $valid_from, valid_to = $valid_to, version = $version
        WHERE tenant = $tenant AND id = $id AND version = $expected
        """,
        [.. StateParameters, "$expected"]);

    private static readonly SqlStatement Version = new("SELECT version FROM relationships WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement SelectById = new($"SELECT {Columns} FROM relationships WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    /// <summary>
    /// A party's relationships on either side, in id order. The two indexes hold the primary key after the party (a
    /// WITHOUT ROWID table's index entries end with it), so each side comes out in id order and SQLite merges them
    /// without a sort. A party is never on both sides of one relationship, so no row comes twice.
    /// </summary>
    /// <remarks>
    /// <c>INDEXED BY</c> pins the plan: without statistics SQLite 3.53 plans each side (and an <c>OR</c> of the two) as
    /// a scan of the tenant's primary key, which delivers id order but reads every relationship of the tenant.
    /// </remarks>
    private static readonly SqlStatement SelectForParty = new(
        $"""
        SELECT {Columns} FROM relationships INDEXED BY relationships_by_from WHERE tenant = $tenant AND from_party = $party
        UNION ALL
        SELECT {Columns} FROM relationships INDEXED BY relationships_by_to WHERE tenant = $tenant AND to_party = $party
        ORDER BY id
        """,
        "$tenant", "$party");

    /// <summary>
    /// Stores a relationship at its version inside the caller's write transaction: an insert when
    /// <paramref name="expectedVersion"/> is 0, otherwise a replace of the row stored at that version.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">
    /// The stored version is not <paramref name="expectedVersion"/> (or there is a row when 0 was expected), or the
    /// relationship's version is not the next one; nothing was stored.
    /// </exception>
    public static async ValueTask CommitAsync(SqliteSession session, Relationship relationship, long expectedVersion, CancellationToken cancellationToken)
    {
        var tenant = relationship.TenantId.Value;
        var id = ColumnText.OfId(relationship.Id);
        if (expectedVersion < 0 || relationship.Version != expectedVersion + 1)
        {
            throw await ConflictAsync(session, tenant, id, expectedVersion, cancellationToken).ConfigureAwait(false);
        }

        var command = session.Command(expectedVersion == 0 ? Insert : Update);
        var p = command.Parameters;
        p[0].Value = tenant;
        p[1].Value = id;
        p[2].Value = relationship.Type.Id;
        p[3].Value = relationship.Type.ForwardRole;
        p[4].Value = relationship.Type.ReverseRole;
        p[5].Value = ColumnText.OfCategory(relationship.Type.Category);
        p[6].Value = relationship.Type.IsHierarchical ? 1 : 0;
        p[7].Value = ColumnText.OfId(relationship.From);
        p[8].Value = ColumnText.OfId(relationship.To);
        p[9].Value = relationship.IsPrimary ? 1 : 0;
        p[10].Value = ColumnText.OfInstant(relationship.ValidFrom);
        p[11].Value = relationship.ValidTo is { } end ? ColumnText.OfInstant(end) : DBNull.Value;
        p[12].Value = relationship.Version;
        if (expectedVersion != 0)
        {
            p[13].Value = expectedVersion;
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw await ConflictAsync(session, tenant, id, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one relationship; null when the tenant has none.</summary>
    public static async ValueTask<Relationship?> FindAsync(SqliteSession session, TenantId tenantId, RelationshipId relationshipId, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectById);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = ColumnText.OfId(relationshipId);
        var found = await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Reads every relationship in which <paramref name="party"/> is either side, current and ended, in id order.</summary>
    public static ValueTask<IReadOnlyList<Relationship>> ListByPartyAsync(SqliteSession session, TenantId tenantId, CustomerId party, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectForParty);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = ColumnText.OfId(party);
        return ReadAsync(select, tenantId, cancellationToken);
    }

    private static async ValueTask<ConcurrencyConflictException> ConflictAsync(SqliteSession session, string tenant, string id, long expectedVersion, CancellationToken cancellationToken)
    {
        var select = session.Command(Version);
        select.Parameters[0].Value = tenant;
        select.Parameters[1].Value = id;
        var stored = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
        return new ConcurrencyConflictException(AggregateType, id, expectedVersion, stored);
    }

    private static async ValueTask<IReadOnlyList<Relationship>> ReadAsync(SqliteCommand select, TenantId tenantId, CancellationToken cancellationToken)
    {
        var found = new List<Relationship>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(ReadRelationship(reader, tenantId));
        }

        return found;
    }

    /// <summary>
    /// Rebuilds a relationship with the kernel's constructors; a value that does not parse throws
    /// <see cref="InvalidStoredStateException"/> naming the table and the relationship id, never the value.
    /// </summary>
    private static Relationship ReadRelationship(SqliteDataReader reader, TenantId tenantId)
    {
        // id, type_id, forward_role, reverse_role, category, is_hierarchical, from_party, to_party, is_primary, valid_from, valid_to, version
        var idText = reader.GetString(0);
        if (!RelationshipId.TryParse(idText, out var id) || ColumnText.OfId(id) != idText)
        {
            throw Invalid(idText, "id is not a relationship id (a non-empty GUID in lower-case \"D\" format).");
        }

        if (!ColumnText.TryParseCategory(reader.GetString(4), out var category))
        {
            throw Invalid(idText, "category is not one of business, family, social, commercial.");
        }

        var hierarchical = Flag(reader, 5, idText, "is_hierarchical");
        RelationshipType type;
        try
        {
            type = new RelationshipType(reader.GetString(1), reader.GetString(2), reader.GetString(3), category, hierarchical);
        }
        catch (ArgumentException e)
        {
            throw Invalid(idText, $"the type breaks a rule of {nameof(RelationshipType)} ({e.ParamName}).", e);
        }

        if (type.Id != reader.GetString(1) || type.ForwardRole != reader.GetString(2) || type.ReverseRole != reader.GetString(3))
        {
            throw Invalid(idText, "type_id, forward_role or reverse_role is not in normalised form (lower case, trimmed).");
        }

        var from = Party(reader, 6, idText, "from_party");
        var to = Party(reader, 7, idText, "to_party");
        var primary = Flag(reader, 8, idText, "is_primary");
        if (!ColumnText.TryParseInstant(reader.GetString(9), out var validFrom))
        {
            throw Invalid(idText, "valid_from is not an ISO-8601 UTC instant.");
        }

        NodaTime.Instant? validTo = null;
        if (!reader.IsDBNull(10))
        {
            if (!ColumnText.TryParseInstant(reader.GetString(10), out var end))
            {
                throw Invalid(idText, "valid_to is not an ISO-8601 UTC instant.");
            }

            validTo = end;
        }

        try
        {
            return Relationship.Create(tenantId, id, type, from, to, primary, validFrom, validTo, reader.GetInt64(11));
        }
        catch (ArgumentException e)
        {
            throw Invalid(idText, $"the row breaks a rule of {nameof(Relationship)} ({e.ParamName}).", e);
        }
    }

    private static CustomerId Party(SqliteDataReader reader, int ordinal, string idText, string column)
    {
        var text = reader.GetString(ordinal);
        return CustomerId.TryParse(text, out var party) && ColumnText.OfId(party) == text
            ? party
            : throw Invalid(idText, $"{column} is not a customer id (a non-empty GUID in lower-case \"D\" format).");
    }

    private static bool Flag(SqliteDataReader reader, int ordinal, string idText, string column) => reader.GetInt64(ordinal) switch
    {
        0 => false,
        1 => true,
        _ => throw Invalid(idText, $"{column} is neither 0 nor 1."),
    };

    private static InvalidStoredStateException Invalid(string relationshipId, string reason, Exception? innerException = null)
        => new(Table, relationshipId, reason, innerException);
}
