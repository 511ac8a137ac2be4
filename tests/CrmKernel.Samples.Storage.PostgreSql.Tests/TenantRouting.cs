using System.Text.RegularExpressions;

namespace CrmKernel.Samples.Storage.PostgreSql.Tests;

/// <summary>
/// A deliberately simple checker of the rule that makes the schema distributable by tenant (Citus): every statement
/// against a distributed table names exactly one tenant, so the coordinator routes it to one shard. It reads the SQL
/// text the adapter sends (the adapter's statements are constants with named parameters, so text rules suffice):
/// <list type="bullet">
/// <item>DDL and migration statements (<c>CREATE</c>, <c>ALTER</c>, <c>DROP</c>, the advisory lock) are exempt: they are listed in <see cref="Exempt"/>.</item>
/// <item>Statements that touch no distributed table (the reference table <c>crm_schema</c>, the session-local staging table) pass.</item>
/// <item><c>COPY</c> loads the session-local staging table (<c>touchpoint_staging</c>), or a distributed table with
/// <c>tenant_id</c> first in its column list: Citus routes each copied row by its distribution column, and the adapter
/// writes the one tenant appended to into every row (the append tests prove the rows land in that tenant only).</item>
/// <item><c>INSERT</c> into a distributed table lists <c>tenant_id</c> first and takes it from a parameter (<c>VALUES (@tenant</c> or <c>SELECT @tenant</c>).</item>
/// <item>Every other statement that reads or changes a distributed table has a <c>tenant_id = @parameter</c> predicate that
/// is not one side of an <c>OR</c> (<c>tenant_id = @tenant OR true</c> names no tenant).</item>
/// <item>Every <c>JOIN</c> of a distributed table joins on <c>tenant_id</c> (co-located rows).</item>
/// </list>
/// </summary>
internal static partial class TenantRouting
{
    public static readonly IReadOnlySet<string> DistributedTables = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "customers", "customer_identifiers", "customer_contact_points", "outbox", "touchpoints", "relationships", "pending_dispatches",
        "sales_pipelines", "opportunities", "service_cases", "segment_definitions", "segment_snapshots", "segment_snapshot_members", "ideas", "customer_voices", "idea_votes",
        "prediction_markets", "prediction_market_trades", "customer_erasures", "customer_merges", "customer_merge_redirects",
    };

    /// <summary>Tables that are not distributed by tenant: the schema-version reference table and the session-local staging table.</summary>
    public static readonly IReadOnlySet<string> LocalTables = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "crm_schema", "touchpoint_staging" };

    /// <summary>Statement beginnings that are exempt: schema changes run once by the migration, not per tenant.</summary>
    public static readonly IReadOnlyList<string> Exempt = ["CREATE ", "ALTER ", "DROP ", "SELECT pg_advisory_xact_lock("];

    /// <summary>Null when the statement is routable to one tenant's shard; otherwise why not.</summary>
    public static string? Check(string sql)
    {
        var text = Whitespace().Replace(sql, " ").Trim();
        if (Exempt.Any(e => text.StartsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (text.StartsWith("COPY ", StringComparison.OrdinalIgnoreCase))
        {
            return CopyIntoStaging().IsMatch(text) || CopyWithTenantFirst().IsMatch(text)
                ? null
                : "COPY into a table other than the staging table without tenant_id as its first column";
        }

        var tables = TableReference().Matches(text).Select(m => m.Groups["table"].Value).Where(DistributedTables.Contains).ToList();
        if (tables.Count == 0)
        {
            return null;
        }

        foreach (Match join in JoinClause().Matches(text))
        {
            if (DistributedTables.Contains(join.Groups["table"].Value) && !JoinOnTenant().IsMatch(join.Groups["on"].Value))
            {
                return $"JOIN of {join.Groups["table"].Value} not on tenant_id";
            }
        }

        if (text.StartsWith("INSERT ", StringComparison.OrdinalIgnoreCase))
        {
            var insert = InsertIntoDistributed().Match(text);
            if (!insert.Success)
            {
                return "INSERT into a distributed table without tenant_id as its first column taken from a parameter";
            }

            // An INSERT … SELECT that reads a distributed table must filter it by tenant too.
            var source = text[(insert.Index + insert.Length)..];
            var read = TableReference().Matches(source).Select(m => m.Groups["table"].Value).Any(DistributedTables.Contains);
            return read && !HasTenantPredicate(source) ? "INSERT … SELECT from a distributed table without a tenant_id predicate" : null;
        }

        return HasTenantPredicate(text) ? null : $"no tenant_id = @parameter predicate (outside any OR) on {string.Join(", ", tables.Distinct())}";
    }

    /// <summary>
    /// True when some <c>tenant_id = @parameter</c> predicate of the text is ANDed, not ORed: no <c>OR</c> stands at the
    /// predicate's own parenthesis depth inside the group that holds it.
    /// </summary>
    private static bool HasTenantPredicate(string text)
    {
        foreach (Match predicate in TenantPredicate().Matches(text))
        {
            // The group that holds the predicate: back to the '(' that opened it, forward to the ')' that closes it.
            var start = 0;
            for (int i = predicate.Index - 1, level = 0; i >= 0; i--)
            {
                level += text[i] == ')' ? 1 : text[i] == '(' ? -1 : 0;
                if (level < 0)
                {
                    start = i + 1;
                    break;
                }
            }

            var end = text.Length;
            for (int i = predicate.Index, level = 0; i < text.Length; i++)
            {
                level += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
                if (level < 0)
                {
                    end = i;
                    break;
                }
            }

            var group = text[start..end];
            if (!Or().Matches(group).Any(or => Depth(group, or.Index) == 0))
            {
                return true;
            }
        }

        return false;
    }

    private static int Depth(string text, int index)
    {
        var depth = 0;
        for (var i = 0; i < index; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
        }

        return depth;
    }

    [GeneratedRegex(@"\bOR\b", RegexOptions.IgnoreCase)]
    private static partial Regex Or();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^COPY touchpoint_staging\b", RegexOptions.IgnoreCase)]
    private static partial Regex CopyIntoStaging();

    [GeneratedRegex(@"^COPY [a-z_][a-z0-9_]* \(\s*tenant_id\s*,[^)]*\) FROM STDIN\b", RegexOptions.IgnoreCase)]
    private static partial Regex CopyWithTenantFirst();

    [GeneratedRegex(@"\b(FROM|JOIN|INTO|UPDATE)\s+(?<table>[a-z_][a-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex TableReference();

    [GeneratedRegex(@"\bJOIN\s+(?<table>[a-z_][a-z0-9_]*)(\s+(?<alias>[a-z_][a-z0-9_]*))?\s+ON\s+(?<on>.*?)(?=\bJOIN\b|\bWHERE\b|\bORDER\b|\bGROUP\b|$)", RegexOptions.IgnoreCase)]
    private static partial Regex JoinClause();

    [GeneratedRegex(@"\b([a-z_][a-z0-9_]*\.)?tenant_id\s*=\s*([a-z_][a-z0-9_]*\.)?tenant_id\b", RegexOptions.IgnoreCase)]
    private static partial Regex JoinOnTenant();

    [GeneratedRegex(@"^INSERT INTO (?<table>[a-z_][a-z0-9_]*) \(\s*tenant_id\s*,[^)]*\)\s*(VALUES\s*\(\s*@[a-z_][a-z0-9_]*\s*,|SELECT\s+@[a-z_][a-z0-9_]*\s*,)", RegexOptions.IgnoreCase)]
    private static partial Regex InsertIntoDistributed();

    [GeneratedRegex(@"\b([a-z_][a-z0-9_]*\.)?tenant_id\s*=\s*@[a-z_][a-z0-9_]*", RegexOptions.IgnoreCase)]
    private static partial Regex TenantPredicate();
}
