using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// A product × segment group of an acquisition report: the distinct-customer figures (reached, converted, cost, time to
/// first purchase) of one product among one segment. Use it to look a group up (<see cref="AcquisitionReport.Find(AcquisitionGroupKey)"/>)
/// or drill into it (<see cref="AcquisitionAnalysis.StreamGroupAsync"/>).
/// </summary>
/// <param name="Product">
/// A product id; null for all products (each customer once); <see cref="UnspecifiedProduct"/> for journeys that name no
/// product (a first purchase without product ids, or a non-converting journey whose communications name none).
/// </param>
/// <param name="Segment">A segment of <see cref="AcquisitionRequest.Segments"/>; null for all customers.</param>
public readonly record struct AcquisitionGroupKey(string? Product, SegmentId? Segment)
{
    /// <summary>The product key of journeys that name no product: the empty string, never a product id (ids are not blank).</summary>
    public const string UnspecifiedProduct = "";

    /// <summary>All products, all customers: the report's total.</summary>
    public static AcquisitionGroupKey Total { get; } = new(null, null);

    /// <summary>The product and segment, e.g. <c>sku-1 × vip</c>, <c>all products × all customers</c>.</summary>
    public override string ToString()
        => $"{Product switch { null => "all products", UnspecifiedProduct => "unspecified product", _ => Product }} × {Segment?.ToString() ?? "all customers"}";
}

/// <summary>
/// A product × segment × channel cell of an acquisition report: a group's figures credited to one channel under the
/// report's attribution rule. Use it to look a cell up (<see cref="AcquisitionReport.Find(AcquisitionCellKey)"/>) or
/// drill into it (<see cref="AcquisitionAnalysis.StreamCellAsync"/>).
/// </summary>
/// <param name="Group">The product × segment group.</param>
/// <param name="Channel">The channel; null for the first purchases with no communication before them (they belong to no channel).</param>
public readonly record struct AcquisitionCellKey(AcquisitionGroupKey Group, ChannelId? Channel)
{
    /// <summary>The group and channel, e.g. <c>sku-1 × vip × email</c>.</summary>
    public override string ToString() => $"{Group} × {Channel?.ToString() ?? "no communication"}";
}
