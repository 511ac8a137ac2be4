namespace CrmKernel.Services.Identity;

/// <summary>
/// A block a scan did not compare because more customers shared its key than <see cref="DuplicateDetectionOptions.MaxBlockSize"/>:
/// the key's kind and how many customers shared it (never the value). Many skipped blocks of one kind say the key is
/// not selective for this tenant (e.g. a shared switchboard phone number).
/// </summary>
public sealed class SkippedBlock
{
    internal SkippedBlock(string kind, int size)
    {
        Kind = kind;
        Size = size;
    }

    /// <summary>The key's kind, e.g. <c>phone</c>.</summary>
    public string Kind { get; }

    /// <summary>How many customers shared the key.</summary>
    public int Size { get; }

    /// <summary>The kind and size.</summary>
    /// <returns>The text, e.g. <c>phone: 250 customers</c>.</returns>
    public override string ToString() => $"{Kind}: {Size} customers";
}
