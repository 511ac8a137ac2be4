namespace CrmKernel.Identity;

/// <summary>
/// Builds the blocking keys of a customer: customers that share a key are compared, the rest never are. Implement it
/// to block on something of your own (e.g. a loyalty card number held in an external id) and add it to the options'
/// key builders. Keys must depend only on the record (the same record always gives the same keys), should be
/// selective (a key most customers share makes a block that is skipped), and should not allocate per call.
/// </summary>
public interface IMatchKeyBuilder
{
    /// <summary>Adds the record's keys to <paramref name="keys"/> (none when it lacks the fields); a key added twice counts once.</summary>
    /// <param name="record">The customer.</param>
    /// <param name="keys">The list to add to (it may already hold keys of other builders).</param>
    void AddKeys(MatchRecord record, ICollection<MatchKey> keys);
}
