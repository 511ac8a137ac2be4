namespace CrmKernel.Innovation;

/// <summary>What a customer's voice record is: an idea (which becomes an <see cref="Idea"/> the company considers) or feedback.</summary>
public enum VoiceKind
{
    /// <summary>A suggestion; ingesting it submits an <see cref="Idea"/>.</summary>
    Idea = 1,

    /// <summary>An opinion or remark on the subject area (or on an idea), kept as a record.</summary>
    Feedback = 2,
}
