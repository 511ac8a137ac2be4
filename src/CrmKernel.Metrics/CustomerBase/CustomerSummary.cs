using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// One customer's purchase history reduced to what the customer-base models use: the frequency, recency and age
/// of the calibration period (x, tₓ, T in the literature), spend, and what happened in the holdout period. Get one
/// from a <see cref="CustomerBaseSummary"/>; pass it to a model's predictions.
/// </summary>
/// <remarks>
/// All purchases on one date (in the summary's time zone) are one transaction whose value is their sum. Durations
/// are whole days converted to the summary's <see cref="SummaryTimeUnit"/>: 30 days is 4.2857… weeks.
/// </remarks>
public readonly record struct CustomerSummary
{
    private readonly int _unitDays;
    private readonly Money _repeatSpend;

    internal CustomerSummary(
        CustomerId customerId,
        int frequency,
        int recencyDays,
        int ageDays,
        int unitDays,
        LocalDate firstPurchase,
        Money calibrationSpend,
        Money repeatSpend,
        int holdoutTransactions,
        Money holdoutSpend)
    {
        CustomerId = customerId;
        Frequency = frequency;
        RecencyDays = recencyDays;
        AgeDays = ageDays;
        _unitDays = unitDays;
        FirstPurchase = firstPurchase;
        CalibrationSpend = calibrationSpend;
        _repeatSpend = repeatSpend;
        HoldoutTransactions = holdoutTransactions;
        HoldoutSpend = holdoutSpend;
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>
    /// x: the number of repeat transactions in the calibration period, i.e. the distinct purchase dates after the
    /// first one, up to and including the calibration end.
    /// </summary>
    public int Frequency { get; }

    /// <summary>
    /// tₓ: the time from the first purchase to the last calibration purchase, in the summary's unit; 0 when
    /// <see cref="Frequency"/> is 0.
    /// </summary>
    public double Recency => RecencyDays / (double)_unitDays;

    /// <summary>T: the time from the first purchase to the calibration end, in the summary's unit.</summary>
    public double Age => AgeDays / (double)_unitDays;

    /// <summary>The date of the first purchase: the customer's acquisition date.</summary>
    public LocalDate FirstPurchase { get; }

    /// <summary>The date of the last calibration purchase; <see cref="FirstPurchase"/> when there was no repeat.</summary>
    public LocalDate LastPurchase => FirstPurchase.PlusDays(RecencyDays);

    /// <summary>What the customer spent in the calibration period, first purchase included.</summary>
    public Money CalibrationSpend { get; }

    /// <summary>
    /// z̄: the mean value of the repeat transactions in the calibration period (first purchase excluded, same-day
    /// purchases merged); zero when <see cref="Frequency"/> is 0. The input of the Gamma-Gamma spend model.
    /// </summary>
    public Money MeanRepeatSpend => Frequency == 0 ? _repeatSpend : _repeatSpend.Divide(Frequency);

    /// <summary>The number of transactions (distinct purchase dates) in the holdout period; 0 when the summary has none.</summary>
    public int HoldoutTransactions { get; }

    /// <summary>What the customer spent in the holdout period; zero when the summary has none.</summary>
    public Money HoldoutSpend { get; }

    /// <summary>tₓ in whole days.</summary>
    internal int RecencyDays { get; }

    /// <summary>T in whole days.</summary>
    internal int AgeDays { get; }

    /// <summary>The mean repeat spend as a double, for the spend model.</summary>
    internal double MeanRepeatSpendValue => (double)MeanRepeatSpend.Amount;
}
