using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The segment store of a <see cref="PostgreSqlCrmStore"/>'s database: one row per definition version holding the
/// kernel's document (<see cref="SegmentDocuments"/>), one row per frozen membership and one per member, every key led
/// by <c>tenant_id</c> (Citus-ready). Obtain it from <see cref="PostgreSqlCrmStore.Segments"/>; application code uses
/// <c>SegmentService</c> over it.
/// </summary>
public sealed class PostgreSqlSegmentStore : ISegmentStore
{
    /// <summary>Schema version 5: the segment tables, every key led by <c>tenant_id</c> (Citus-ready).</summary>
    internal const string Migration = """
        CREATE TABLE segment_definitions (
            tenant_id text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            version integer NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, id, version)
        );

        CREATE TABLE segment_snapshots (
            tenant_id text COLLATE "C" NOT NULL,
            segment text COLLATE "C" NOT NULL,
            seq bigint NOT NULL,
            version integer NOT NULL,
            as_of text NOT NULL,
            evaluated_at text NOT NULL,
            evaluated_ticks bigint NOT NULL,
            PRIMARY KEY (tenant_id, segment, seq)
        );

        CREATE TABLE segment_snapshot_members (
            tenant_id text COLLATE "C" NOT NULL,
            segment text COLLATE "C" NOT NULL,
            seq bigint NOT NULL,
            customer_id uuid NOT NULL,
            PRIMARY KEY (tenant_id, segment, seq, customer_id)
        );
        """;

    private const string LatestVersion = "SELECT coalesce(max(version), 0) FROM segment_definitions WHERE tenant_id = @tenant AND id = @id";

    private const string Insert = """
        INSERT INTO segment_definitions (tenant_id, id, version, document) VALUES (@tenant, @id, @version, @document)
        ON CONFLICT (tenant_id, id, version) DO NOTHING
        """;

    private const string Select = """
        SELECT version, document FROM segment_definitions WHERE tenant_id = @tenant AND id = @id AND (@version = 0 OR version = @version)
        ORDER BY version DESC LIMIT 1
        """;

    private const string Page = """
        SELECT DISTINCT ON (id) id, version, document FROM segment_definitions WHERE tenant_id = @tenant AND id > @after
        ORDER BY id, version DESC LIMIT @limit
        """;

    // Snapshots are numbered per segment; two writers reading max(seq) at once would take the same number and the second
    // would fail on the key. The transaction first takes a lock on the segment's snapshot sequence, held until it commits.
    private const string LockSequence = "SELECT pg_advisory_xact_lock(hashtextextended(@tenant || '/segment-snapshots/' || @segment, 0))";

    private const string NextSeq = "SELECT coalesce(max(seq), 0) + 1 FROM segment_snapshots WHERE tenant_id = @tenant AND segment = @segment";

    private const string InsertSnapshot = """
        INSERT INTO segment_snapshots (tenant_id, segment, seq, version, as_of, evaluated_at, evaluated_ticks)
        VALUES (@tenant, @segment, @seq, @version, @as_of, @evaluated_at, @ticks)
        """;

    private const string InsertMembers = """
        INSERT INTO segment_snapshot_members (tenant_id, segment, seq, customer_id) SELECT @tenant, @segment, @seq, unnest(@members)
        """;

    private const string Latest = """
        SELECT seq, version, as_of, evaluated_at FROM segment_snapshots WHERE tenant_id = @tenant AND segment = @segment
        ORDER BY evaluated_ticks DESC, seq DESC LIMIT 1
        """;

    private const string Members = """
        SELECT customer_id FROM segment_snapshot_members WHERE tenant_id = @tenant AND segment = @segment AND seq = @seq AND customer_id > @after
        ORDER BY customer_id LIMIT @limit
        """;

    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlSegmentStore(PostgreSqlCrmStore store) => _store = store;

    /// <inheritdoc />
    public async ValueTask SaveAsync(TenantId tenantId, SegmentDefinition definition, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(definition);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                var db = _store.Database;
                await using var latest = db.Command(c, t, LatestVersion).With("tenant", tenantId.Value).With("id", definition.Id.Value);
                var stored = Convert.ToInt64(await latest.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                if (stored != definition.Version - 1)
                {
                    throw new ConcurrencyConflictException("segment", definition.Id.Value, definition.Version - 1, stored);
                }

                await using var insert = db.Command(c, t, Insert)
                    .With("tenant", tenantId.Value).With("id", definition.Id.Value).With("version", definition.Version).With("document", SegmentDocuments.Write(definition));
                if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                {
                    throw new ConcurrencyConflictException("segment", definition.Id.Value, definition.Version - 1, definition.Version);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SegmentDefinition?> FindAsync(TenantId tenantId, SegmentId segment, int? version, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(segment);
        if (version is { } v)
        {
            Preconditions.Positive(v, "A segment's versions start at 1.", nameof(version));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<SegmentDefinition?>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, Select).With("tenant", tenantId.Value).With("id", segment.Value).With("version", version ?? 0);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? SegmentDocuments.Read(segment, reader.GetInt32(0), reader.GetString(1)) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SegmentDefinition>> PageAsync(TenantId tenantId, SegmentId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<SegmentDefinition>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, Page).With("tenant", tenantId.Value).With("after", after?.Value ?? string.Empty).With("limit", limit);
                var page = new List<SegmentDefinition>();
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var text = reader.GetString(0);
                    var id = SegmentId.TryParse(text, out var parsed) ? parsed : throw new InvalidStoredStateException("segment_definitions", text, "id is not a segment id");
                    page.Add(SegmentDocuments.Read(id, reader.GetInt32(1), reader.GetString(2)));
                }

                return page;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SaveSnapshotAsync(SegmentSnapshot snapshot, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                var db = _store.Database;
                var tenant = snapshot.TenantId.Value;
                var segment = snapshot.Segment.Value;
                await using (var lockSequence = db.Command(c, t, LockSequence).With("tenant", tenant).With("segment", segment))
                {
                    await lockSequence.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await using var next = db.Command(c, t, NextSeq).With("tenant", tenant).With("segment", segment);
                var seq = Convert.ToInt64(await next.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                await using var insert = db.Command(c, t, InsertSnapshot)
                    .With("tenant", tenant).With("segment", segment).With("seq", seq).With("version", snapshot.Version)
                    .With("as_of", InstantText.Of(snapshot.AsOf)).With("evaluated_at", InstantText.Of(snapshot.EvaluatedAt)).With("ticks", snapshot.EvaluatedAt.ToUnixTimeTicks());
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                const int Chunk = 10_000;
                for (var offset = 0; offset < snapshot.Count; offset += Chunk)
                {
                    var ids = new Guid[Math.Min(Chunk, snapshot.Count - offset)];
                    for (var i = 0; i < ids.Length; i++)
                    {
                        ids[i] = snapshot.Members[offset + i].Value;
                    }

                    await using var members = db.Command(c, t, InsertMembers).With("tenant", tenant).With("segment", segment).With("seq", seq).With("members", ids);
                    await members.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SegmentSnapshot?> FindLatestSnapshotAsync(TenantId tenantId, SegmentId segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(segment);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<SegmentSnapshot?>(
            async (c, ct) =>
            {
                if (await LatestAsync(c, tenantId, segment, ct).ConfigureAwait(false) is not { } latest)
                {
                    return null;
                }

                var members = new List<CustomerId>();
                CustomerId? after = null;
                while (true)
                {
                    var page = await MembersAsync(c, tenantId, segment, latest.Seq, after, StoreLimits.MaxPageSize, ct).ConfigureAwait(false);
                    members.AddRange(page);
                    if (page.Count < StoreLimits.MaxPageSize)
                    {
                        break;
                    }

                    after = page[^1];
                }

                return new SegmentSnapshot(tenantId, segment, latest.Version, latest.AsOf, latest.EvaluatedAt, members);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerId>> PageSnapshotMembersAsync(TenantId tenantId, SegmentId segment, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(segment);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<CustomerId>>(
            async (c, ct) => await LatestAsync(c, tenantId, segment, ct).ConfigureAwait(false) is { } latest
                ? await MembersAsync(c, tenantId, segment, latest.Seq, after, limit, ct).ConfigureAwait(false)
                : [],
            cancellationToken);
    }

    private async ValueTask<(long Seq, int Version, Instant AsOf, Instant EvaluatedAt)?> LatestAsync(Npgsql.NpgsqlConnection c, TenantId tenantId, SegmentId segment, CancellationToken ct)
    {
        await using var select = _store.Database.Command(c, null, Latest).With("tenant", tenantId.Value).With("segment", segment.Value);
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return (reader.GetInt64(0), reader.GetInt32(1), Parse(reader.GetString(2), segment), Parse(reader.GetString(3), segment));
    }

    private async ValueTask<List<CustomerId>> MembersAsync(Npgsql.NpgsqlConnection c, TenantId tenantId, SegmentId segment, long seq, CustomerId? after, int limit, CancellationToken ct)
    {
        await using var select = _store.Database.Command(c, null, Members)
            .With("tenant", tenantId.Value).With("segment", segment.Value).With("seq", seq).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
        var members = new List<CustomerId>();
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            members.Add(new CustomerId(reader.GetGuid(0)));
        }

        return members;
    }

    private static Instant Parse(string text, SegmentId segment)
        => InstantText.TryParse(text, out var instant) ? instant : throw new InvalidStoredStateException("segment_snapshots", segment.Value, "an instant column is not an instant");
}
