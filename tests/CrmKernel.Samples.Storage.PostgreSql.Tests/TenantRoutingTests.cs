using Xunit;

namespace CrmKernel.Samples.Storage.PostgreSql.Tests;

/// <summary>
/// The checker that the conformance classes apply to every statement the adapter sends (see <see cref="PostgresDatabase.CreateStoresAsync"/>):
/// it must fail on statements a tenant-distributed database could not route to one shard, and pass the adapter's own.
/// </summary>
public sealed class TenantRoutingTests
{
    [Theory]
    [InlineData("SELECT id FROM customers WHERE id = @id")]
    [InlineData("SELECT count(*) FROM touchpoints")]
    [InlineData("UPDATE outbox SET published = true WHERE event_id = ANY(@ids)")]
    [InlineData("DELETE FROM customer_identifiers WHERE customer_id = @id")]
    [InlineData("SELECT id FROM customers WHERE tenant_id = ANY(@tenants)")]
    [InlineData("SELECT id FROM customers WHERE tenant_id <> @tenant")]
    [InlineData("INSERT INTO customers (id, tenant_id) VALUES (@id, @tenant)")]
    [InlineData("INSERT INTO touchpoints (tenant_id, id) SELECT tenant_id, id FROM touchpoints_archive")]
    [InlineData("INSERT INTO touchpoints (tenant_id, id) SELECT @tenant, id FROM touchpoints WHERE id = @id")]
    [InlineData("SELECT c.id FROM customer_identifiers i JOIN customers c ON c.id = i.customer_id WHERE i.tenant_id = @tenant")]
    [InlineData("COPY touchpoints (id, tenant_id) FROM STDIN (FORMAT BINARY)")]
    [InlineData("COPY touchpoints FROM STDIN (FORMAT BINARY)")]
    [InlineData("COPY touchpoints (id) FROM STDIN (FORMAT BINARY)")]
    [InlineData("COPY (SELECT * FROM touchpoints) TO STDOUT")]
    [InlineData("SELECT id FROM opportunities WHERE id = @id")]
    [InlineData("SELECT id FROM sales_pipelines WHERE id = @id")]
    [InlineData("SELECT id FROM opportunities WHERE tenant_id = @tenant OR true")]
    [InlineData("SELECT id FROM customers WHERE (tenant_id = @tenant OR id = @id) AND version > 0")]
    [InlineData("SELECT id FROM customers WHERE id = @id OR tenant_id = @tenant ORDER BY id")]
    public void Check_FailsOnStatementsWithoutASingleTenant(string sql) => Assert.NotNull(TenantRouting.Check(sql));

    [Theory]
    [InlineData("SELECT id FROM customers WHERE tenant_id = @tenant AND id = @id")]
    [InlineData("INSERT INTO customers (tenant_id, id) VALUES (@tenant, @id) ON CONFLICT (tenant_id, id) DO NOTHING")]
    [InlineData("SELECT c.id FROM customer_identifiers i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id WHERE i.tenant_id = @tenant")]
    [InlineData("COPY touchpoint_staging (ord, id) FROM STDIN (FORMAT BINARY)")]
    [InlineData("COPY touchpoints (tenant_id, id) FROM STDIN (FORMAT BINARY)")]
    [InlineData("SELECT coalesce(max(version), 0) FROM crm_schema")]
    [InlineData("CREATE INDEX x ON customers (tenant_id, id)")]
    [InlineData("SELECT id FROM relationships WHERE tenant_id = @tenant AND (from_party = @party OR to_party = @party) ORDER BY id")]
    [InlineData("SELECT id FROM opportunities WHERE (tenant_id = @tenant AND customer_id = @customer) AND (id > @after OR @after IS NULL)")]
    public void Check_PassesSingleTenantStatements_AndListedExemptions(string sql) => Assert.Null(TenantRouting.Check(sql));

    [Fact]
    public void EveryStatementTheAdapterDeclares_IsRoutable()
    {
        // The constant statements of the adapter, found by reflection, so a new one is checked even before a test runs it.
        var statements = typeof(PostgreSqlCrmStore).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (Name: $"{f.DeclaringType!.Name}.{f.Name}", Sql: (string)f.GetRawConstantValue()!))
            .Where(s => System.Text.RegularExpressions.Regex.IsMatch(s.Sql, @"^\s*(SELECT|INSERT|UPDATE|DELETE|COPY|CREATE|WITH)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            .ToList();
        Assert.True(statements.Count >= 30, $"found only {statements.Count} statements");
        var problems = statements.Select(s => (s.Name, Problem: TenantRouting.Check(s.Sql))).Where(p => p.Problem is not null).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => $"{p.Name}: {p.Problem}")));
    }

    [Fact]
    public void EveryTableTheAdapterCreates_IsKnownToTheChecker()
    {
        // A table the checker does not know would pass unchecked: every CREATE TABLE of the adapter must be listed as
        // distributed by tenant, or as one of the local tables.
        var created = typeof(PostgreSqlCrmStore).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches((string)f.GetRawConstantValue()!, @"\bCREATE\s+(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<table>[a-z_][a-z0-9_]*)", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            .Select(m => m.Groups["table"].Value)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Contains("opportunities", created);
        Assert.Empty(created.Where(t => !TenantRouting.DistributedTables.Contains(t) && !TenantRouting.LocalTables.Contains(t)).Order());
    }

    [Fact]
    public void EveryVariantOfTheTimelineStatement_IsRoutable_AndKeepsOnlyItsParts()
    {
        var variants = new HashSet<string>();
        foreach (var parts in Enumerable.Range(0, 64))
        {
            var sql = TouchpointRows.TimelineStatement((parts & 1) != 0, (parts & 2) != 0, (parts & 4) != 0, (parts & 8) != 0, (parts & 16) != 0, (parts & 32) != 0);
            Assert.Null(TenantRouting.Check(sql));
            Assert.Equal((parts & 1) != 0, sql.Contains("customer_id = @customer ", StringComparison.Ordinal));
            Assert.Equal((parts & 8) != 0, sql.Contains("@channels", StringComparison.Ordinal));
            Assert.Equal((parts & 32) != 0, sql.Contains("@kinds", StringComparison.Ordinal));
            variants.Add(sql);
        }

        Assert.Equal(64, variants.Count);
    }
}
