using CrmKernel.Privacy;

namespace CrmKernel.Services.Privacy;

/// <summary>
/// A part of the host (or a later kernel feature, such as idea votes to withdraw) that holds a customer's data outside
/// the erasure store and must erase it too. Register implementations in the service collection; the
/// <see cref="ErasureService"/> calls every one after the store committed the erasure, and again on every repeated
/// erasure of the same customer, so an implementation must be idempotent: if one fails, the erasure is committed and
/// running it again completes the participants.
/// </summary>
public interface IErasureParticipant
{
    /// <summary>Erases what this participant holds about <see cref="ErasureRecord.CustomerId"/>.</summary>
    /// <param name="record">The committed erasure.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    ValueTask EraseAsync(ErasureRecord record, CancellationToken cancellationToken);
}
