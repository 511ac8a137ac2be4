using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The relationship store of a <see cref="PostgreSqlCrmStore"/>'s database: one row per relationship, keyed by tenant and
/// id, with optimistic concurrency on its version. Obtain it from <see cref="PostgreSqlCrmStore.Relationships"/>;
/// <c>RelationshipGraph</c> checks the graph's rules before it commits.
/// </summary>
public sealed class PostgreSqlRelationshipStore : IRelationshipStore
{
    private const string AggregateType = "relationship";
    private const string Table = "relationships";
    private const string Columns = "id, type_id, forward_role, reverse_role, category, is_hierarchical, from_party, to_party, is_primary, valid_from, valid_to, version";

    private const string SelectById = $"SELECT {Columns} FROM relationships WHERE tenant_id = @tenant AND id = @id";

    private const string SelectByParty = $"SELECT {Columns} FROM relationships WHERE tenant_id = @tenant AND (from_party = @party OR to_party = @party) ORDER BY id";

    private const string Version = "SELECT version FROM relationships WHERE tenant_id = @tenant AND id = @id";

    private const string Insert = $"""
        INSERT INTO relationships (tenant_id, {Columns})
        VALUES (@tenant, @id, @type, @forward, @reverse, @category, @hierarchical, @from, @to, @primary, @validFrom, @validTo, @version)
        ON CONFLICT (tenant_id, id) DO NOTHING
        """;

    private const string Update = """
        UPDATE relationships SET type_id = @type, forward_role = @forward, reverse_role = @reverse, category = @category,
            is_hierarchical = @hierarchical, from_party = @from, to_party = @to, is_primary = @primary, valid_from = @validFrom,
            valid_to = @validTo, version = @version
        WHERE tenant_id = @tenant AND id = @id AND version = @expected
        """;

    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlRelationshipStore(PostgreSqlCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<Relationship?> FindAsync(TenantId tenantId, RelationshipId relationshipId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(relationshipId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, SelectById).With("tenant", tenantId.Value).With("id", relationshipId.Value);
                var rows = await ReadAsync(select, tenantId, ct).ConfigureAwait(false);
                return rows.Count == 0 ? null : rows[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Relationship>> ListByPartyAsync(TenantId tenantId, CustomerId party, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(party);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<Relationship>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, SelectByParty).With("tenant", tenantId.Value).With("party", party.Value);
                return await ReadAsync(select, tenantId, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(Relationship relationship, long expectedVersion, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(relationship);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                var db = _store.Database;
                if (expectedVersion == 0)
                {
                    await PostgreSqlCustomerMergeStore.EnsurePartiesNotMergedAwayAsync(db, c, t, relationship.TenantId, relationship.From, relationship.To, ct).ConfigureAwait(false);
                }

                var changed = 0;
                if (expectedVersion >= 0 && relationship.Version == expectedVersion + 1)
                {
                    await using var write = db.Command(c, t, expectedVersion == 0 ? Insert : Update)
                        .With("tenant", relationship.TenantId.Value)
                        .With("id", relationship.Id.Value)
                        .With("type", relationship.Type.Id)
                        .With("forward", relationship.Type.ForwardRole)
                        .With("reverse", relationship.Type.ReverseRole)
                        .With("category", relationship.Type.Category.ToString())
                        .With("hierarchical", relationship.Type.IsHierarchical)
                        .With("from", relationship.From.Value)
                        .With("to", relationship.To.Value)
                        .With("primary", relationship.IsPrimary)
                        .With("validFrom", InstantText.Of(relationship.ValidFrom))
                        .WithText("validTo", relationship.ValidTo is { } end ? InstantText.Of(end) : null)
                        .With("version", relationship.Version);
                    if (expectedVersion != 0)
                    {
                        write.With("expected", expectedVersion);
                    }

                    changed = await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                if (changed != 1)
                {
                    await using var select = db.Command(c, t, Version).With("tenant", relationship.TenantId.Value).With("id", relationship.Id.Value);
                    var stored = await select.ExecuteScalarAsync(ct).ConfigureAwait(false) as long?;
                    throw new ConcurrencyConflictException(AggregateType, relationship.Id.ToString(), expectedVersion, stored);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<List<Relationship>> ReadAsync(NpgsqlCommand select, TenantId tenantId, CancellationToken cancellationToken)
    {
        var rows = new List<Relationship>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetGuid(0);
            try
            {
                if (!InstantText.TryParse(reader.GetString(9), out var validFrom))
                {
                    throw new FormatException("valid_from is not an ISO-8601 UTC instant with nine fractional digits");
                }

                NodaTime.Instant? validTo = null;
                if (!reader.IsDBNull(10))
                {
                    validTo = InstantText.TryParse(reader.GetString(10), out var end) ? end : throw new FormatException("valid_to is not an ISO-8601 UTC instant with nine fractional digits");
                }

                var type = new RelationshipType(reader.GetString(1), reader.GetString(2), reader.GetString(3), Enum.Parse<RelationshipCategory>(reader.GetString(4)), reader.GetBoolean(5));
                rows.Add(Relationship.Create(
                    tenantId,
                    new RelationshipId(id),
                    type,
                    new CustomerId(reader.GetGuid(6)),
                    new CustomerId(reader.GetGuid(7)),
                    reader.GetBoolean(8),
                    validFrom,
                    validTo,
                    reader.GetInt64(11)));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidStoredStateException(Table, id.ToString(), $"the row is not a valid relationship ({e.Message})", e);
            }
        }

        return rows;
    }
}
