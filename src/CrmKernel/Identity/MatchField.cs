using CrmKernel.Diagnostics;

namespace CrmKernel.Identity;

/// <summary>
/// A comparator with its weights in a <see cref="MatchRule"/>. The weights are Fellegi-Sunter log-odds in bits:
/// <c>agreementWeight = log2(m / u)</c> and <c>disagreementWeight = log2((1 - m) / (1 - u))</c>, where m is how often
/// the field agrees for true duplicates and u how often it agrees by chance for different customers. A similarity at
/// or above <see cref="AgreeAtOrAbove"/> adds the agreement weight, one at or below <see cref="DisagreeAtOrBelow"/>
/// the disagreement weight, one in between a linear blend; a missing field adds 0.
/// </summary>
public sealed class MatchField
{
    /// <summary>Creates a weighted field.</summary>
    /// <param name="comparator">The comparator.</param>
    /// <param name="agreementWeight">What agreement adds (0 or more, finite).</param>
    /// <param name="disagreementWeight">What disagreement adds (0 or less, finite).</param>
    /// <param name="disagreeAtOrBelow">The similarity at or below which the field disagrees, in [0, 1).</param>
    /// <param name="agreeAtOrAbove">The similarity at or above which the field agrees, in (<paramref name="disagreeAtOrBelow"/>, 1].</param>
    /// <exception cref="ArgumentNullException"><paramref name="comparator"/> is null.</exception>
    /// <exception cref="ArgumentException">A weight or bound is out of range (the message names it).</exception>
    public MatchField(IFieldComparator comparator, double agreementWeight, double disagreementWeight, double disagreeAtOrBelow = 0, double agreeAtOrAbove = 1)
    {
        Comparator = Preconditions.NotNull(comparator);
        Preconditions.Check(double.IsFinite(agreementWeight) && agreementWeight >= 0, "The agreement weight must be finite and 0 or more.", nameof(agreementWeight));
        Preconditions.Check(double.IsFinite(disagreementWeight) && disagreementWeight <= 0, "The disagreement weight must be finite and 0 or less.", nameof(disagreementWeight));
        Preconditions.Check(disagreeAtOrBelow is >= 0 and < 1, "The disagreement bound must be in [0, 1).", nameof(disagreeAtOrBelow));
        Preconditions.Check(agreeAtOrAbove > disagreeAtOrBelow && agreeAtOrAbove <= 1, "The agreement bound must be above the disagreement bound and at most 1.", nameof(agreeAtOrAbove));
        AgreementWeight = agreementWeight;
        DisagreementWeight = disagreementWeight;
        DisagreeAtOrBelow = disagreeAtOrBelow;
        AgreeAtOrAbove = agreeAtOrAbove;
    }

    /// <summary>The comparator.</summary>
    public IFieldComparator Comparator { get; }

    /// <summary>What agreement adds to the score.</summary>
    public double AgreementWeight { get; }

    /// <summary>What disagreement adds to the score (0 or less).</summary>
    public double DisagreementWeight { get; }

    /// <summary>The similarity at or below which the field counts as disagreeing.</summary>
    public double DisagreeAtOrBelow { get; }

    /// <summary>The similarity at or above which the field counts as agreeing.</summary>
    public double AgreeAtOrAbove { get; }

    /// <summary>The weight a similarity adds (0 for a missing field).</summary>
    /// <param name="similarity">The comparator's result.</param>
    /// <returns>The weight.</returns>
    public double WeightOf(double? similarity)
    {
        if (similarity is not { } s)
        {
            return 0;
        }

        if (s >= AgreeAtOrAbove)
        {
            return AgreementWeight;
        }

        if (s <= DisagreeAtOrBelow)
        {
            return DisagreementWeight;
        }

        return DisagreementWeight + ((s - DisagreeAtOrBelow) / (AgreeAtOrAbove - DisagreeAtOrBelow) * (AgreementWeight - DisagreementWeight));
    }
}
