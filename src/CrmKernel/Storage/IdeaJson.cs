using System.Text.Json;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

using static CrmKernel.Storage.RecordJson;

namespace CrmKernel.Storage;

/// <summary>The one JSON form of ideas and voice records, stored verbatim by database adapters.</summary>
internal static class IdeaJson
{
    public const string IdeaSource = "idea";
    public const string VoiceSource = "customer-voice";

    public static string WriteIdea(Idea idea) => Write(w =>
    {
        w.WriteString("tenant", idea.TenantId.Value);
        w.WriteString("id", idea.Id.ToString());
        w.WriteNumber("version", idea.Version);
        w.WriteString("origin", idea.Origin.ToString());
        w.WriteString("submittedBy", idea.SubmittedBy?.ToString());
        w.WriteString("title", idea.Title);
        w.WriteString("description", idea.Description);
        w.WriteString("subject", idea.Subject.Value);
        WriteInstant(w, "submittedAt", idea.SubmittedAt);
        w.WriteString("status", idea.Status.ToString());
        w.WriteStartArray("history");
        foreach (var c in idea.History)
        {
            w.WriteStartObject();
            w.WriteString("from", c.From.ToString());
            w.WriteString("to", c.To.ToString());
            WriteInstant(w, "at", c.At);
            w.WriteString("reason", c.Reason);
            w.WriteString("mergedInto", c.MergedInto?.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("comments");
        foreach (var c in idea.Comments)
        {
            w.WriteStartObject();
            w.WriteString("author", c.Author?.ToString());
            w.WriteString("text", c.Text);
            WriteInstant(w, "at", c.At);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static Idea ReadIdea(string key, string document) => Read(IdeaSource, key, document, e => Idea.Rehydrate(
        new TenantId(Text(e, "tenant")),
        IdeaId.Parse(Text(e, "id")),
        Enum.Parse<IdeaOrigin>(Text(e, "origin")),
        OptionalText(e, "submittedBy") is { } by ? CustomerId.Parse(by) : null,
        Text(e, "title"),
        OptionalText(e, "description"),
        new SubjectArea(Text(e, "subject")),
        RequiredInstant(e, "submittedAt"),
        Enum.Parse<IdeaStatus>(Text(e, "status")),
        e.GetProperty("version").GetInt32(),
        [.. e.GetProperty("history").EnumerateArray().Select(c => new IdeaStatusChange(
            Enum.Parse<IdeaStatus>(Text(c, "from")),
            Enum.Parse<IdeaStatus>(Text(c, "to")),
            RequiredInstant(c, "at"),
            Text(c, "reason"),
            OptionalText(c, "mergedInto") is { } m ? IdeaId.Parse(m) : null))],
        [.. e.GetProperty("comments").EnumerateArray().Select(c => new IdeaComment(
            OptionalText(c, "author") is { } a ? CustomerId.Parse(a) : null,
            Text(c, "text"),
            RequiredInstant(c, "at")))]));

    public static string WriteVoice(CustomerVoice voice) => Write(w =>
    {
        w.WriteString("tenant", voice.TenantId.Value);
        w.WriteString("id", voice.Id.ToString());
        WriteInstant(w, "recordedAt", voice.RecordedAt);
        w.WriteString("customer", voice.CustomerId.ToString());
        w.WriteString("kind", voice.Kind.ToString());
        w.WriteString("subject", voice.Subject.Value);
        w.WriteString("channel", voice.Channel.Value);
        WriteInstant(w, "occurredAt", voice.OccurredAt);
        w.WriteString("source", voice.Source.Source);
        w.WriteString("key", voice.Source.Key);
        w.WriteString("title", voice.Title);
        w.WriteString("text", voice.Text);
        w.WriteStartArray("related");
        foreach (var r in voice.RelatedParties)
        {
            w.WriteStringValue(r.ToString());
        }

        w.WriteEndArray();
        w.WriteString("idea", voice.Idea?.ToString());
    });

    public static CustomerVoice ReadVoice(string key, string document) => Read(VoiceSource, key, document, e =>
    {
        var kind = Enum.Parse<VoiceKind>(Text(e, "kind"));
        IdeaId? idea = OptionalText(e, "idea") is { } i ? IdeaId.Parse(i) : null;
        var details = new NewCustomerVoice
        {
            CustomerId = CustomerId.Parse(Text(e, "customer")),
            Kind = kind,
            Subject = new SubjectArea(Text(e, "subject")),
            Channel = new ChannelId(Text(e, "channel")),
            OccurredAt = RequiredInstant(e, "occurredAt"),
            Source = new ExternalIdentifier(Text(e, "source"), Text(e, "key")),
            Title = Text(e, "title"),
            Text = OptionalText(e, "text"),
            RelatedParties = [.. e.GetProperty("related").EnumerateArray().Select(r => CustomerId.Parse(r.GetString()!))],
            AboutIdea = kind == VoiceKind.Feedback ? idea : null,
        };
        return CustomerVoice.Create(new TenantId(Text(e, "tenant")), TouchpointId.Parse(Text(e, "id")), RequiredInstant(e, "recordedAt"), details, idea);
    });
}
