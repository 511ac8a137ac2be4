namespace CrmKernel.Services.Channels;

/// <summary>Why a dispatch was refused.</summary>
public enum DispatchRefusal
{
    /// <summary>The tenant has no customer with the id.</summary>
    CustomerNotFound = 1,

    /// <summary>The customer has no contact point of the channel's kind, or not the one asked for.</summary>
    NoContactPoint = 2,

    /// <summary>The consent ledger refuses: a declined or withdrawn entry applies.</summary>
    ConsentRefused = 3,

    /// <summary>The consent ledger has no grant or lawful basis for the purpose, channel and contact point.</summary>
    NoLawfulBasis = 4,

    /// <summary>It is within quiet hours in the customer's time zone.</summary>
    QuietHours = 5,

    /// <summary>The customer already received the most messages the channel's frequency cap allows.</summary>
    FrequencyCap = 6,
}
