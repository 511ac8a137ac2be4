using NodaTime;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// One bucket of the time-to-first-purchase distribution: the conversions whose time from the journey's first
/// communication to the first purchase lies in [<see cref="From"/>, <see cref="To"/>). In a cell the conversions are
/// credit-weighted (a fraction under a shared attribution), in a group they are whole customers.
/// </summary>
/// <param name="From">The bucket's lower bound (inclusive).</param>
/// <param name="To">The bucket's upper bound (exclusive); null for the open last bucket.</param>
/// <param name="Conversions">The conversions in the bucket.</param>
public readonly record struct AcquisitionTimeBucket(Duration From, Duration? To, decimal Conversions);
