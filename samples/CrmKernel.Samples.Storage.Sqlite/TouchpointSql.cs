namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The statements over the touchpoint tables. Parameters are bound by index in the order listed. Lists of values
/// (the customers, channels, functions and kinds of a timeline filter; the ids of a page) are bound as one JSON
/// array and expanded with <c>json_each</c>, so every statement is a constant prepared once, whatever the list's length.
/// </summary>
internal static class TouchpointSql
{
    /// <summary>
    /// The index every ordered read of touchpoints goes through (schema version 6): the timeline key
    /// <c>(tenant, customer_id, occurred_at, id)</c> followed by the columns <see cref="SelectScanRows"/> reads, so a scan
    /// never touches the table.
    /// </summary>
    public const string ScanIndex = "touchpoints_scan";

    /// <summary>The touchpoint columns every read selects, in the order <see cref="TouchpointRowReader"/> reads them.</summary>
    private const string Columns = """
        id, customer_id, channel, direction, function, kind, occurred_at, recorded_at, source, source_key,
        outcome, satisfaction_scale, satisfaction_value, sentiment, cost_amount, cost_currency, revenue_amount, revenue_currency, campaign
        """;

    /// <summary>
    /// The part of a timeline query after the customers: the keyset lower bound (<c>(occurred_at, id) &gt; ($after_at, $after_id)</c>;
    /// <c>('', '')</c> for the start, <c>($from, '')</c> for a period start), the period's end (<see cref="ColumnText.AfterEveryInstant"/>
    /// when open) and the optional channel, function and kind lists (NULL for all), then the order and the limit.
    /// </summary>
    private const string TimelineConditions = """
          AND (occurred_at, id) > ($after_at, $after_id)
          AND occurred_at < $to
          AND ($channels IS NULL OR channel IN (SELECT value FROM json_each($channels)))
          AND ($functions IS NULL OR function IN (SELECT value FROM json_each($functions)))
          AND ($kinds IS NULL OR kind IN (SELECT value FROM json_each($kinds)))
        ORDER BY occurred_at, id
        LIMIT $limit
        """;

    /// <summary>The parameters of a timeline query after the tenant and the customers, in binding order.</summary>
    private static readonly string[] TimelineParameters = ["$after_at", "$after_id", "$to", "$channels", "$functions", "$kinds", "$limit"];

    /// <summary>Inserts a touchpoint unless the tenant already has its id or its source key (then it changes no row).</summary>
    public static readonly SqlStatement Insert = new(
        """
        INSERT INTO touchpoints (
            tenant, id, customer_id, channel, direction, function, kind, occurred_at, recorded_at, source, source_key,
            outcome, satisfaction_scale, satisfaction_value, sentiment, cost_amount, cost_currency, revenue_amount, revenue_currency, campaign)
        VALUES (
            $tenant, $id, $customer_id, $channel, $direction, $function, $kind, $occurred_at, $recorded_at, $source, $source_key,
            $outcome, $satisfaction_scale, $satisfaction_value, $sentiment, $cost_amount, $cost_currency, $revenue_amount, $revenue_currency, $campaign)
        ON CONFLICT DO NOTHING
        """,
        "$tenant", "$id", "$customer_id", "$channel", "$direction", "$function", "$kind", "$occurred_at", "$recorded_at", "$source", "$source_key",
        "$outcome", "$satisfaction_scale", "$satisfaction_value", "$sentiment", "$cost_amount", "$cost_currency", "$revenue_amount", "$revenue_currency", "$campaign");

    /// <summary>Adds a participant. Parameters: tenant, touchpoint id, position, role, customer id, user id.</summary>
    public static readonly SqlStatement InsertParticipant = new(
        "INSERT INTO touchpoint_participants (tenant, touchpoint_id, position, role, customer_id, user_id) VALUES ($tenant, $id, $position, $role, $customer_id, $user_id)",
        "$tenant", "$id", "$position", "$role", "$customer_id", "$user_id");

    /// <summary>Adds a product reference. Parameters: tenant, touchpoint id, position, product id.</summary>
    public static readonly SqlStatement InsertProduct = new(
        "INSERT INTO touchpoint_products (tenant, touchpoint_id, position, product_id) VALUES ($tenant, $id, $position, $product_id)",
        "$tenant", "$id", "$position", "$product_id");

    /// <summary>One touchpoint by id. Parameters: tenant, id.</summary>
    public static readonly SqlStatement SelectById = new($"SELECT {Columns} FROM touchpoints WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    /// <summary>The touchpoint recorded under a source key. Parameters: tenant, source, key.</summary>
    public static readonly SqlStatement SelectBySource = new(
        $"SELECT {Columns} FROM touchpoints WHERE tenant = $tenant AND source = $source AND source_key = $key", "$tenant", "$source", "$key");

    /// <summary>Counts a tenant's touchpoints. Parameter: tenant.</summary>
    public static readonly SqlStatement Count = new("SELECT count(*) FROM touchpoints WHERE tenant = $tenant", "$tenant");

    /// <summary>
    /// A timeline page of one customer: an ordered range scan of <c>touchpoints_scan</c> (<see cref="ScanIndex"/>) that stops after
    /// <c>$limit</c> matching rows, with no sort. Parameters: tenant, customer, then <see cref="TimelineParameters"/>.
    /// </summary>
    /// <remarks>
    /// <c>INDEXED BY</c> pins the plan. SQLite 3.53 without statistics picks the index for this statement but not for
    /// <see cref="SelectTimelineOfMany"/> (it scans every touchpoint of the tenant), and SQLite documents the clause for
    /// exactly this case: a time-sensitive query whose plan must not change silently (after an <c>ANALYZE</c>, say).
    /// Dropping the index makes the statement fail instead.
    /// </remarks>
    public static readonly SqlStatement SelectTimelineOfOne = new(
        $"""
        SELECT {Columns} FROM touchpoints INDEXED BY {ScanIndex}
        WHERE tenant = $tenant AND customer_id = $customer
        {TimelineConditions}
        """,
        ["$tenant", "$customer", .. TimelineParameters]);

    /// <summary>
    /// A timeline page of several customers (a JSON array of ids): one range scan of <c>touchpoints_scan</c> (<see cref="ScanIndex"/>) per
    /// customer from the keyset bound on, merged by a sort that keeps the first <c>$limit</c> rows. Each page
    /// therefore reads every matching row after the bound; fine for a customer and its related parties, and the
    /// reason one customer has its own statement. Parameters: tenant, customers, then <see cref="TimelineParameters"/>.
    /// </summary>
    /// <remarks><c>INDEXED BY</c> as in <see cref="SelectTimelineOfOne"/>.</remarks>
    public static readonly SqlStatement SelectTimelineOfMany = new(
        $"""
        SELECT {Columns} FROM touchpoints INDEXED BY {ScanIndex}
        WHERE tenant = $tenant AND customer_id IN (SELECT value FROM json_each($customers))
        {TimelineConditions}
        """,
        ["$tenant", "$customers", .. TimelineParameters]);

    /// <summary>
    /// The scan rows of several customers (a JSON array of ids) before <c>$to</c>, grouped by customer and in timeline
    /// order within each: one ordered range scan of <see cref="ScanIndex"/> per customer, which holds every column read,
    /// so the table is never touched and nothing is sorted, for <see cref="CrmKernel.Storage.ITouchpointScanStore"/>. Only
    /// the columns a <see cref="CrmKernel.Storage.TouchpointScanRow"/> holds are read, in 11 result columns so that the
    /// reader makes few calls into SQLite per row: direction and function come back as their enum values (0 for a text the
    /// store does not write), the satisfaction scale as 0 for none, 1-4, or -1 for an unknown text, its value as -1 for
    /// none, 0-10, or 11 for anything else, and each amount as <c>'amount CODE'</c> ('' when both columns are NULL,
    /// <c>?</c> for one NULL column, which then fails to parse); the rest as stored, for <see cref="TouchpointScanReader"/>
    /// to read as bytes. Parameters: tenant, customers, to.
    /// </summary>
    /// <remarks><c>INDEXED BY</c> as in <see cref="SelectTimelineOfOne"/>.</remarks>
    public static readonly SqlStatement SelectScanRows = new(
        $"""
        SELECT customer_id, occurred_at, channel,
            CASE direction WHEN 'inbound' THEN 1 WHEN 'outbound' THEN 2 ELSE 0 END,
            CASE function WHEN 'marketing' THEN 1 WHEN 'sales' THEN 2 WHEN 'service' THEN 3 WHEN 'innovation' THEN 4 ELSE 0 END,
            kind, outcome,
            CASE WHEN satisfaction_scale IS NULL THEN 0 WHEN satisfaction_scale = 'csat' THEN 1 WHEN satisfaction_scale = 'nps' THEN 2
                 WHEN satisfaction_scale = 'ces' THEN 3 WHEN satisfaction_scale = 'ces2' THEN 4 ELSE -1 END,
            CASE WHEN satisfaction_value IS NULL THEN -1 WHEN satisfaction_value BETWEEN 0 AND 10 THEN satisfaction_value ELSE 11 END,
            CASE WHEN cost_amount IS NULL AND cost_currency IS NULL THEN '' ELSE coalesce(cost_amount, '?') || ' ' || coalesce(cost_currency, '?') END,
            CASE WHEN revenue_amount IS NULL AND revenue_currency IS NULL THEN '' ELSE coalesce(revenue_amount, '?') || ' ' || coalesce(revenue_currency, '?') END
        FROM touchpoints INDEXED BY {ScanIndex}
        WHERE tenant = $tenant AND customer_id IN (SELECT value FROM json_each($customers)) AND occurred_at < $to
        ORDER BY customer_id, occurred_at, id
        """,
        "$tenant", "$customers", "$to");

    /// <summary>Participants of the touchpoints in a JSON array of ids, in touchpoint and position order. Parameters: tenant, ids.</summary>
    public static readonly SqlStatement SelectParticipants = new(
        """
        SELECT touchpoint_id, role, customer_id, user_id FROM touchpoint_participants
        WHERE tenant = $tenant AND touchpoint_id IN (SELECT value FROM json_each($ids)) ORDER BY touchpoint_id, position
        """,
        "$tenant", "$ids");

    /// <summary>Product references of the touchpoints in a JSON array of ids, in touchpoint and position order. Parameters: tenant, ids.</summary>
    public static readonly SqlStatement SelectProducts = new(
        """
        SELECT touchpoint_id, product_id FROM touchpoint_products
        WHERE tenant = $tenant AND touchpoint_id IN (SELECT value FROM json_each($ids)) ORDER BY touchpoint_id, position
        """,
        "$tenant", "$ids");
}
