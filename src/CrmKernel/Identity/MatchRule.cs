using CrmKernel.Customers;
using CrmKernel.Diagnostics;

namespace CrmKernel.Identity;

/// <summary>
/// How a pair of customers of one kind is scored and decided: weighted fields (<see cref="MatchField"/>) whose weights
/// add up to the score (Fellegi-Sunter log2 odds, so +10 means agreement about a thousand times likelier for true
/// duplicates than by chance), and two thresholds. Start from <see cref="DefaultPerson"/> or
/// <see cref="DefaultOrganization"/>; change thresholds with <see cref="WithThresholds"/> and add your own fields
/// with <see cref="WithField"/>.
/// </summary>
public sealed class MatchRule
{
    /// <summary>The most fields a rule can weigh.</summary>
    public const int MaxFields = 32;

    private readonly MatchField[] _fields;

    /// <summary>Creates a rule.</summary>
    /// <param name="fields">The weighted fields, each comparator's field name unique; 1 to <see cref="MaxFields"/>.</param>
    /// <param name="probableThreshold">The score from which a pair is probable (reported by scans), finite.</param>
    /// <param name="definiteThreshold">The score from which a pair is definite, at least <paramref name="probableThreshold"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">No fields, two with one name, or a threshold out of range (the message names it).</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxFields"/> fields.</exception>
    public MatchRule(IEnumerable<MatchField> fields, double probableThreshold, double definiteThreshold)
    {
        Preconditions.NotNull(fields);
        _fields = [.. fields];
        Preconditions.MaxCount(_fields.Length, MaxFields, "fields", nameof(fields));
        Preconditions.Check(_fields.Length > 0, "A rule needs at least one field.", nameof(fields));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in _fields)
        {
            Preconditions.Check(field is not null, "A field is null.", nameof(fields));
            Preconditions.Check(names.Add(field!.Comparator.Field ?? string.Empty), "Two fields have one name.", nameof(fields));
        }

        Preconditions.Check(double.IsFinite(probableThreshold), "The probable threshold must be finite.", nameof(probableThreshold));
        Preconditions.Check(double.IsFinite(definiteThreshold) && definiteThreshold >= probableThreshold, "The definite threshold must be finite and at least the probable threshold.", nameof(definiteThreshold));
        ProbableThreshold = probableThreshold;
        DefiniteThreshold = definiteThreshold;
    }

    /// <summary>
    /// The default rule for persons: email +10/-1, phone +8/-1, external id +12/-4, name +8/-8 (Jaro-Winkler, disagree at
    /// or below 0.70, agree from 0.90), date of birth +6/-6, postal code +3/-1, address line +4/-1 (token set, 0.2 to
    /// 0.8); probable from 8, definite from 15.
    /// </summary>
    public static MatchRule DefaultPerson { get; } = new(
        [
            new MatchField(FieldComparators.Email, 10, -1),
            new MatchField(FieldComparators.Phone, 8, -1),
            new MatchField(FieldComparators.ExternalIdentifier, 12, -4),
            new MatchField(FieldComparators.PersonName, 8, -8, 0.70, 0.90),
            new MatchField(FieldComparators.BirthDate, 6, -6),
            new MatchField(FieldComparators.PostalCode, 3, -1),
            new MatchField(FieldComparators.AddressLine, 4, -1, 0.2, 0.8),
        ],
        probableThreshold: 8,
        definiteThreshold: 15);

    /// <summary>
    /// The default rule for organisations: registration +12/-6, external id +12/-4, name +8/-8 (Jaro-Winkler, 0.70 to
    /// 0.92), email +8/-1, phone +5/-0.5 (a switchboard is shared), postal code +3/-1, address line +3/-1; probable
    /// from 8, definite from 15.
    /// </summary>
    public static MatchRule DefaultOrganization { get; } = new(
        [
            new MatchField(FieldComparators.Registration, 12, -6),
            new MatchField(FieldComparators.ExternalIdentifier, 12, -4),
            new MatchField(FieldComparators.OrganizationName, 8, -8, 0.70, 0.92),
            new MatchField(FieldComparators.Email, 8, -1),
            new MatchField(FieldComparators.Phone, 5, -0.5),
            new MatchField(FieldComparators.PostalCode, 3, -1),
            new MatchField(FieldComparators.AddressLine, 3, -1, 0.2, 0.8),
        ],
        probableThreshold: 8,
        definiteThreshold: 15);

    /// <summary>The weighted fields, in order.</summary>
    public IReadOnlyList<MatchField> Fields => _fields;

    /// <summary>The score from which a pair is <see cref="MatchDecision.Probable"/>.</summary>
    public double ProbableThreshold { get; }

    /// <summary>The score from which a pair is <see cref="MatchDecision.Definite"/>.</summary>
    public double DefiniteThreshold { get; }

    /// <summary>The same fields with other thresholds (e.g. a lower probable threshold for a review queue).</summary>
    /// <param name="probableThreshold">The new probable threshold.</param>
    /// <param name="definiteThreshold">The new definite threshold.</param>
    /// <returns>The new rule.</returns>
    /// <exception cref="ArgumentException">A threshold is out of range.</exception>
    public MatchRule WithThresholds(double probableThreshold, double definiteThreshold) => new(_fields, probableThreshold, definiteThreshold);

    /// <summary>The same rule with one more field (e.g. your own comparator for a custom attribute).</summary>
    /// <param name="field">The field to add.</param>
    /// <returns>The new rule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    /// <exception cref="ArgumentException">A field of that name is already in the rule.</exception>
    /// <exception cref="InputLimitExceededException">The rule would have more than <see cref="MaxFields"/> fields.</exception>
    public MatchRule WithField(MatchField field) => new([.. _fields, Preconditions.NotNull(field)], ProbableThreshold, DefiniteThreshold);

    /// <summary>The decision a score gets.</summary>
    /// <param name="score">The score.</param>
    /// <returns>Definite, probable or unlikely.</returns>
    public MatchDecision Decide(double score)
        => score >= DefiniteThreshold ? MatchDecision.Definite : score >= ProbableThreshold ? MatchDecision.Probable : MatchDecision.Unlikely;

    /// <summary>The score of a pair, without the explanation (no allocation): use it to filter many pairs.</summary>
    /// <param name="first">One customer.</param>
    /// <param name="second">Another customer of the same kind.</param>
    /// <returns>The sum of the fields' weights.</returns>
    /// <exception cref="ArgumentNullException">A record is null.</exception>
    /// <exception cref="ArgumentException">The records are of different kinds (a person never pairs with an organisation), or the same customer.</exception>
    public double Score(MatchRecord first, MatchRecord second)
    {
        CheckPair(first, second);
        (first, second) = Ordered(first, second);
        var score = 0.0;
        foreach (var field in _fields)
        {
            score += field.WeightOf(field.Comparator.Compare(first, second));
        }

        return score;
    }

    /// <summary>Scores a pair with each field's part: what a reviewer or a merge service takes.</summary>
    /// <param name="first">One customer.</param>
    /// <param name="second">Another customer of the same kind.</param>
    /// <returns>The candidate, whatever its decision.</returns>
    /// <exception cref="ArgumentNullException">A record is null.</exception>
    /// <exception cref="ArgumentException">The records are of different kinds (a person never pairs with an organisation), or the same customer.</exception>
    public DuplicateCandidate Evaluate(MatchRecord first, MatchRecord second)
    {
        CheckPair(first, second);
        (first, second) = Ordered(first, second);
        var comparisons = new FieldComparison[_fields.Length];
        var score = 0.0;
        for (var i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i];
            var similarity = field.Comparator.Compare(first, second);
            var weight = field.WeightOf(similarity);
            score += weight;
            comparisons[i] = new FieldComparison(field.Comparator.Field, similarity, weight);
        }

        return new DuplicateCandidate(first, second, score, Decide(score), comparisons);
    }

    private static void CheckPair(MatchRecord first, MatchRecord second)
    {
        Preconditions.NotNull(first);
        Preconditions.NotNull(second);
        Preconditions.Check(first.Kind == second.Kind, "A person is never compared with an organisation.", nameof(second));
        Preconditions.Check(first.Id != second.Id, "A customer is not its own duplicate.", nameof(second));
    }

    private static (MatchRecord First, MatchRecord Second) Ordered(MatchRecord first, MatchRecord second)
        => first.Id.CompareTo(second.Id) <= 0 ? (first, second) : (second, first);
}
