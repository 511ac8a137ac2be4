using CrmKernel.Diagnostics;
using CrmKernel.Segments;

namespace CrmKernel.Storage;

/// <summary>
/// The kernel's JSON document of one segment definition version: what a database adapter stores verbatim beside its
/// key columns (tenant, id, version) and reads back. Use it instead of a codec of your own, so every store keeps the
/// same form.
/// </summary>
public static class SegmentDocuments
{
    /// <summary>The document of a definition.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    public static string Write(SegmentDefinition definition) => SegmentJson.WriteDefinition(Preconditions.NotNull(definition));

    /// <summary>Reads a stored document, checking it holds the segment and version the row says.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is malformed, or holds another segment or version.</exception>
    public static SegmentDefinition Read(SegmentId segment, int version, string document)
    {
        Preconditions.NotNull(document);
        var key = $"{segment}@{version}";
        var definition = SegmentJson.ReadDefinition(key, document);
        return definition.Id == segment && definition.Version == version
            ? definition
            : throw new InvalidStoredStateException(SegmentJson.Source, key, "the document holds another segment or version");
    }
}
