namespace CrmKernel.Services.Ingestion;

/// <summary>One contact a bulk ingestion refused as invalid; read <see cref="IngestionResult.Invalid"/> to correct and resend it.</summary>
public sealed class TouchpointRejection
{
    internal TouchpointRejection(int index, string reason)
    {
        Index = index;
        Reason = reason;
    }

    /// <summary>Zero-based position in the input.</summary>
    public int Index { get; }

    /// <summary>The rule broken (names fields, never their personal content).</summary>
    public string Reason { get; }
}
