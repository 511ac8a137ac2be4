using CrmKernel.Primitives;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// The result of an acquisition analysis: per product × segment group the distinct-customer figures
/// (<see cref="AcquisitionGroup"/>), and per product × segment × channel the figures credited under the attribution rule
/// (<see cref="AcquisitionCell"/>). Groups and cells exist only where a journey counted. <see cref="Total"/> is all
/// products × all customers.
/// </summary>
public sealed class AcquisitionReport
{
    private readonly Dictionary<AcquisitionGroupKey, AcquisitionGroup> _groups;
    private readonly Dictionary<AcquisitionCellKey, AcquisitionCell> _cells;

    internal AcquisitionReport(AcquisitionRequest request, IReadOnlyList<AcquisitionGroup> groups, IReadOnlyList<AcquisitionCell> cells, AcquisitionGroup total)
    {
        Request = request;
        Groups = groups;
        Cells = cells;
        Total = total;
        _groups = groups.ToDictionary(g => g.Key);
        _cells = cells.ToDictionary(c => c.Key);
    }

    /// <summary>The request analysed (window, currency, attribution rule, segments).</summary>
    public AcquisitionRequest Request { get; }

    /// <summary>The reporting currency of every amount.</summary>
    public Currency Currency => Request.Currency;

    /// <summary>The attribution rule of the cells.</summary>
    public AttributionRule Attribution => Request.Attribution;

    /// <summary>All products × all customers (zero figures when nobody was reached or converted).</summary>
    public AcquisitionGroup Total { get; }

    /// <summary>Every group with a journey: all products first, then products in ordinal order; all customers first, then segments in request order.</summary>
    public IReadOnlyList<AcquisitionGroup> Groups { get; }

    /// <summary>Every cell with a journey, in group order, then the no-communication cell, then channels in id order.</summary>
    public IReadOnlyList<AcquisitionCell> Cells { get; }

    /// <summary>The group of a product and segment; null when no journey counted in it.</summary>
    public AcquisitionGroup? Find(AcquisitionGroupKey key) => _groups.GetValueOrDefault(key);

    /// <summary>The cell of a product, segment and channel; null when no journey gave it credit.</summary>
    public AcquisitionCell? Find(AcquisitionCellKey key) => _cells.GetValueOrDefault(key);

    /// <summary>The cells of one group, in channel order.</summary>
    public IEnumerable<AcquisitionCell> CellsOf(AcquisitionGroupKey key) => Cells.Where(c => c.Key.Group == key);
}
