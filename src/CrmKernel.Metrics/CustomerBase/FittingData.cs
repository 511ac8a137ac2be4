namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The calibration histories of a summary grouped by identical (x, tₓ, T), each with its number of customers, so that a
/// likelihood costs one term per distinct history rather than per customer. Durations are whole days; the unit
/// converts them to the model's time unit.
/// </summary>
internal sealed class HistoryGroups
{
    private HistoryGroups(int[] frequency, int[] recencyDays, int[] ageDays, double[] weight, int customers, double unitDays)
    {
        Frequency = frequency;
        RecencyDays = recencyDays;
        AgeDays = ageDays;
        Weight = weight;
        Customers = customers;
        UnitDays = unitDays;
        foreach (var x in frequency)
        {
            MaxFrequency = Math.Max(MaxFrequency, x);
        }

        foreach (var days in ageDays)
        {
            MaxDays = Math.Max(MaxDays, days);
        }
    }

    public int[] Frequency { get; }

    public int[] RecencyDays { get; }

    public int[] AgeDays { get; }

    /// <summary>The number of customers with the history.</summary>
    public double[] Weight { get; }

    public int Count => Frequency.Length;

    public int Customers { get; }

    public int MaxFrequency { get; }

    /// <summary>The largest T in days; every tₓ is at most this.</summary>
    public int MaxDays { get; }

    /// <summary>Days per model time unit.</summary>
    public double UnitDays { get; }

    /// <summary>Σx, the repeat transactions of every customer.</summary>
    public double Transactions
    {
        get
        {
            var total = 0d;
            for (var i = 0; i < Count; i++)
            {
                total += Weight[i] * Frequency[i];
            }

            return total;
        }
    }

    /// <summary>ΣT / Σx in the model's unit (1 without repeat purchases): a starting value for α that matches the observed repeat rate when r = 1.</summary>
    public double RepeatRateInverse()
    {
        double transactions = 0d, exposure = 0d;
        for (var i = 0; i < Count; i++)
        {
            transactions += Weight[i] * Frequency[i];
            exposure += Weight[i] * AgeDays[i] / UnitDays;
        }

        return transactions > 0d && exposure > 0d ? exposure / transactions : 1d;
    }

    /// <summary>
    /// Groups histories given as (x, tₓ, T) in steps of 1/<paramref name="stepsPerUnit"/> of the time unit (e.g. a
    /// published summary rounded to hundredths of a week: 100 steps per week), each step standing where a day does.
    /// </summary>
    public static HistoryGroups FromSteps(IEnumerable<(int Frequency, int RecencySteps, int AgeSteps)> histories, double stepsPerUnit)
    {
        var index = new Dictionary<(int, int, int), int>();
        var frequency = new List<int>();
        var recency = new List<int>();
        var age = new List<int>();
        var weight = new List<double>();
        var customers = 0;
        foreach (var history in histories)
        {
            customers++;
            if (index.TryGetValue(history, out var group))
            {
                weight[group]++;
                continue;
            }

            index.Add(history, weight.Count);
            frequency.Add(history.Frequency);
            recency.Add(history.RecencySteps);
            age.Add(history.AgeSteps);
            weight.Add(1d);
        }

        return new HistoryGroups([.. frequency], [.. recency], [.. age], [.. weight], customers, stepsPerUnit);
    }

    /// <summary>
    /// Groups every customer of <paramref name="summary"/>, in order of first appearance; fills
    /// <paramref name="groupOfCustomer"/>, when given, with each customer's group.
    /// </summary>
    public static HistoryGroups From(CustomerBaseSummary summary, Span<int> groupOfCustomer = default)
    {
        var customers = summary.Customers;
        var index = new Dictionary<long, int>(Math.Min(customers.Length, 1 << 16));
        var frequency = new List<int>();
        var recency = new List<int>();
        var age = new List<int>();
        var weight = new List<double>();
        for (var c = 0; c < customers.Length; c++)
        {
            ref readonly var customer = ref customers[c];

            // 21 bits each: x ≤ tₓ ≤ T ≤ CustomerBaseSummary.MaxHistoryDays.
            var key = ((long)customer.Frequency << 42) | ((long)customer.RecencyDays << 21) | (long)customer.AgeDays;
            if (index.TryGetValue(key, out var group))
            {
                weight[group]++;
            }
            else
            {
                group = weight.Count;
                index.Add(key, group);
                frequency.Add(customer.Frequency);
                recency.Add(customer.RecencyDays);
                age.Add(customer.AgeDays);
                weight.Add(1d);
            }

            if (!groupOfCustomer.IsEmpty)
            {
                groupOfCustomer[c] = group;
            }
        }

        return new HistoryGroups([.. frequency], [.. recency], [.. age], [.. weight], customers.Length, (int)summary.TimeUnit);
    }
}

/// <summary>
/// The repeat buyers of a summary (x ≥ 1 with a positive mean repeat spend) grouped by identical (x, z̄), for the
/// Gamma-Gamma likelihood.
/// </summary>
internal sealed class SpendGroups
{
    private SpendGroups(int[] frequency, double[] meanSpend, double[] weight, int customers)
    {
        Frequency = frequency;
        MeanSpend = meanSpend;
        Weight = weight;
        Customers = customers;
        foreach (var x in frequency)
        {
            MaxFrequency = Math.Max(MaxFrequency, x);
        }
    }

    public int[] Frequency { get; }

    public double[] MeanSpend { get; }

    public double[] Weight { get; }

    public int Count => Frequency.Length;

    public int Customers { get; }

    public int MaxFrequency { get; }

    public static SpendGroups From(CustomerBaseSummary summary)
    {
        var index = new Dictionary<(int, double), int>();
        var frequency = new List<int>();
        var meanSpend = new List<double>();
        var weight = new List<double>();
        var customers = 0;
        foreach (ref readonly var customer in summary.Customers)
        {
            var spend = customer.MeanRepeatSpendValue;
            if (customer.Frequency == 0 || !(spend > 0d))
            {
                continue;
            }

            customers++;
            if (index.TryGetValue((customer.Frequency, spend), out var group))
            {
                weight[group]++;
            }
            else
            {
                index.Add((customer.Frequency, spend), weight.Count);
                frequency.Add(customer.Frequency);
                meanSpend.Add(spend);
                weight.Add(1d);
            }
        }

        return new SpendGroups([.. frequency], [.. meanSpend], [.. weight], customers);
    }
}
