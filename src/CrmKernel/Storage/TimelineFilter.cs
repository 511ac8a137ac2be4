using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage;

/// <summary>Which touchpoints a timeline shows: whose, when, and which channels, functions and kinds.</summary>
public sealed class TimelineFilter
{
    /// <summary>The most customers one timeline query spans.</summary>
    public const int MaxCustomers = 1_000;

    /// <summary>The most distinct channels, and the most distinct kinds, one filter names.</summary>
    public const int MaxFilterValues = 256;

    /// <summary>Creates a filter.</summary>
    /// <param name="customerIds">The customers whose touchpoints to show (1 to 1,000).</param>
    /// <param name="from">Only touchpoints that occurred at or after this instant; null for no lower bound.</param>
    /// <param name="to">Only touchpoints that occurred before this instant; null for no upper bound.</param>
    /// <param name="channels">Only these channels; null for all.</param>
    /// <param name="functions">Only these functions; null for all.</param>
    /// <param name="kinds">Only these kinds; null for all.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customerIds"/> is null.</exception>
    /// <exception cref="ArgumentException">No customers, a default id, an empty set, or <paramref name="to"/> before <paramref name="from"/>.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxCustomers"/> customers, or more than <see cref="MaxFilterValues"/> channels or kinds (<c>CRM-INPUT-001</c>).</exception>
    public TimelineFilter(
        IEnumerable<CustomerId> customerIds,
        NodaTime.Instant? from = null,
        NodaTime.Instant? to = null,
        IEnumerable<ChannelId>? channels = null,
        IEnumerable<CrmFunction>? functions = null,
        IEnumerable<TouchpointKind>? kinds = null)
    {
        Preconditions.NotNull(customerIds);
        var customers = customerIds.ToHashSet();
        Preconditions.MaxCount(customers.Count, MaxCustomers, "distinct customers", nameof(customerIds));
        Preconditions.Check(customers.Count is > 0 && !customers.Contains(default), $"A timeline spans 1 to {MaxCustomers} customers, none the default.", nameof(customerIds));
        Preconditions.Check(from is null || to is null || to >= from, "The end of the period cannot be before its start.", nameof(to));
        CustomerIds = customers;
        From = from;
        To = to;
        Channels = NonEmpty(channels, nameof(channels));
        Functions = NonEmpty(functions, nameof(functions));
        Kinds = NonEmpty(kinds, nameof(kinds));
    }

    /// <summary>The customers whose touchpoints to show.</summary>
    public IReadOnlySet<CustomerId> CustomerIds { get; }

    /// <summary>Inclusive lower bound of occurred-at, or null.</summary>
    public NodaTime.Instant? From { get; }

    /// <summary>Exclusive upper bound of occurred-at, or null.</summary>
    public NodaTime.Instant? To { get; }

    /// <summary>Channels to keep, or null for all.</summary>
    public IReadOnlySet<ChannelId>? Channels { get; }

    /// <summary>Functions to keep, or null for all.</summary>
    public IReadOnlySet<CrmFunction>? Functions { get; }

    /// <summary>Kinds to keep, or null for all.</summary>
    public IReadOnlySet<TouchpointKind>? Kinds { get; }

    /// <summary>True when <paramref name="touchpoint"/> passes every part of the filter; stores may use it or translate the filter to their query language.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    public bool Matches(Touchpoint touchpoint)
    {
        Preconditions.NotNull(touchpoint);
        return CustomerIds.Contains(touchpoint.CustomerId)
               && (From is null || touchpoint.OccurredAt >= From)
               && (To is null || touchpoint.OccurredAt < To)
               && (Channels is null || Channels.Contains(touchpoint.Channel))
               && (Functions is null || Functions.Contains(touchpoint.Function))
               && (Kinds is null || Kinds.Contains(touchpoint.Kind));
    }

    /// <summary>A copy of this filter for other customers.</summary>
    internal TimelineFilter WithCustomers(IEnumerable<CustomerId> customerIds) => new(customerIds, From, To, Channels, Functions, Kinds);

    private static HashSet<T>? NonEmpty<T>(IEnumerable<T>? values, string parameterName)
    {
        if (values is null)
        {
            return null;
        }

        var set = values.ToHashSet();
        Preconditions.MaxCount(set.Count, MaxFilterValues, "distinct values", parameterName);
        Preconditions.Check(set.Count > 0 && !set.Contains(default!), "A filter set, when given, must hold at least one non-default value.", parameterName);
        return set;
    }
}
