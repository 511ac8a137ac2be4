using System.Text.Json;
using System.Text.Json.Nodes;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using NodaTime;

using static CrmKernel.Storage.RecordJson;

namespace CrmKernel.Storage;

/// <summary>
/// The kernel's rules for erasing what adapters store as documents, for implementers of
/// <see cref="ICustomerErasureStore"/>: rewrite case and opportunity documents with <see cref="EraseCase"/> and
/// <see cref="EraseOpportunity"/>, find the outbox events about a customer with <see cref="ConcernsCustomer"/> (prefilter
/// with <see cref="PayloadMarker"/> in SQL), and store erasure records with <see cref="WriteRecord"/> and
/// <see cref="ReadRecord"/>. The kernel owns these formats.
/// </summary>
public static class ErasureDocuments
{
    /// <summary>The text that replaces erased free text (a case subject, an opportunity name, a reason, a note).</summary>
    public const string ErasedText = "[erased]";

    /// <summary>The payload that replaces the payload of an outbox event about an erased customer.</summary>
    public const string RedactedPayload = """{"erased":true}""";

    private const string RecordSource = "erasure-record";

    /// <summary>
    /// The case document <paramref name="document"/> (stored for case <paramref name="caseId"/>) with its free text
    /// (subject, status-change and escalation reasons, resolution note) replaced by <see cref="ErasedText"/>, at the next
    /// version; everything else (status, category, priority, times, owner, SLA, touchpoint links) is unchanged.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is not a valid case (<c>CRM-STORE-001</c>).</exception>
    public static ErasedDocument EraseCase(TenantId tenantId, CaseId caseId, string document)
    {
        CaseDocuments.Read(tenantId, caseId, document);
        var root = Parse(CaseJson.CaseAggregate, caseId.ToString(), document);
        Replace(root, "subject");
        ReplaceInEach(root["history"], "reason");
        ReplaceInEach(root["escalations"], "reason");
        if (root["resolution"] is JsonObject resolution)
        {
            Replace(resolution, "note");
        }

        var version = root["version"]!.GetValue<long>() + 1;
        root["version"] = version;
        var erased = root.ToJsonString();
        CaseDocuments.Read(tenantId, caseId, erased);
        return new ErasedDocument(version, erased);
    }

    /// <summary>
    /// The opportunity document <paramref name="document"/> (stored for <paramref name="opportunityId"/>) with its free
    /// text (name, stage-change reasons) replaced by <see cref="ErasedText"/>, at the next version; amounts, stages,
    /// line items, dates and owner are unchanged.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is not a valid opportunity (<c>CRM-STORE-001</c>).</exception>
    public static ErasedDocument EraseOpportunity(TenantId tenantId, OpportunityId opportunityId, string document)
    {
        var key = opportunityId.ToString();
        SalesJson.ReadOpportunity(tenantId, key, Preconditions.NotNull(document));
        var root = Parse(SalesJson.OpportunityAggregate, key, document);
        Replace(root, "name");
        ReplaceInEach(root["history"], "reason");
        var version = root["version"]!.GetValue<long>() + 1;
        root["version"] = version;
        var erased = root.ToJsonString();
        SalesJson.ReadOpportunity(tenantId, key, erased);
        return new ErasedDocument(version, erased);
    }

    /// <summary>
    /// The merge document <paramref name="document"/> (stored for <paramref name="mergeId"/> of the row's tenant) redacted:
    /// both before-merge snapshots replaced by pseudonymous shells and the record marked redacted at <paramref name="at"/>
    /// (<see cref="CustomerMergeRecord.Redacted"/>); null when it was redacted before (store nothing, count nothing).
    /// Store it in place of the old document; the key columns, the active flag and rows kept beside the document
    /// (redirected touchpoints) are unchanged.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is not a valid merge record (<c>CRM-STORE-001</c>).</exception>
    public static string? EraseMerge(TenantId tenantId, CustomerMergeId mergeId, string document, Instant at)
    {
        var record = CustomerMergeDocuments.Read(tenantId, mergeId, Preconditions.NotNull(document));
        return record.IsRedacted ? null : CustomerMergeDocuments.Write(record.Redacted(at));
    }

    /// <summary>
    /// The idea document <paramref name="document"/> (stored for <paramref name="ideaId"/> at <paramref name="version"/>)
    /// with what <paramref name="customerId"/> wrote replaced by <see cref="ErasedText"/>: the title and description
    /// (a null description stays null) when the customer submitted the idea, and the text of each of their comments; at
    /// the next version. The idea, its status history (the company's reasons), the others' comments, the submitter and
    /// comment authors (pseudonymous ids) and all times are kept. Null when nothing of the customer is left to replace
    /// (store nothing).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default.</exception>
    /// <exception cref="InvalidStoredStateException">The document is not a valid idea (<c>CRM-STORE-001</c>).</exception>
    public static ErasedIdea? EraseIdea(TenantId tenantId, IdeaId ideaId, int version, string document, CustomerId customerId)
    {
        Preconditions.NotDefault(customerId);
        var idea = IdeaDocuments.Read(tenantId, ideaId, version, Preconditions.NotNull(document));
        return Erase(idea, customerId) is { } erased ? erased with { Document = IdeaDocuments.Write(erased.Idea) } : null;
    }

    /// <summary>
    /// The voice document <paramref name="document"/> of the row's tenant with its title and text (a null text stays
    /// null) replaced by <see cref="ErasedText"/> when <paramref name="customerId"/> is the customer speaking; kind,
    /// subject, channel, times, source key, related parties and idea link are kept. Null when the record is another
    /// customer's or was redacted before (store nothing).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default.</exception>
    /// <exception cref="InvalidStoredStateException">The document is not a valid voice record of the tenant (<c>CRM-STORE-001</c>).</exception>
    public static string? EraseVoice(TenantId tenantId, string document, CustomerId customerId)
    {
        Preconditions.NotDefault(customerId);
        var voice = IdeaDocuments.ReadVoice(tenantId, Preconditions.NotNull(document));
        return Erase(voice, customerId) is { } erased ? IdeaDocuments.Write(erased) : null;
    }

    /// <summary>The idea with the customer's text replaced (see <see cref="EraseIdea"/>), or null when there is none left; the in-memory store calls it on its rows.</summary>
    internal static ErasedIdea? Erase(Idea idea, CustomerId customerId)
    {
        var own = idea.SubmittedBy == customerId && (idea.Title != ErasedText || idea.Description is not (null or ErasedText));
        var comments = 0;
        var kept = new IdeaComment[idea.Comments.Count];
        for (var i = 0; i < kept.Length; i++)
        {
            var c = idea.Comments[i];
            var mine = c.Author == customerId && c.Text != ErasedText;
            comments += mine ? 1 : 0;
            kept[i] = mine ? new IdeaComment(c.Author, ErasedText, c.At) : c;
        }

        if (!own && comments == 0)
        {
            return null;
        }

        var erased = Idea.Rehydrate(
            idea.TenantId,
            idea.Id,
            idea.Origin,
            idea.SubmittedBy,
            own ? ErasedText : idea.Title,
            own && idea.Description is not null ? ErasedText : idea.Description,
            idea.Subject,
            idea.SubmittedAt,
            idea.Status,
            idea.Version + 1,
            idea.History,
            kept);
        return new ErasedIdea(erased, own, comments);
    }

    /// <summary>The voice record with its title and text replaced when it is the customer's and not redacted yet; otherwise null.</summary>
    internal static CustomerVoice? Erase(CustomerVoice voice, CustomerId customerId)
    {
        if (voice.CustomerId != customerId || (voice.Title == ErasedText && voice.Text is null or ErasedText))
        {
            return null;
        }

        var details = voice.ToDetails();
        return CustomerVoice.Create(voice.TenantId, voice.Id, voice.RecordedAt, new NewCustomerVoice
        {
            CustomerId = details.CustomerId,
            Kind = details.Kind,
            Subject = details.Subject,
            Channel = details.Channel,
            OccurredAt = details.OccurredAt,
            Source = details.Source,
            Title = ErasedText,
            Text = details.Text is null ? null : ErasedText,
            RelatedParties = details.RelatedParties,
            AboutIdea = details.AboutIdea,
        }, voice.Idea);
    }

    /// <summary>
    /// The text every payload about <paramref name="customerId"/> contains when the customer is not its aggregate (case
    /// and opportunity events): use it to prefilter outbox rows (<c>payload LIKE '%' || marker || '%'</c>), then decide
    /// with <see cref="ConcernsCustomer"/>.
    /// </summary>
    public static string PayloadMarker(CustomerId customerId) => $"\"customer\":\"{Preconditions.NotDefault(customerId)}\"";

    /// <summary>Whether a stored outbox event is about <paramref name="customerId"/>: one of the customer's own events, or a case or opportunity event of the customer.</summary>
    /// <exception cref="ArgumentNullException">A text is null.</exception>
    public static bool ConcernsCustomer(CustomerId customerId, string aggregateType, string aggregateId, string payload)
    {
        Preconditions.NotNull(aggregateType);
        Preconditions.NotNull(aggregateId);
        Preconditions.NotNull(payload);
        return (aggregateType == CustomerEventJson.AggregateType && aggregateId == customerId.ToString())
               || payload.Contains(PayloadMarker(customerId), StringComparison.Ordinal);
    }

    /// <summary>The stored form of an erasure record.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static string WriteRecord(ErasureRecord record)
    {
        Preconditions.NotNull(record);
        return Write(w =>
        {
            w.WriteString("customer", record.CustomerId.ToString());
            WriteInstant(w, "erasedAt", record.ErasedAt);
            w.WriteNumber("shellVersion", record.ShellVersion);
            w.WriteString("requestedBy", record.RequestedBy);
            w.WriteString("reference", record.Reference);
            w.WriteStartObject("counts");
            foreach (var c in record.Counts)
            {
                w.WriteNumber(c.Category, c.Count);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>Reads an erasure record stored with <see cref="WriteRecord"/> for customer <paramref name="customerId"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is not a valid record of this customer (<c>CRM-STORE-001</c>).</exception>
    public static ErasureRecord ReadRecord(TenantId tenantId, CustomerId customerId, string document)
    {
        var record = Read(RecordSource, customerId.ToString(), document, p => new ErasureRecord(
            tenantId,
            CustomerId.Parse(Text(p, "customer")),
            OptionalInstant(p, "erasedAt") ?? throw new FormatException("'erasedAt' is missing"),
            p.GetProperty("shellVersion").GetInt64(),
            Text(p, "requestedBy"),
            OptionalText(p, "reference"),
            [.. p.GetProperty("counts").EnumerateObject().Select(static c => new ErasureCount(c.Name, c.Value.GetInt32()))]));
        return record.CustomerId == customerId ? record : throw new InvalidStoredStateException(RecordSource, customerId.ToString(), "the document holds another customer's record");
    }

    private static JsonObject Parse(string source, string key, string document)
    {
        try
        {
            return JsonNode.Parse(document) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            throw new InvalidStoredStateException(source, key, "the document cannot be read as a valid record", ex);
        }
    }

    private static void Replace(JsonObject node, string name)
    {
        if (node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            node[name] = ErasedText;
        }
    }

    private static void ReplaceInEach(JsonNode? array, string name)
    {
        if (array is JsonArray items)
        {
            foreach (var item in items)
            {
                if (item is JsonObject entry)
                {
                    Replace(entry, name);
                }
            }
        }
    }
}

/// <summary>A document rewritten by <see cref="ErasureDocuments"/>: store <see cref="Document"/> at <see cref="Version"/> in place of the old one.</summary>
public readonly struct ErasedDocument
{
    /// <summary>Creates the pair.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    public ErasedDocument(long version, string document)
    {
        Version = version;
        Document = Preconditions.NotNull(document);
    }

    /// <summary>The record's new version (the old one plus one); store it in the version column.</summary>
    public long Version { get; }

    /// <summary>The new document.</summary>
    public string Document { get; }
}

/// <summary>
/// An idea rewritten by <see cref="ErasureDocuments.EraseIdea"/>: store <see cref="Document"/> at <see cref="Version"/> in
/// place of the old one, and count <see cref="TextReplaced"/> (the customer's own idea) and <see cref="CommentsReplaced"/>.
/// </summary>
public readonly struct ErasedIdea
{
    internal ErasedIdea(Idea idea, bool textReplaced, int commentsReplaced)
    {
        Idea = idea;
        Version = idea.Version;
        TextReplaced = textReplaced;
        CommentsReplaced = commentsReplaced;
        Document = string.Empty;
    }

    /// <summary>The idea's new version (the old one plus one); store it in the version column.</summary>
    public int Version { get; }

    /// <summary>The new document.</summary>
    public string Document { get; init; }

    /// <summary>True when the customer submitted the idea and its title and description were replaced.</summary>
    public bool TextReplaced { get; }

    /// <summary>How many of the customer's comments on the idea had their text replaced.</summary>
    public int CommentsReplaced { get; }

    internal Idea Idea { get; }
}
