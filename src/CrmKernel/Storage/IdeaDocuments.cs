using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// The kernel's JSON documents of an idea (with its history and comments) and of a voice record: what a database adapter
/// stores verbatim beside its key columns and reads back. Use them instead of a codec of your own, so every store keeps
/// the same form; votes are plain columns.
/// </summary>
public static class IdeaDocuments
{
    /// <summary>The document of an idea.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="idea"/> is null.</exception>
    public static string Write(Idea idea) => IdeaJson.WriteIdea(Preconditions.NotNull(idea));

    /// <summary>Reads a stored idea document, checking it holds the idea and version the row says.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is malformed, breaks an invariant, or holds another idea or version.</exception>
    public static Idea Read(TenantId tenantId, IdeaId idea, int version, string document)
    {
        Preconditions.NotNull(document);
        var key = $"{idea}@{version}";
        var read = IdeaJson.ReadIdea(key, document);
        return read.Id == idea && read.Version == version && read.TenantId == tenantId
            ? read
            : throw new InvalidStoredStateException(IdeaJson.IdeaSource, key, "the document holds another idea, tenant or version");
    }

    /// <summary>The document of a voice record.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="voice"/> is null.</exception>
    public static string Write(CustomerVoice voice) => IdeaJson.WriteVoice(Preconditions.NotNull(voice));

    /// <summary>Reads a stored voice document, checking it holds the tenant the row says.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is malformed or holds another tenant.</exception>
    public static CustomerVoice ReadVoice(TenantId tenantId, string document)
    {
        Preconditions.NotNull(document);
        var voice = IdeaJson.ReadVoice(tenantId.Value, document);
        return voice.TenantId == tenantId ? voice : throw new InvalidStoredStateException(IdeaJson.VoiceSource, tenantId.Value, "the document holds another tenant");
    }
}
