using CrmKernel.Customers;
using CrmKernel.Diagnostics;

namespace CrmKernel.Identity;

/// <summary>
/// The survivorship rules of a merge: which customer's value each field keeps. Contact points, external identifiers and
/// tags are always the union (survivor's first); lifecycle stage and history are the survivor's; consent is merged to
/// the least permissive answer (see <see cref="CustomerMerger"/>). Use <see cref="Default"/> unless a field needs
/// another rule.
/// </summary>
/// <example><code>
/// var policy = new SurvivorshipPolicy(
///     new Dictionary&lt;SurvivorshipField, SurvivorshipRule&gt; { [SurvivorshipField.Names] = SurvivorshipRule.MostTrustedSource },
///     trustedSources: ["erp", "shop"]);
/// </code></example>
public sealed class SurvivorshipPolicy
{
    /// <summary>The most sources <see cref="TrustedSources"/> may list.</summary>
    public const int MaxTrustedSources = 20;

    /// <summary>Every field <see cref="SurvivorshipRule.NonEmpty"/>: the survivor's value, filled in from the merged customer where empty.</summary>
    public static SurvivorshipPolicy Default { get; } = new(new Dictionary<SurvivorshipField, SurvivorshipRule>());

    /// <summary>Creates a policy.</summary>
    /// <param name="rules">The rule per field; fields not listed use <see cref="SurvivorshipRule.NonEmpty"/>.</param>
    /// <param name="trustedSources">External identifier sources, most trusted first, for <see cref="SurvivorshipRule.MostTrustedSource"/>.</param>
    /// <param name="custom">Chooses the side for fields whose rule is <see cref="SurvivorshipRule.Custom"/>: given the field, the survivor and the merged customer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is null.</exception>
    /// <exception cref="ArgumentException">A rule or field is undefined, or a rule is <see cref="SurvivorshipRule.Custom"/> without <paramref name="custom"/>.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxTrustedSources"/> trusted sources (<c>CRM-INPUT-001</c>).</exception>
    public SurvivorshipPolicy(
        IReadOnlyDictionary<SurvivorshipField, SurvivorshipRule> rules,
        IReadOnlyList<string>? trustedSources = null,
        Func<SurvivorshipField, CustomerSnapshot, CustomerSnapshot, MergeSide>? custom = null)
    {
        Preconditions.NotNull(rules);
        foreach (var (field, rule) in rules)
        {
            Preconditions.Defined(field);
            Preconditions.Defined(rule);
            Preconditions.Check(rule != SurvivorshipRule.Custom || custom is not null, "A custom rule needs the custom chooser.", nameof(custom));
        }

        trustedSources ??= [];
        Preconditions.MaxCount(trustedSources.Count, MaxTrustedSources, "trusted sources", nameof(trustedSources));
        var sources = new string[trustedSources.Count];
        for (var i = 0; i < sources.Length; i++)
        {
            sources[i] = new Primitives.ExternalIdentifier(Preconditions.NotNull(trustedSources[i], nameof(trustedSources)), "x").Source;
        }

        Rules = new Dictionary<SurvivorshipField, SurvivorshipRule>(rules);
        TrustedSources = sources;
        Custom = custom;
    }

    /// <summary>The rule per field; a field not listed uses <see cref="SurvivorshipRule.NonEmpty"/>.</summary>
    public IReadOnlyDictionary<SurvivorshipField, SurvivorshipRule> Rules { get; }

    /// <summary>External identifier sources (normalised), most trusted first.</summary>
    public IReadOnlyList<string> TrustedSources { get; }

    /// <summary>The chooser for <see cref="SurvivorshipRule.Custom"/> fields, or null.</summary>
    public Func<SurvivorshipField, CustomerSnapshot, CustomerSnapshot, MergeSide>? Custom { get; }

    /// <summary>The rule for <paramref name="field"/>.</summary>
    public SurvivorshipRule RuleFor(SurvivorshipField field) => Rules.TryGetValue(field, out var rule) ? rule : SurvivorshipRule.NonEmpty;
}
