using CrmKernel.Relationships;
using CrmKernel.Touchpoints;

namespace CrmKernel.Services.Timeline;

/// <summary>A touchpoint on a timeline, with the relationship that brought it in when it belongs to a related party.</summary>
public sealed class TimelineEntry
{
    internal TimelineEntry(Touchpoint touchpoint, Relationship? via)
    {
        Touchpoint = touchpoint;
        Via = via;
    }

    /// <summary>The touchpoint.</summary>
    public Touchpoint Touchpoint { get; }

    /// <summary>The relationship linking the touchpoint's customer to the timeline's customer, or null for the customer's own touchpoints.</summary>
    public Relationship? Via { get; }
}
