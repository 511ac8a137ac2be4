using System.Globalization;
using System.Text.Json;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Text;

using static CrmKernel.Storage.RecordJson;

namespace CrmKernel.Storage;

/// <summary>
/// The one JSON form of segment definitions: the document a database adapter stores verbatim for each version
/// (<c>{"id":…,"version":…,"name":…,"description":…,"definedAt":…,"rule":{"op":"and","rules":[…]}}</c>).
/// </summary>
internal static class SegmentJson
{
    public const string Source = "segment";

    public static string WriteDefinition(SegmentDefinition definition) => Write(w =>
    {
        w.WriteString("id", definition.Id.Value);
        w.WriteNumber("version", definition.Version);
        w.WriteString("name", definition.DisplayName);
        w.WriteString("description", definition.Description);
        WriteInstant(w, "definedAt", definition.DefinedAt);
        w.WritePropertyName("rule");
        WriteRule(w, definition.Rule);
    });

    /// <summary>Reads a stored definition; anything malformed is <see cref="Diagnostics.InvalidStoredStateException"/> naming <paramref name="key"/>.</summary>
    public static SegmentDefinition ReadDefinition(string key, string document) => Read(Source, key, document, e => new SegmentDefinition(
        new SegmentId(Text(e, "id")),
        e.GetProperty("version").GetInt32(),
        Text(e, "name"),
        ReadRule(e.GetProperty("rule"), 0),
        RequiredInstant(e, "definedAt"),
        OptionalText(e, "description")));

    /// <summary>A rule alone, as JSON text (for tests and tools).</summary>
    public static string WriteRule(SegmentRule rule)
    {
        var text = Write(w =>
        {
            w.WritePropertyName("rule");
            WriteRule(w, rule);
        });
        return text;
    }

    /// <summary>Reads a rule written by <see cref="WriteRule(SegmentRule)"/>.</summary>
    public static SegmentRule ReadRule(string key, string document) => Read(Source, key, document, e => ReadRule(e.GetProperty("rule"), 0));

    private static void WriteRule(Utf8JsonWriter w, SegmentRule rule)
    {
        w.WriteStartObject();
        switch (rule)
        {
            case AllOfRule or AnyOfRule:
                w.WriteString("op", rule is AllOfRule ? "and" : "or");
                w.WriteStartArray("rules");
                foreach (var child in rule.Children)
                {
                    WriteRule(w, child);
                }

                w.WriteEndArray();
                break;
            case NotRule not:
                w.WriteString("op", "not");
                w.WritePropertyName("rule");
                WriteRule(w, not.Rule);
                break;
            case InSegmentRule r:
                w.WriteString("op", "segment");
                w.WriteString("segment", r.Segment.Value);
                break;
            case PartyKindRule r:
                w.WriteString("op", "kind");
                w.WriteString("kind", r.Kind.ToString());
                break;
            case HasTagRule r:
                w.WriteString("op", "tag");
                w.WriteString("tag", r.Tag.Value);
                break;
            case AttributeRule r:
                w.WriteString("op", "attribute");
                w.WriteString("name", r.Name);
                w.WriteString("comparison", r.Comparison.ToString());
                w.WriteString("type", r.ValueType?.ToString());
                w.WriteStartArray("values");
                foreach (var value in r.Values)
                {
                    w.WriteStringValue(value.ToInvariantString());
                }

                w.WriteEndArray();
                break;
            case LifecycleStageRule r:
                w.WriteString("op", "stage");
                w.WriteStartArray("stages");
                foreach (var stage in r.Stages)
                {
                    w.WriteStringValue(stage.Value);
                }

                w.WriteEndArray();
                break;
            case TimeInStageRule r:
                w.WriteString("op", "time-in-stage");
                w.WriteString("bound", r.Bound.ToString());
                w.WriteString("duration", DurationPattern.Roundtrip.Format(r.Duration));
                break;
            case HasRelationshipRule r:
                w.WriteString("op", "has-relationship");
                w.WriteString("type", r.RelationshipType);
                break;
            case RelatedToSegmentRule r:
                w.WriteString("op", "related");
                w.WriteString("type", r.RelationshipType);
                w.WriteString("segment", r.Segment.Value);
                break;
            case RecencyRule r:
                w.WriteString("op", "recency");
                w.WriteString("window", DurationPattern.Roundtrip.Format(r.Within));
                w.WriteString("kind", r.Kind?.Value);
                w.WriteString("function", r.Function?.ToString());
                break;
            case TouchpointCountRule r:
                w.WriteString("op", "count");
                w.WriteString("window", DurationPattern.Roundtrip.Format(r.Window));
                w.WriteNumber("atLeast", r.AtLeast);
                w.WriteString("kind", r.Kind?.Value);
                break;
            case SpendRule r:
                w.WriteString("op", "spend");
                w.WriteString("window", DurationPattern.Roundtrip.Format(r.Window));
                w.WriteString("atLeast", r.AtLeast.ToString());
                break;
            case ChannelUsedRule r:
                w.WriteString("op", "channel");
                w.WriteString("window", DurationPattern.Roundtrip.Format(r.Window));
                w.WriteString("channel", r.Channel.Value);
                break;
            case ContactConsentRule r:
                w.WriteString("op", "consent");
                w.WriteString("purpose", r.Purpose.Value);
                w.WriteString("channel", r.Channel.Value);
                w.WriteString("contactPoint", r.ContactPointKind.ToString());
                break;
            case ScoreRule r:
                w.WriteString("op", "score");
                w.WriteString("score", r.Score);
                w.WriteString("comparison", r.Comparison.ToString());
                w.WriteString("threshold", r.Threshold.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw new NotSupportedException($"The segment clause {rule.GetType().Name} has no JSON form.");
        }

        w.WriteEndObject();
    }

    private static SegmentRule ReadRule(JsonElement e, int depth)
    {
        if (depth > SegmentRule.MaxDepth)
        {
            throw new FormatException("the rule nests too deep");
        }

        static Duration Window(JsonElement e, string name) => DurationPattern.Roundtrip.Parse(Text(e, name)).Value;
        static T Enum<T>(JsonElement e, string name)
            where T : struct, System.Enum
            => System.Enum.TryParse<T>(Text(e, name), out var value) && System.Enum.IsDefined(value) ? value : throw new FormatException($"'{name}' is not a {typeof(T).Name}");

        return Text(e, "op") switch
        {
            "and" => new AllOfRule([.. e.GetProperty("rules").EnumerateArray().Select(r => ReadRule(r, depth + 1))]),
            "or" => new AnyOfRule([.. e.GetProperty("rules").EnumerateArray().Select(r => ReadRule(r, depth + 1))]),
            "not" => new NotRule(ReadRule(e.GetProperty("rule"), depth + 1)),
            "segment" => new InSegmentRule(new SegmentId(Text(e, "segment"))),
            "kind" => new PartyKindRule(Enum<PartyKind>(e, "kind")),
            "tag" => new HasTagRule(new CustomerTag(Text(e, "tag"))),
            "attribute" => ReadAttribute(e),
            "stage" => new LifecycleStageRule([.. e.GetProperty("stages").EnumerateArray().Select(s => new LifecycleStage(s.GetString()!))]),
            "time-in-stage" => new TimeInStageRule(Enum<SegmentBound>(e, "bound"), Window(e, "duration")),
            "has-relationship" => new HasRelationshipRule(Text(e, "type")),
            "related" => new RelatedToSegmentRule(Text(e, "type"), new SegmentId(Text(e, "segment"))),
            "recency" => new RecencyRule(
                Window(e, "window"),
                OptionalText(e, "kind") is { } kind ? new TouchpointKind(kind) : null,
                OptionalText(e, "function") is not null ? Enum<CrmFunction>(e, "function") : null),
            "count" => new TouchpointCountRule(Window(e, "window"), e.GetProperty("atLeast").GetInt32(), OptionalText(e, "kind") is { } k ? new TouchpointKind(k) : null),
            "spend" => new SpendRule(Window(e, "window"), Money.Parse(Text(e, "atLeast"))),
            "channel" => new ChannelUsedRule(Window(e, "window"), new ChannelId(Text(e, "channel"))),
            "consent" => new ContactConsentRule(new ConsentPurpose(Text(e, "purpose")), new ChannelId(Text(e, "channel")), Enum<ContactPointKind>(e, "contactPoint")),
            "score" => new ScoreRule(Text(e, "score"), Enum<SegmentComparison>(e, "comparison"), Decimal(e, "threshold")),
            var op => throw new FormatException($"'{op}' is not a segment clause"),
        };

        static AttributeRule ReadAttribute(JsonElement e)
        {
            var comparison = Enum<SegmentComparison>(e, "comparison");
            var values = new List<CustomAttributeValue>();
            if (OptionalText(e, "type") is not null)
            {
                var type = Enum<CustomAttributeType>(e, "type");
                values.AddRange(e.GetProperty("values").EnumerateArray().Select(v => CustomAttributeValue.Parse(type, v.GetString()!)));
            }

            return new AttributeRule(Text(e, "name"), comparison, values);
        }
    }
}
