using System.Buffers.Binary;
using System.Collections;
using System.Runtime.InteropServices;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The purchase histories of a customer base reduced to one <see cref="CustomerSummary"/> per customer for a
/// calibration period (and, optionally, a holdout period after it): the input of every customer-base model and of
/// RFM scoring. Build it once with <see cref="Create"/> from purchase records, then fit models and score customers
/// from it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Conventions</b> (those of the published BG/NBD, Pareto/NBD and Gamma-Gamma analyses). Each purchase's instant
/// becomes a date in <see cref="Zone"/>; purchases on the same date are merged into one transaction whose value is
/// their sum. A customer's first purchase date is their acquisition. Calibration covers every date up to and
/// including <see cref="CalibrationEnd"/>; the holdout period, if any, the dates after it up to and including
/// <see cref="HoldoutEnd"/>. Purchases after the last period are ignored. For each customer, x (frequency) is the
/// number of calibration transactions after the first, tₓ (recency) the time from the first to the last calibration
/// transaction (0 when x = 0), T (age) the time from the first purchase to <see cref="CalibrationEnd"/>, and the mean
/// repeat spend the mean value of the x repeat transactions (zero when x = 0).
/// </para>
/// <para>
/// <b>Who is in it.</b> Every customer with a purchase on or before <see cref="CalibrationEnd"/>. Customers whose
/// first purchase is after it are left out: the calibration period says nothing about them (their T would be
/// negative). The models assume the purchase log starts at each customer's acquisition, so summarise a cohort, not
/// a log that begins in the middle of customers' histories.
/// </para>
/// <para>The customers are ordered by <see cref="CustomerId"/>. The summary is immutable and safe to share between threads.</para>
/// </remarks>
public sealed class CustomerBaseSummary : IReadOnlyList<CustomerSummary>
{
    /// <summary>The longest history supported, so that days pack into the fitting keys (2²¹ − 1 days, about 5,700 years).</summary>
    internal const int MaxHistoryDays = (1 << 21) - 1;

    private readonly CustomerSummary[] _customers;

    private CustomerBaseSummary(CustomerSummary[] customers, Currency currency, DateTimeZone zone, LocalDate calibrationEnd, LocalDate? holdoutEnd, SummaryTimeUnit timeUnit)
    {
        _customers = customers;
        Currency = currency;
        Zone = zone;
        CalibrationEnd = calibrationEnd;
        HoldoutEnd = holdoutEnd;
        TimeUnit = timeUnit;
    }

    /// <summary>The currency of every amount in the summary.</summary>
    public Currency Currency { get; }

    /// <summary>The time zone in which purchase instants became dates.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The last date of the calibration period.</summary>
    public LocalDate CalibrationEnd { get; }

    /// <summary>The last date of the holdout period, or <see langword="null"/> when there is none.</summary>
    public LocalDate? HoldoutEnd { get; }

    /// <summary>The unit of <see cref="CustomerSummary.Recency"/>, <see cref="CustomerSummary.Age"/> and <see cref="HoldoutLength"/>.</summary>
    public SummaryTimeUnit TimeUnit { get; }

    /// <summary>The length of the holdout period in <see cref="TimeUnit"/> (e.g. 39 weeks), or 0 when there is none: the horizon to predict it with.</summary>
    public double HoldoutLength => HoldoutEnd is { } end ? (end.ToDateOnly().DayNumber - CalibrationEnd.ToDateOnly().DayNumber) / (double)(int)TimeUnit : 0d;

    /// <summary>The number of customers.</summary>
    public int Count => _customers.Length;

    /// <summary>The customer at <paramref name="index"/>, in <see cref="CustomerId"/> order.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public CustomerSummary this[int index] => (uint)index < (uint)_customers.Length
        ? _customers[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, "The index is outside the summary.");

    /// <summary>The customers, for loops that must not copy the rows.</summary>
    internal ReadOnlySpan<CustomerSummary> Customers => _customers;

    /// <summary>
    /// Summarises purchase records for a calibration period ending on <paramref name="calibrationEnd"/> and an optional
    /// holdout period after it, with the conventions described on <see cref="CustomerBaseSummary"/>.
    /// </summary>
    /// <param name="purchases">The purchases, in any order; several per customer and per day are fine.</param>
    /// <param name="currency">The currency of every purchase value (and of the summary's amounts).</param>
    /// <param name="zone">The time zone that turns purchase instants into dates: the business's reporting zone.</param>
    /// <param name="calibrationEnd">The last date of the calibration period.</param>
    /// <param name="timeUnit">The unit of recency, age and the models' rates.</param>
    /// <param name="holdoutEnd">The last date of the holdout period, after <paramref name="calibrationEnd"/>; <see langword="null"/> for none.</param>
    /// <returns>The summary, one row per customer whose first purchase is on or before <paramref name="calibrationEnd"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purchases"/> or <paramref name="zone"/> is null.</exception>
    /// <exception cref="ArgumentException">A purchase is <c>default(PurchaseRecord)</c> (it has no customer); <paramref name="holdoutEnd"/> is not after <paramref name="calibrationEnd"/>; or <paramref name="timeUnit"/> is not a defined unit (an <see cref="System.ComponentModel.InvalidEnumArgumentException"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A customer's history spans more than 5,000 years.</exception>
    /// <exception cref="CurrencyMismatchException">A purchase value is not in <paramref name="currency"/>.</exception>
    /// <exception cref="OverflowException">A customer's spend exceeds the range of <see cref="decimal"/>.</exception>
    public static CustomerBaseSummary Create(
        IEnumerable<PurchaseRecord> purchases,
        Currency currency,
        DateTimeZone zone,
        LocalDate calibrationEnd,
        SummaryTimeUnit timeUnit,
        LocalDate? holdoutEnd = null)
    {
        Preconditions.NotNull(purchases);
        Preconditions.NotNull(zone);
        Preconditions.Defined(timeUnit);
        if (holdoutEnd is { } end)
        {
            Preconditions.Check(end > calibrationEnd, "The holdout period must end after the calibration period.", nameof(holdoutEnd));
        }

        var records = Materialise(purchases);
        var entries = ToEntries(records, currency, zone);
        entries.AsSpan().Sort(default(EntryOrder));

        var calibrationEndDay = calibrationEnd.ToDateOnly().DayNumber;
        var holdoutEndDay = holdoutEnd?.ToDateOnly().DayNumber ?? calibrationEndDay;
        var unitDays = (int)timeUnit;
        // One row per distinct customer at most (those first seen after the calibration end are dropped below).
        var distinct = entries.Length == 0 ? 0 : 1;
        for (var k = 1; k < entries.Length; k++)
        {
            distinct += entries[k].SameCustomer(entries[k - 1]) ? 0 : 1;
        }

        var customers = new CustomerSummary[distinct];
        var count = 0;
        var zero = Money.Zero(currency);

        var i = 0;
        while (i < entries.Length)
        {
            var customer = entries[i];
            var customerId = records[customer.Index].CustomerId;
            var firstDay = customer.Day;
            var frequency = 0;
            var lastDay = firstDay;
            var calibrationSpend = 0m;
            var repeatSpend = 0m;
            var holdoutTransactions = 0;
            var holdoutSpend = 0m;

            while (i < entries.Length && entries[i].SameCustomer(customer))
            {
                // One transaction per date: merge every purchase of the customer on this date.
                var day = entries[i].Day;
                var value = 0m;
                while (i < entries.Length && entries[i].Day == day && entries[i].SameCustomer(customer))
                {
                    value += records[entries[i].Index].Value.Amount;
                    i++;
                }

                if (day <= calibrationEndDay)
                {
                    calibrationSpend += value;
                    if (day != firstDay)
                    {
                        frequency++;
                        repeatSpend += value;
                        lastDay = day;
                    }
                }
                else if (day <= holdoutEndDay)
                {
                    holdoutTransactions++;
                    holdoutSpend += value;
                }
            }

            if (firstDay > calibrationEndDay)
            {
                continue;
            }

            var ageDays = calibrationEndDay - firstDay;
            if (ageDays > MaxHistoryDays)
            {
                throw new ArgumentOutOfRangeException(nameof(purchases), $"Customer {customerId} has a history of {ageDays} days; at most {MaxHistoryDays} are supported.");
            }

            customers[count++] = new CustomerSummary(
                customerId,
                frequency,
                lastDay - firstDay,
                ageDays,
                unitDays,
                LocalDate.FromDateOnly(DateOnly.FromDayNumber(firstDay)),
                new Money(calibrationSpend, currency),
                frequency == 0 ? zero : new Money(repeatSpend, currency),
                holdoutTransactions,
                holdoutTransactions == 0 ? zero : new Money(holdoutSpend, currency));
        }

        if (count < customers.Length)
        {
            Array.Resize(ref customers, count);
        }

        return new CustomerBaseSummary(customers, currency, zone, calibrationEnd, holdoutEnd, timeUnit);
    }

    /// <summary>Finds a customer's row, e.g. to look up one customer's predictions.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="customer">The row, when found.</param>
    /// <returns>Whether the customer is in the summary (a purchase on or before the calibration end).</returns>
    public bool TryFind(CustomerId customerId, out CustomerSummary customer)
    {
        int low = 0, high = _customers.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = _customers[middle].CustomerId.CompareTo(customerId);
            if (order == 0)
            {
                customer = _customers[middle];
                return true;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        customer = default;
        return false;
    }

    /// <summary>The customers in <see cref="CustomerId"/> order.</summary>
    /// <returns>An enumerator over the rows.</returns>
    public IEnumerator<CustomerSummary> GetEnumerator() => ((IEnumerable<CustomerSummary>)_customers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static ReadOnlySpan<PurchaseRecord> Materialise(IEnumerable<PurchaseRecord> purchases) => purchases switch
    {
        PurchaseRecord[] array => array,
        List<PurchaseRecord> list => CollectionsMarshal.AsSpan(list),
        _ => purchases.ToArray(),
    };

    private static Entry[] ToEntries(ReadOnlySpan<PurchaseRecord> records, Currency currency, DateTimeZone zone)
    {
        Span<byte> bytes = stackalloc byte[16];
        var entries = new Entry[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            ref readonly var purchase = ref records[i];
            if (purchase.CustomerId == default)
            {
                throw new ArgumentException($"The purchase at position {i} has no customer: it is default(PurchaseRecord).", "purchases");
            }

            if (purchase.Value.Currency != currency)
            {
                throw new CurrencyMismatchException(currency, purchase.Value.Currency);
            }

            // The GUID's big-endian bytes compare, as two unsigned integers, exactly as Guid.CompareTo orders GUIDs.
            purchase.CustomerId.Value.TryWriteBytes(bytes, bigEndian: true, out _);
            var day = purchase.OccurredAt.InZone(zone).Date.ToDateOnly().DayNumber;
            entries[i] = new Entry(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), day, i);
        }

        return entries;
    }

    /// <summary>A purchase's sort key — customer (as two integers in <see cref="CustomerId"/> order) and day — and its position.</summary>
    private readonly record struct Entry(ulong High, ulong Low, int Day, int Index)
    {
        public bool SameCustomer(Entry other) => High == other.High && Low == other.Low;
    }

    private readonly struct EntryOrder : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y)
        {
            if (x.High != y.High)
            {
                return x.High < y.High ? -1 : 1;
            }

            if (x.Low != y.Low)
            {
                return x.Low < y.Low ? -1 : 1;
            }

            return x.Day.CompareTo(y.Day);
        }
    }
}
