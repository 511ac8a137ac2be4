using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Sales;

/// <summary>
/// A tenant's sales process as an ordered list of open stages, each with a default probability and a forecast
/// category. A tenant can have several (new business, renewals, partner deals). Define one with <see cref="Define"/>
/// and change it with <see cref="Revise"/>; storage adapters rebuild stored ones with <see cref="Rehydrate"/>.
/// </summary>
/// <remarks>
/// A pipeline is immutable: a revision is a new value with the next version. Stages can be added, renamed, reordered
/// and re-weighted, never removed (<c>CRM-SALES-007</c>), because deals and their history refer to stage keys. A deal
/// keeps the probability and category of a stage as they were when it entered it.
/// </remarks>
public sealed class SalesPipeline
{
    /// <summary>The longest pipeline name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The most stages a pipeline has.</summary>
    public const int MaxStages = 20;

    private readonly Dictionary<string, int> _positions;

    private SalesPipeline(TenantId tenantId, SalesPipelineId id, string name, SalesStage[] stages, long version)
    {
        TenantId = tenantId;
        Id = id;
        Name = name;
        Stages = stages;
        Version = version;
        _positions = new Dictionary<string, int>(stages.Length, StringComparer.Ordinal);
        for (var i = 0; i < stages.Length; i++)
        {
            Preconditions.Check(_positions.TryAdd(stages[i].Key, i), $"Stage key {stages[i].Key} appears twice.", nameof(stages));
        }
    }

    /// <summary>The owning tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The pipeline's id.</summary>
    public SalesPipelineId Id { get; }

    /// <summary>The display name, e.g. "New business".</summary>
    public string Name { get; }

    /// <summary>The open stages in order; a new deal enters the first unless told otherwise.</summary>
    public IReadOnlyList<SalesStage> Stages { get; }

    /// <summary>The stored version: 1 when defined, one more per revision.</summary>
    public long Version { get; }

    /// <summary>Defines a new pipeline at version 1.</summary>
    /// <param name="tenantId">The owning tenant.</param>
    /// <param name="id">The new pipeline's id.</param>
    /// <param name="name">The display name.</param>
    /// <param name="stages">One to <see cref="MaxStages"/> stages, in order, with distinct keys.</param>
    /// <exception cref="ArgumentNullException">An argument is null or <paramref name="stages"/> holds null.</exception>
    /// <exception cref="ArgumentException">A default id, a blank or too long name, no stages, too many, or a key twice.</exception>
    public static SalesPipeline Define(TenantId tenantId, SalesPipelineId id, string name, IEnumerable<SalesStage> stages)
        => Rehydrate(tenantId, id, name, stages, 1);

    /// <summary>
    /// Validates and rebuilds a stored pipeline (storage adapters); a corrupt one fails here with an
    /// <see cref="ArgumentException"/> that the adapter reports as stored state that is not valid.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null or <paramref name="stages"/> holds null.</exception>
    /// <exception cref="ArgumentException">A default id, a blank or too long name, no stages, too many, a key twice, or a version below 1.</exception>
    public static SalesPipeline Rehydrate(TenantId tenantId, SalesPipelineId id, string name, IEnumerable<SalesStage> stages, long version)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.MaxLength(Preconditions.NotBlank(name).Trim(), MaxNameLength, nameof(name));
        var list = Preconditions.NotNull(stages).ToArray();
        Preconditions.Check(list.Length >= 1, "A pipeline has at least one stage.", nameof(stages));
        Preconditions.MaxCount(list.Length, MaxStages, "stages", nameof(stages));
        Preconditions.Check(Array.TrueForAll(list, s => s is not null), "The stages must not contain null.", nameof(stages));
        Preconditions.Check(version >= 1, "The version must be 1 or more.", nameof(version));
        return new SalesPipeline(tenantId, id, name.Trim(), list, version);
    }

    /// <summary>
    /// Returns the next version of the pipeline with a new name and stages. Every existing stage key must still be
    /// there (renamed, moved or re-weighted as you like); new keys may be added.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null or <paramref name="stages"/> holds null.</exception>
    /// <exception cref="ArgumentException">A blank or too long name, no stages, too many, or a key twice.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-007</c>: a stage of this version is missing from <paramref name="stages"/>.</exception>
    public SalesPipeline Revise(string name, IEnumerable<SalesStage> stages)
    {
        var revised = Rehydrate(TenantId, Id, name, stages, Version + 1);
        foreach (var stage in Stages)
        {
            if (!revised._positions.ContainsKey(stage.Key))
            {
                throw new SalesRuleException(CrmErrorCodes.SalesStageRemoved, $"Pipeline {Id} cannot drop stage {stage.Key}: deals and their history refer to it.");
            }
        }

        return revised;
    }

    /// <summary>The stage with <paramref name="key"/>, or null when the pipeline has none.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public SalesStage? FindStage(string key)
        => PositionOf(key) is var i and >= 0 ? Stages[i] : null;

    /// <summary>The stage with <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-001</c>: the pipeline has no such stage.</exception>
    public SalesStage GetStage(string key)
        => FindStage(key) ?? throw new SalesRuleException(CrmErrorCodes.UnknownSalesStage, $"Pipeline {Id} has no stage {Slug.Normalize(key, SalesStage.MaxKeyLength) ?? "(not a stage key)"}.");

    /// <summary>The stage's position in <see cref="Stages"/> (0 is the first), or -1 when the pipeline has none; the key is compared in its slug form.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public int PositionOf(string key)
        => Slug.Normalize(Preconditions.NotNull(key), SalesStage.MaxKeyLength) is { } normalized && _positions.TryGetValue(normalized, out var i) ? i : -1;
}
