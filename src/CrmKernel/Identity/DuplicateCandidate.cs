using System.Globalization;
using CrmKernel.Customers;
using CrmKernel.Primitives;

namespace CrmKernel.Identity;

/// <summary>
/// Two customers that may be one: both ids with the versions they had when read (so a merge can refuse if either
/// changed since), the score, the decision, and each field's part in the score. <see cref="FirstId"/> is the smaller
/// id, so a pair has one form whichever way it was found.
/// </summary>
public sealed class DuplicateCandidate
{
    internal DuplicateCandidate(MatchRecord first, MatchRecord second, double score, MatchDecision decision, IReadOnlyList<FieldComparison> comparisons)
    {
        FirstId = first.Id;
        FirstVersion = first.Version;
        SecondId = second.Id;
        SecondVersion = second.Version;
        Kind = first.Kind;
        Score = score;
        Decision = decision;
        Comparisons = comparisons;
    }

    /// <summary>The customer with the smaller id.</summary>
    public CustomerId FirstId { get; }

    /// <summary>The version of <see cref="FirstId"/> as read.</summary>
    public long FirstVersion { get; }

    /// <summary>The customer with the larger id.</summary>
    public CustomerId SecondId { get; }

    /// <summary>The version of <see cref="SecondId"/> as read.</summary>
    public long SecondVersion { get; }

    /// <summary>Person or organisation (both are the same kind).</summary>
    public PartyKind Kind { get; }

    /// <summary>The sum of the fields' weights (log2 odds that the two are one customer).</summary>
    public double Score { get; }

    /// <summary>What the rule's thresholds make of the score.</summary>
    public MatchDecision Decision { get; }

    /// <summary>Each field of the rule, in the rule's order: its similarity and the weight it added.</summary>
    public IReadOnlyList<FieldComparison> Comparisons { get; }

    /// <summary>The ids, score and decision, e.g. <c>… ~ …: 21.5 Definite</c>; never personal data.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{FirstId} ~ {SecondId}: {Score:0.0} {Decision}");
}
