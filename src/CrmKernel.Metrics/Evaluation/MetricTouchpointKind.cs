using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>The kinds of touchpoint the standard catalogue tells apart; every other kind is <see cref="Other"/>.</summary>
public enum MetricTouchpointKind : byte
{
    /// <summary>Any kind the catalogue does not count separately.</summary>
    Other = 0,

    /// <summary><see cref="TouchpointKind.Purchase"/>.</summary>
    Purchase = 1,

    /// <summary><see cref="TouchpointKind.Enquiry"/>.</summary>
    Enquiry = 2,

    /// <summary><see cref="TouchpointKind.Complaint"/>.</summary>
    Complaint = 3,

    /// <summary><see cref="TouchpointKind.Resolution"/>.</summary>
    Resolution = 4,

    /// <summary><see cref="TouchpointKind.CampaignContact"/>.</summary>
    CampaignContact = 5,

    /// <summary><see cref="TouchpointKind.Response"/>.</summary>
    Response = 6,
}
