using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// A span of a case's life in one status, read from its history: e.g. a pause of the resolution clock (waiting on the
/// customer) or a stretch of handling (in progress). <see cref="End"/> is null while the case is still in that status.
/// </summary>
/// <param name="Start">When the case entered the status.</param>
/// <param name="End">When it left it; null while it is still there.</param>
public readonly record struct CaseInterval(Instant Start, Instant? End);
