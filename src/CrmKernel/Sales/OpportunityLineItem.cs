using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Sales;

/// <summary>
/// One product on a deal: how many, at what unit price, with what discount. Add line items with
/// <see cref="Opportunity.AddLineItem"/>; the deal's amount is the sum of their totals.
/// </summary>
public sealed class OpportunityLineItem : IEquatable<OpportunityLineItem>
{
    /// <summary>The longest product reference (the same limit as a touchpoint's product references).</summary>
    public const int MaxProductIdLength = 128;

    /// <summary>Creates a line item (the opportunity numbers it; storage adapters rebuild stored ones).</summary>
    /// <param name="lineNumber">The line's number on its deal, 1 or more: one more than the highest number on the deal when added.</param>
    /// <param name="productId">The product's reference in the host's catalogue.</param>
    /// <param name="quantity">How many; more than 0.</param>
    /// <param name="unitPrice">The list price of one, zero or more.</param>
    /// <param name="discount">The discount as a fraction of the price, from 0 (none) to 1 (free).</param>
    /// <exception cref="ArgumentNullException"><paramref name="productId"/> is null.</exception>
    /// <exception cref="ArgumentException">A line number below 1, a blank or too long product, a quantity of 0 or less, a negative price, or a discount outside 0 to 1.</exception>
    public OpportunityLineItem(int lineNumber, string productId, decimal quantity, Money unitPrice, decimal discount)
    {
        LineNumber = Preconditions.Positive(lineNumber);
        ProductId = Preconditions.MaxLength(Preconditions.NotBlank(productId).Trim(), MaxProductIdLength, nameof(productId));
        Preconditions.Check(quantity > 0m, "The quantity must be more than 0.", nameof(quantity));
        Preconditions.Check(!unitPrice.IsNegative, "The unit price cannot be negative.", nameof(unitPrice));
        Preconditions.Check(discount is >= 0m and <= 1m, "The discount is a fraction from 0 to 1.", nameof(discount));
        Quantity = quantity;
        UnitPrice = unitPrice;
        Discount = discount;
        Total = unitPrice.Multiply(quantity * (1m - discount));
    }

    /// <summary>The line's number on its deal.</summary>
    public int LineNumber { get; }

    /// <summary>The product's reference.</summary>
    public string ProductId { get; }

    /// <summary>How many.</summary>
    public decimal Quantity { get; }

    /// <summary>The price of one before the discount.</summary>
    public Money UnitPrice { get; }

    /// <summary>The discount as a fraction (0.1 is 10 %).</summary>
    public decimal Discount { get; }

    /// <summary>Unit price × quantity × (1 − discount), unrounded.</summary>
    public Money Total { get; }

    /// <inheritdoc />
    public bool Equals(OpportunityLineItem? other)
        => other is not null && LineNumber == other.LineNumber && ProductId == other.ProductId && Quantity == other.Quantity
           && UnitPrice == other.UnitPrice && Discount == other.Discount;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OpportunityLineItem);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LineNumber, ProductId, Quantity, UnitPrice, Discount);
}
