using System.Globalization;
using CrmKernel.Samples.Storage.PostgreSql;
using CrmKernel.Touchpoints;
using Npgsql;
using NpgsqlTypes;

namespace CrmKernel.Benchmarks.PostgreSql;

/// <summary>
/// The PostgreSQL server the benchmarks run against: the one <c>CRMKERNEL_POSTGRES</c> names (start one with
/// <c>eng/postgres-test-cluster.sh -- dotnet run -c Release --project tests/CrmKernel.Benchmarks -- --filter '*PostgreSql*'</c>),
/// a fresh database per benchmark class, and the hand-written Npgsql code the adapter is compared with.
/// </summary>
internal static class PostgresBenchDatabase
{
    /// <summary>Every column of the adapter's touchpoint row, in the order the baselines write and read them.</summary>
    public const string Columns = "id, customer_id, channel, direction, function, kind, occurred_at, recorded_at, source, source_key, outcome, "
        + "satisfaction_scale, satisfaction_value, sentiment, cost_amount, cost_currency, revenue_amount, revenue_currency, campaign, participants, products";

    /// <summary>Drops and creates <paramref name="database"/> and returns a connection string to it.</summary>
    public static string Create(string database)
    {
        var server = Environment.GetEnvironmentVariable("CRMKERNEL_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                "CRMKERNEL_POSTGRES is not set. Run the PostgreSQL benchmarks under a throwaway cluster: "
                + "eng/postgres-test-cluster.sh -- dotnet run -c Release --project tests/CrmKernel.Benchmarks -- --filter '*PostgreSql*'");
        }

        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            Execute(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            Execute(admin, $"CREATE DATABASE {database}");
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    /// <summary>Drops <paramref name="database"/>, unless <c>CRMKERNEL_BENCH_KEEP</c> is set (to look at its plans afterwards).</summary>
    public static void Drop(string database)
    {
        NpgsqlConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("CRMKERNEL_BENCH_KEEP") is { Length: > 0 })
        {
            return;
        }

        using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable("CRMKERNEL_POSTGRES"));
        admin.Open();
        Execute(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Constant statements of the benchmark.")]
    public static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Constant statements of the benchmark.")]
    public static T Scalar<T>(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    /// <summary>A digest of every touchpoint row in the database, to prove that two paths stored the same rows.</summary>
    public static string Digest(NpgsqlConnection connection)
        => Scalar<string>(connection, "SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY tenant_id, id)), '') FROM touchpoints t");

    /// <summary>
    /// What a developer would write by hand: one binary COPY straight into the table, the values encoded as the
    /// adapter encodes them (text instants with nine fractional digits, decimal text amounts, JSON participants).
    /// </summary>
    public static int CopyRaw(NpgsqlConnection connection, string tenant, IReadOnlyList<Touchpoint> touchpoints)
    {
        using var transaction = connection.BeginTransaction();
        using (var copy = connection.BeginBinaryImport($"COPY touchpoints (tenant_id, {Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var t in touchpoints)
            {
                copy.StartRow();
                copy.Write(tenant, NpgsqlDbType.Text);
                copy.Write(t.Id.Value, NpgsqlDbType.Uuid);
                copy.Write(t.CustomerId.Value, NpgsqlDbType.Uuid);
                copy.Write(t.Channel.Value, NpgsqlDbType.Text);
                copy.Write(t.Direction == InteractionDirection.Inbound ? "inbound" : "outbound", NpgsqlDbType.Text);
                copy.Write(t.Function switch { CrmFunction.Marketing => "marketing", CrmFunction.Sales => "sales", CrmFunction.Service => "service", _ => "innovation" }, NpgsqlDbType.Text);
                copy.Write(t.Kind.Value, NpgsqlDbType.Text);
                copy.Write(InstantText.Of(t.OccurredAt), NpgsqlDbType.Text);
                copy.Write(InstantText.Of(t.RecordedAt), NpgsqlDbType.Text);
                copy.Write(t.Source.Source, NpgsqlDbType.Text);
                copy.Write(t.Source.Key, NpgsqlDbType.Text);
                Text(copy, t.Outcome?.Value);
                if (t.Satisfaction is { } score)
                {
                    copy.Write(score.Scale switch { SatisfactionScale.Csat => "csat", SatisfactionScale.Nps => "nps", SatisfactionScale.Ces => "ces", _ => "ces2" }, NpgsqlDbType.Text);
                    copy.Write(score.Value, NpgsqlDbType.Integer);
                }
                else
                {
                    copy.WriteNull();
                    copy.WriteNull();
                }

                Text(copy, t.Sentiment?.Value.ToString(CultureInfo.InvariantCulture));
                Text(copy, t.Cost?.Amount.ToString(CultureInfo.InvariantCulture));
                Text(copy, t.Cost?.Currency.Code);
                Text(copy, t.Revenue?.Amount.ToString(CultureInfo.InvariantCulture));
                Text(copy, t.Revenue?.Currency.Code);
                Text(copy, t.CampaignId);
                if (t.Participants.Count > 0)
                {
                    copy.Write(
                        "[" + string.Join(",", t.Participants.Select(p => p.CustomerId is { } c
                            ? $"{{\"role\":\"{p.Role}\",\"customer\":\"{c}\"}}"
                            : $"{{\"role\":\"{p.Role}\",\"user\":\"{p.UserId}\"}}")) + "]",
                        NpgsqlDbType.Jsonb);
                }
                else
                {
                    copy.WriteNull();
                }

                if (t.ProductIds.Count > 0)
                {
                    copy.Write(t.ProductIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                }
                else
                {
                    copy.WriteNull();
                }
            }

            copy.Complete();
        }

        transaction.Commit();
        return touchpoints.Count;

        static void Text(NpgsqlBinaryImporter copy, string? value)
        {
            if (value is null)
            {
                copy.WriteNull();
            }
            else
            {
                copy.Write(value, NpgsqlDbType.Text);
            }
        }
    }
}
