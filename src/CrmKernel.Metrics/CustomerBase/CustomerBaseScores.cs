using System.Collections.Frozen;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The customer-base models' figures as named segment scores: <see cref="LifetimeValue"/> (<c>clv</c>, the lifetime
/// value's amount), <see cref="ProbabilityAlive"/> (<c>p-alive</c>), <see cref="ExpectedTransactions"/>
/// (<c>expected-transactions</c>) from <see cref="CustomerLifetimeValue.Estimate"/>, and <see cref="RfmCell"/> (<c>rfm</c>,
/// the cell as a three-digit number, 555 best) from <see cref="RfmScoring.Score"/>. Register it as the
/// <see cref="ICustomerScoreSource"/> of <c>SegmentService</c> and declare <see cref="Names"/> in the segment vocabulary,
/// so rules such as "p-alive &lt; 0.3 and clv &gt;= 500" select customers worth winning back.
/// </summary>
/// <remarks>
/// The figures are those of the fit's calibration end: every as-of instant reads the same values (refit and replace the
/// source to move them). A customer the models did not see has no score and is in no score clause's segment.
/// </remarks>
public sealed class CustomerBaseScores : ICustomerScoreSource
{
    /// <summary>The lifetime value's amount, in the valuation's currency.</summary>
    public const string LifetimeValue = "clv";

    /// <summary>The probability that the customer is still active (0–1).</summary>
    public const string ProbabilityAlive = "p-alive";

    /// <summary>The expected number of transactions over the valuation's horizon.</summary>
    public const string ExpectedTransactions = "expected-transactions";

    /// <summary>The RFM cell as a number: 100 × recency + 10 × frequency + monetary quintile (111–555).</summary>
    public const string RfmCell = "rfm";

    private readonly TenantId _tenant;
    private readonly FrozenDictionary<CustomerId, CustomerValuation> _valuations;
    private readonly FrozenDictionary<CustomerId, RfmScore> _rfm;

    /// <summary>Serves the scores of one tenant's valuations and, optionally, its RFM scores.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="valuations"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a customer is valued or scored twice.</exception>
    public CustomerBaseScores(TenantId tenantId, IEnumerable<CustomerValuation> valuations, IEnumerable<RfmScore>? rfm = null)
    {
        _tenant = Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(valuations);
        var byCustomer = new Dictionary<CustomerId, CustomerValuation>();
        foreach (var valuation in valuations)
        {
            Preconditions.Check(byCustomer.TryAdd(valuation.CustomerId, valuation), $"Customer {valuation.CustomerId} is valued twice.", nameof(valuations));
        }

        var cells = new Dictionary<CustomerId, RfmScore>();
        foreach (var score in rfm ?? [])
        {
            Preconditions.Check(cells.TryAdd(score.CustomerId, score), $"Customer {score.CustomerId} is scored twice.", nameof(rfm));
        }

        _valuations = byCustomer.ToFrozenDictionary();
        _rfm = cells.ToFrozenDictionary();
    }

    /// <summary>The score names this source provides: declare them in the segment vocabulary.</summary>
    public static IReadOnlyList<string> Names { get; } = [LifetimeValue, ProbabilityAlive, ExpectedTransactions, RfmCell];

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The score is not one of <see cref="Names"/>, or <paramref name="scores"/> is shorter than the customer list.</exception>
    public ValueTask ReadScoresAsync(TenantId tenantId, string score, IReadOnlyList<CustomerId> customerIds, Instant asOf, decimal?[] scores, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(score);
        Preconditions.NotNull(customerIds);
        Preconditions.NotNull(scores);
        Preconditions.Check(Names.Contains(score), $"This source provides {string.Join(", ", Names)}, not {score}.", nameof(score));
        Preconditions.Check(scores.Length >= customerIds.Count, "The score array is shorter than the customer list.", nameof(scores));
        cancellationToken.ThrowIfCancellationRequested();
        for (var i = 0; i < customerIds.Count; i++)
        {
            scores[i] = tenantId != _tenant ? null : Of(score, customerIds[i]);
        }

        return ValueTask.CompletedTask;
    }

    private decimal? Of(string score, CustomerId customer)
    {
        if (score == RfmCell)
        {
            return _rfm.TryGetValue(customer, out var cell) ? cell.Cell : null;
        }

        if (!_valuations.TryGetValue(customer, out var valuation))
        {
            return null;
        }

        return score switch
        {
            LifetimeValue => valuation.LifetimeValue.Amount,
            ProbabilityAlive => (decimal)valuation.ProbabilityAlive,
            _ => (decimal)valuation.ExpectedTransactions,
        };
    }
}
