using CrmKernel.Identity;

namespace CrmKernel.Services.Identity;

/// <summary>
/// How <see cref="DuplicateDetector"/> blocks and scores: the rules for persons and organisations, the blocking keys,
/// the block cap and email alias folding. Register your own with <c>services.AddSingleton(new DuplicateDetectionOptions { ... })</c>
/// before <c>AddCrmKernel</c>, or pass it to the detector's constructor.
/// </summary>
public sealed class DuplicateDetectionOptions
{
    /// <summary>The most key builders the options can hold.</summary>
    public const int MaxKeyBuilders = 32;

    /// <summary>The default of <see cref="MaxBlockSize"/>.</summary>
    public const int DefaultMaxBlockSize = 100;

    /// <summary>How persons are scored; <see cref="MatchRule.DefaultPerson"/> by default.</summary>
    public MatchRule PersonRule { get; init; } = MatchRule.DefaultPerson;

    /// <summary>How organisations are scored; <see cref="MatchRule.DefaultOrganization"/> by default.</summary>
    public MatchRule OrganizationRule { get; init; } = MatchRule.DefaultOrganization;

    /// <summary>The blocking keys; <see cref="MatchKeyBuilders.Default"/> by default. At most <see cref="MaxKeyBuilders"/>.</summary>
    public IReadOnlyList<IMatchKeyBuilder> KeyBuilders { get; init; } = MatchKeyBuilders.Default;

    /// <summary>
    /// The largest block that is compared (2 to 10,000; <see cref="DefaultMaxBlockSize"/> by default). A block of more
    /// customers sharing one key (a company switchboard number, a shared mailbox, a common name in a big postcode) would
    /// make the scan quadratic; it is skipped and reported in <see cref="DuplicateScanResult.SkippedBlocks"/>, and its
    /// pairs are compared only if they share another, smaller key.
    /// </summary>
    public int MaxBlockSize { get; init; } = DefaultMaxBlockSize;

    /// <summary>
    /// Whether to fold Gmail aliases (dots and <c>+tag</c> in the local part, <c>googlemail.com</c>) before keying and
    /// comparing emails; off by default, because on other providers dots and tags can name different mailboxes.
    /// </summary>
    public bool FoldEmailAliases { get; init; }
}
