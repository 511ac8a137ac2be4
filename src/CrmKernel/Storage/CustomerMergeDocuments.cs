using System.Text.Json;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// The kernel's JSON document of one <see cref="CustomerMergeRecord"/> (both customers' states before the merge, the
/// moved and redirected touchpoints, the moved relationships and whether it was undone): what a database adapter stores
/// verbatim beside its key columns (tenant, merge id, survivor, merged customer) and reads back. Use it instead of a
/// codec of your own, so every store keeps the same form.
/// </summary>
public static class CustomerMergeDocuments
{
    private const string Source = "customer_merge";

    /// <summary>The document of a record.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static string Write(CustomerMergeRecord record)
    {
        Preconditions.NotNull(record);
        return RecordJson.Write(w =>
        {
            w.WriteString("id", record.Id.ToString());
            WriteSnapshot(w, "survivor", record.SurvivorBefore);
            WriteSnapshot(w, "merged", record.MergedBefore);
            RecordJson.WriteInstant(w, "mergedAt", record.MergedAt);
            w.WriteNumber("survivorVersionAfterMerge", record.SurvivorVersionAfterMerge);
            w.WriteNumber("mergedConsentCount", record.MergedConsentCount);
            WriteIds(w, "movedTouchpoints", record.MovedTouchpoints.Select(static t => t.ToString()));
            WriteIds(w, "redirectedTouchpoints", record.RedirectedTouchpoints.Select(static t => t.ToString()));
            WriteIds(w, "movedRelationships", record.MovedRelationships.Select(static r => r.ToString()));
            RecordJson.WriteInstant(w, "unmergedAt", record.UnmergedAt);
            if (record.ErasedAt is { } erasedAt)
            {
                RecordJson.WriteInstant(w, "erasedAt", erasedAt);
            }
        });
    }

    /// <summary>
    /// Reads a stored document of the row's tenant (the document does not repeat it), checking it holds the merge the row
    /// says; <paramref name="moreRedirected"/> (touchpoints
    /// an adapter noted beside the document while the merge was active) are listed after the document's own.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is malformed, or holds another merge.</exception>
    public static CustomerMergeRecord Read(TenantId tenantId, CustomerMergeId mergeId, string document, IReadOnlyList<TouchpointId>? moreRedirected = null)
    {
        Preconditions.NotNull(document);
        var key = mergeId.ToString();
        var record = RecordJson.Read(Source, key, document, e =>
        {
            List<TouchpointId> redirected = [.. e.GetProperty("redirectedTouchpoints").EnumerateArray().Select(static t => TouchpointId.Parse(t.GetString()!))];
            redirected.AddRange(moreRedirected ?? []);
            return new CustomerMergeRecord(
                CustomerMergeId.Parse(RecordJson.Text(e, "id")),
                ReadSnapshot(tenantId, key, e.GetProperty("survivor")),
                ReadSnapshot(tenantId, key, e.GetProperty("merged")),
                RecordJson.RequiredInstant(e, "mergedAt"),
                e.GetProperty("survivorVersionAfterMerge").GetInt64(),
                e.GetProperty("mergedConsentCount").GetInt32(),
                [.. e.GetProperty("movedTouchpoints").EnumerateArray().Select(static t => TouchpointId.Parse(t.GetString()!))],
                redirected,
                [.. e.GetProperty("movedRelationships").EnumerateArray().Select(static r => RelationshipId.Parse(r.GetString()!))],
                RecordJson.OptionalInstant(e, "unmergedAt"),
                RecordJson.OptionalInstant(e, "erasedAt"));
        });
        return record.Id == mergeId
            ? record
            : throw new InvalidStoredStateException(Source, key, "the document holds another merge");
    }

    private static void WriteSnapshot(Utf8JsonWriter w, string name, CustomerSnapshot s)
    {
        w.WriteStartObject(name);
        w.WriteString("id", s.Id.ToString());
        w.WriteNumber("version", s.Version);
        RecordJson.WriteInstant(w, "createdAt", s.CreatedAt);
        RecordJson.WriteInstant(w, "updatedAt", s.UpdatedAt);
        w.WritePropertyName("state");
        w.WriteRawValue(CustomerSnapshotJson.Write(s), skipInputValidation: true);
        w.WriteEndObject();
    }

    private static CustomerSnapshot ReadSnapshot(TenantId tenantId, string key, JsonElement e)
        => CustomerSnapshotJson.Read(
            Source,
            tenantId,
            CustomerId.Parse(RecordJson.Text(e, "id")),
            e.GetProperty("version").GetInt64(),
            RecordJson.RequiredInstant(e, "createdAt"),
            RecordJson.RequiredInstant(e, "updatedAt"),
            e.GetProperty("state").GetRawText());

    private static void WriteIds(Utf8JsonWriter w, string name, IEnumerable<string> ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
    }
}
