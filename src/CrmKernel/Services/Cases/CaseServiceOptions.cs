using NodaTime;

namespace CrmKernel.Services.Cases;

/// <summary>
/// Settings of <see cref="CaseService"/>. Register your own instance before <c>AddCrmKernel</c> (or replace it) to
/// change them; the defaults suit most service desks.
/// </summary>
public sealed class CaseServiceOptions
{
    /// <summary>
    /// How long after its resolution a case can be reopened: 7 days by default (the window of first-contact resolution
    /// in METRICS.md). A reopen exactly at the end is allowed; after it the case can only be closed.
    /// </summary>
    public Duration ReopenWindow { get; init; } = Duration.FromDays(7);
}
