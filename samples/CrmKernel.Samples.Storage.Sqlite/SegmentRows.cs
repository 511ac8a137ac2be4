using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The segment tables: <c>segment_definitions</c> (one row per version, the kernel's document from
/// <see cref="SegmentDocuments"/>), <c>segment_snapshots</c> (one row per frozen membership, numbered per segment) and
/// <c>segment_snapshot_members</c> (one row per member, keyed in id order for paging).
/// </summary>
internal static class SegmentRows
{
    /// <summary>Version 9 of the schema: the three tables, keys starting with the tenant.</summary>
    public const string Migration = """
        CREATE TABLE segment_definitions (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, id, version)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE segment_snapshots (
            tenant TEXT NOT NULL,
            segment TEXT NOT NULL,
            seq INTEGER NOT NULL,
            version INTEGER NOT NULL,
            as_of TEXT NOT NULL,
            evaluated_at TEXT NOT NULL,
            evaluated_ticks INTEGER NOT NULL,
            PRIMARY KEY (tenant, segment, seq)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE segment_snapshot_members (
            tenant TEXT NOT NULL,
            segment TEXT NOT NULL,
            seq INTEGER NOT NULL,
            customer_id TEXT NOT NULL,
            PRIMARY KEY (tenant, segment, seq, customer_id)
        ) STRICT, WITHOUT ROWID;
        """;

    private static readonly SqlStatement LatestVersion = new("SELECT coalesce(max(version), 0) FROM segment_definitions WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement Insert = new("INSERT INTO segment_definitions (tenant, id, version, document) VALUES ($tenant, $id, $version, $document)", "$tenant", "$id", "$version", "$document");

    private static readonly SqlStatement Select = new(
        "SELECT version, document FROM segment_definitions WHERE tenant = $tenant AND id = $id AND ($version = 0 OR version = $version) ORDER BY version DESC LIMIT 1",
        "$tenant", "$id", "$version");

    private static readonly SqlStatement Page = new(
        """
        SELECT d.id, d.version, d.document FROM segment_definitions d
        WHERE d.tenant = $tenant AND d.id > $after
          AND d.version = (SELECT max(version) FROM segment_definitions m WHERE m.tenant = d.tenant AND m.id = d.id)
        ORDER BY d.id LIMIT $limit
        """,
        "$tenant", "$after", "$limit");

    private static readonly SqlStatement NextSeq = new("SELECT coalesce(max(seq), 0) + 1 FROM segment_snapshots WHERE tenant = $tenant AND segment = $segment", "$tenant", "$segment");

    private static readonly SqlStatement InsertSnapshot = new(
        "INSERT INTO segment_snapshots (tenant, segment, seq, version, as_of, evaluated_at, evaluated_ticks) VALUES ($tenant, $segment, $seq, $version, $as_of, $evaluated_at, $ticks)",
        "$tenant", "$segment", "$seq", "$version", "$as_of", "$evaluated_at", "$ticks");

    private static readonly SqlStatement InsertMember = new(
        "INSERT INTO segment_snapshot_members (tenant, segment, seq, customer_id) VALUES ($tenant, $segment, $seq, $customer)", "$tenant", "$segment", "$seq", "$customer");

    private static readonly SqlStatement Latest = new(
        "SELECT seq, version, as_of, evaluated_at FROM segment_snapshots WHERE tenant = $tenant AND segment = $segment ORDER BY evaluated_ticks DESC, seq DESC LIMIT 1",
        "$tenant", "$segment");

    private static readonly SqlStatement Members = new(
        "SELECT customer_id FROM segment_snapshot_members WHERE tenant = $tenant AND segment = $segment AND seq = $seq AND customer_id > $after ORDER BY customer_id LIMIT $limit",
        "$tenant", "$segment", "$seq", "$after", "$limit");

    public static async ValueTask SaveAsync(SqliteSession session, TenantId tenantId, SegmentDefinition definition, CancellationToken cancellationToken)
    {
        var latest = session.Command(LatestVersion);
        latest.Parameters[0].Value = tenantId.Value;
        latest.Parameters[1].Value = definition.Id.Value;
        var stored = (long)(await latest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (stored != definition.Version - 1)
        {
            throw new ConcurrencyConflictException("segment", definition.Id.Value, definition.Version - 1, stored);
        }

        var insert = session.Command(Insert);
        insert.Parameters[0].Value = tenantId.Value;
        insert.Parameters[1].Value = definition.Id.Value;
        insert.Parameters[2].Value = definition.Version;
        insert.Parameters[3].Value = SegmentDocuments.Write(definition);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<SegmentDefinition?> FindAsync(SqliteSession session, TenantId tenantId, SegmentId segment, int? version, CancellationToken cancellationToken)
    {
        var select = session.Command(Select);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = segment.Value;
        select.Parameters[2].Value = version ?? 0;
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? SegmentDocuments.Read(segment, reader.GetInt32(0), reader.GetString(1)) : null;
    }

    public static async ValueTask<IReadOnlyList<SegmentDefinition>> PageAsync(SqliteSession session, TenantId tenantId, SegmentId? after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(Page);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = after?.Value ?? string.Empty;
        select.Parameters[2].Value = limit;
        var page = new List<SegmentDefinition>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(SegmentDocuments.Read(Id(reader.GetString(0)), reader.GetInt32(1), reader.GetString(2)));
        }

        return page;
    }

    public static async ValueTask SaveSnapshotAsync(SqliteSession session, SegmentSnapshot snapshot, CancellationToken cancellationToken)
    {
        var tenant = snapshot.TenantId.Value;
        var segment = snapshot.Segment.Value;
        var next = session.Command(NextSeq);
        next.Parameters[0].Value = tenant;
        next.Parameters[1].Value = segment;
        var seq = (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var insert = session.Command(InsertSnapshot);
        var p = insert.Parameters;
        p[0].Value = tenant;
        p[1].Value = segment;
        p[2].Value = seq;
        p[3].Value = snapshot.Version;
        p[4].Value = ColumnText.OfInstant(snapshot.AsOf);
        p[5].Value = ColumnText.OfInstant(snapshot.EvaluatedAt);
        p[6].Value = snapshot.EvaluatedAt.ToUnixTimeTicks();
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var member = session.Command(InsertMember);
        member.Parameters[0].Value = tenant;
        member.Parameters[1].Value = segment;
        member.Parameters[2].Value = seq;
        foreach (var id in snapshot.Members)
        {
            member.Parameters[3].Value = id.ToString();
            await member.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async ValueTask<SegmentSnapshot?> FindLatestSnapshotAsync(SqliteSession session, TenantId tenantId, SegmentId segment, CancellationToken cancellationToken)
    {
        if (await LatestAsync(session, tenantId, segment, cancellationToken).ConfigureAwait(false) is not { } latest)
        {
            return null;
        }

        var members = new List<CustomerId>();
        CustomerId? after = null;
        while (true)
        {
            var page = await MembersAsync(session, tenantId, segment, latest.Seq, after, StoreLimits.MaxPageSize, cancellationToken).ConfigureAwait(false);
            members.AddRange(page);
            if (page.Count < StoreLimits.MaxPageSize)
            {
                break;
            }

            after = page[^1];
        }

        return new SegmentSnapshot(tenantId, segment, latest.Version, latest.AsOf, latest.EvaluatedAt, members);
    }

    public static async ValueTask<IReadOnlyList<CustomerId>> PageMembersAsync(SqliteSession session, TenantId tenantId, SegmentId segment, CustomerId? after, int limit, CancellationToken cancellationToken)
        => await LatestAsync(session, tenantId, segment, cancellationToken).ConfigureAwait(false) is { } latest
            ? await MembersAsync(session, tenantId, segment, latest.Seq, after, limit, cancellationToken).ConfigureAwait(false)
            : [];

    private static async ValueTask<(long Seq, int Version, Instant AsOf, Instant EvaluatedAt)?> LatestAsync(SqliteSession session, TenantId tenantId, SegmentId segment, CancellationToken cancellationToken)
    {
        var select = session.Command(Latest);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = segment.Value;
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return (reader.GetInt64(0), reader.GetInt32(1), Instant(reader, 2, segment), Instant(reader, 3, segment));
    }

    private static async ValueTask<List<CustomerId>> MembersAsync(SqliteSession session, TenantId tenantId, SegmentId segment, long seq, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(Members);
        var p = select.Parameters;
        p[0].Value = tenantId.Value;
        p[1].Value = segment.Value;
        p[2].Value = seq;
        p[3].Value = after?.ToString() ?? string.Empty;
        p[4].Value = limit;
        var members = new List<CustomerId>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var text = reader.GetString(0);
            members.Add(CustomerId.TryParse(text, out var id) ? id : throw new CrmKernel.Diagnostics.InvalidStoredStateException("segment_snapshot_members", text, "customer_id is not a customer id"));
        }

        return members;
    }

    private static Instant Instant(SqliteDataReader reader, int ordinal, SegmentId segment)
        => ColumnText.TryParseInstant(reader.GetString(ordinal), out var instant) ? instant : throw new CrmKernel.Diagnostics.InvalidStoredStateException("segment_snapshots", segment.Value, "an instant column is not an instant");

    private static SegmentId Id(string text)
        => SegmentId.TryParse(text, out var id) ? id : throw new CrmKernel.Diagnostics.InvalidStoredStateException("segment_definitions", text, "id is not a segment id");
}
