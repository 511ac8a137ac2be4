using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;

namespace CrmKernel.Metrics.Rendering;

/// <summary>
/// Renders an evaluated hierarchy: a plain-text report with the four levels, corporate first (value, target, status,
/// change against the previous period, and the identity checks), and a JSON document with everything a dashboard needs
/// (values, numerators, denominators, reasons, breakdowns, drivers). Both are culture-invariant.
/// </summary>
public static class MetricReport
{
    private static readonly MetricLevel[] LevelsTopDown = [MetricLevel.Corporate, MetricLevel.CustomerStrategic, MetricLevel.OperationalProcess, MetricLevel.InfrastructureInput];

    /// <summary>The plain-text report.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is null.</exception>
    public static string ToText(MetricEvaluation evaluation)
    {
        Preconditions.NotNull(evaluation);
        var request = evaluation.Request;
        var currency = request.Currency;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"CRM metrics {request.Period.Start:uuuu-MM-dd} to {request.Period.End:uuuu-MM-dd} ({request.Zone.Id}, {currency.Code})");
        if (evaluation.PreviousFigures is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; change against {request.PreviousPeriod.Start:uuuu-MM-dd} to {request.PreviousPeriod.End:uuuu-MM-dd}");
        }

        text.AppendLine();
        foreach (var level in LevelsTopDown)
        {
            var results = evaluation.Results.Where(r => r.Definition.Level == level).ToList();
            if (results.Count == 0)
            {
                continue;
            }

            text.AppendLine().AppendLine(LevelName(level));
            foreach (var result in results)
            {
                var definition = result.Definition;
                var value = result.Value.Value is { } v ? Format(v, definition.Unit, currency) : "no value";
                var target = result.Target is { } t ? Format(t.Value, definition.Unit, currency) : "-";
                var change = result.Change is { } c ? FormatChange(c, definition.Unit) : "-";
                text.Append(CultureInfo.InvariantCulture, $"  {Clip(definition.Name, 38),-38} {value,16}  target {target,14}  {StatusName(result.Status),-10}  change {change,12}");
                if (!result.Value.HasValue)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  ({result.Value.Reason})");
                }

                text.AppendLine();
            }
        }

        if (evaluation.Identities.Count > 0)
        {
            text.AppendLine().AppendLine("Identities");
            foreach (var check in evaluation.Identities)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {check.Outcome switch { IdentityOutcome.Holds => "holds    ", IdentityOutcome.Violated => "VIOLATED ", _ => "unchecked" }}  {check.Identity.Text}");
                if (check.Outcome == IdentityOutcome.Violated)
                {
                    text.Append(CultureInfo.InvariantCulture, $" (expected {check.Expected}, got {check.Actual})");
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    /// <summary>The JSON document (UTF-8 text, indented).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is null.</exception>
    public static string ToJson(MetricEvaluation evaluation)
    {
        Preconditions.NotNull(evaluation);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var request = evaluation.Request;
            json.WriteStartObject();
            json.WriteString("periodStart", request.Period.Start.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("periodEnd", request.Period.End.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("zone", request.Zone.Id);
            json.WriteString("currency", request.Currency.Code);
            json.WriteStartArray("metrics");
            foreach (var result in evaluation.Results)
            {
                var definition = result.Definition;
                json.WriteStartObject();
                json.WriteString("id", definition.Id.Value);
                json.WriteString("name", definition.Name);
                json.WriteString("level", definition.Level.ToString());
                json.WriteString("focus", definition.Focus.ToString());
                json.WriteString("unit", definition.Unit.ToString());
                json.WriteString("better", definition.Better.ToString());
                json.WriteString("formula", definition.Formula.Text);
                WriteValue(json, "value", result.Value);
                if (result.Previous is not null)
                {
                    WriteValue(json, "previous", result.Previous);
                }

                WriteNumber(json, "change", result.Change);
                if (result.Target is { } target)
                {
                    json.WriteNumber("target", target.Value);
                    json.WriteNumber("atRiskLimit", target.AtRiskLimit);
                }

                json.WriteString("status", result.Status.ToString());
                json.WriteStartArray("drivers");
                foreach (var driver in result.Drivers)
                {
                    json.WriteStartObject();
                    json.WriteString("id", driver.Link.Driver.Value);
                    json.WriteString("link", driver.Link.Kind.ToString());
                    json.WriteString("rationale", driver.Link.Rationale);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("identities");
            foreach (var check in evaluation.Identities)
            {
                json.WriteStartObject();
                json.WriteString("identity", check.Identity.Text);
                json.WriteString("outcome", check.Outcome.ToString());
                WriteNumber(json, "expected", check.Expected);
                WriteNumber(json, "actual", check.Actual);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, string name, MetricValue value)
    {
        json.WriteStartObject(name);
        WriteNumber(json, "value", value.Value);
        if (value.Reason is not null)
        {
            json.WriteString("noValueReason", value.Reason);
        }

        WriteNumber(json, "numerator", value.Numerator);
        WriteNumber(json, "denominator", value.Denominator);
        if (value.Breakdown.Count > 0)
        {
            json.WriteStartArray("breakdown");
            foreach (var row in value.Breakdown)
            {
                json.WriteStartObject();
                json.WriteString("key", row.Key);
                WriteNumber(json, "value", row.Value.Value);
                if (row.Value.Reason is not null)
                {
                    json.WriteString("noValueReason", row.Value.Reason);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Format(decimal value, MetricUnit unit, Currency currency) => unit switch
    {
        MetricUnit.Percentage => (value * 100m).ToString("0.0", CultureInfo.InvariantCulture) + " %",
        MetricUnit.Money => value.ToString("#,0.00", CultureInfo.InvariantCulture) + " " + currency.Code,
        MetricUnit.Count => value.ToString("#,0", CultureInfo.InvariantCulture),
        MetricUnit.Duration => value.ToString("0", CultureInfo.InvariantCulture) + " s",
        MetricUnit.Days => value.ToString("0.0", CultureInfo.InvariantCulture) + " d",
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static string FormatChange(decimal change, MetricUnit unit) => unit switch
    {
        MetricUnit.Percentage => (change * 100m).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " pp",
        MetricUnit.Count => change.ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture),
        MetricUnit.Duration => change.ToString("+0;-0;0", CultureInfo.InvariantCulture) + " s",
        MetricUnit.Days => change.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " d",
        _ => change.ToString("+#,0.00;-#,0.00;0.00", CultureInfo.InvariantCulture),
    };

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string LevelName(MetricLevel level) => level switch
    {
        MetricLevel.Corporate => "CORPORATE — is CRM creating value for the firm?",
        MetricLevel.CustomerStrategic => "CUSTOMER STRATEGIC — are we acquiring, keeping and growing the right customers?",
        MetricLevel.OperationalProcess => "OPERATIONAL & PROCESS — are customer-facing processes working?",
        _ => "INFRASTRUCTURE INPUT — do we have the data, systems and people?",
    };

    private static string StatusName(MetricStatus status) => status switch
    {
        MetricStatus.OnTrack => "on track",
        MetricStatus.AtRisk => "at risk",
        MetricStatus.OffTrack => "off track",
        _ => "-",
    };
}
