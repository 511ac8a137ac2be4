using System.Text.Json;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using NodaTime.Text;

namespace CrmKernel.Storage;

/// <summary>The JSON form of lifecycle transitions, used by the outbox payload of <see cref="LifecycleStageChanged"/>.</summary>
internal static class LifecycleJson
{
    public static void WriteTransition(Utf8JsonWriter w, LifecycleTransitionRecord t)
    {
        w.WriteString("from", t.From.Value);
        w.WriteString("to", t.To.Value);
        w.WriteString("at", InstantPattern.ExtendedIso.Format(t.At));
        w.WriteString("rule", t.Rule);
        w.WriteString("cause", t.Cause.ToString());
        w.WriteString("touchpointId", t.TouchpointId?.ToString());
        w.WriteString("command", t.Command);
        w.WriteString("reason", t.Reason);
        w.WriteString("actor", t.Actor);
    }

    public static LifecycleTransitionRecord ReadTransition(JsonElement p)
    {
        string? Text(string name) => p.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;
        return LifecycleTransitionRecord.Create(
            new LifecycleStage(Text("from")!),
            new LifecycleStage(Text("to")!),
            InstantPattern.ExtendedIso.Parse(Text("at")!).GetValueOrThrow(),
            Text("rule")!,
            Enum.Parse<LifecycleTriggerKind>(Text("cause")!),
            Text("touchpointId") is { } id ? TouchpointId.Parse(id) : null,
            Text("command"),
            Text("reason")!,
            Text("actor")!);
    }
}
