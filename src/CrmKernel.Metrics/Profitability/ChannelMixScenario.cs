using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// A what-if for <see cref="ChannelProfitabilityReport"/>: the same customers' contacts, some moved to other channels
/// (<see cref="Moves"/>), re-priced at per-channel rates (<see cref="Rates"/>, or the report's own cost model). It answers
/// "which customers unprofitable under the mix they use would be profitable under this one".
/// </summary>
/// <remarks>
/// Moves apply to the contacts as counted, not one after another: every move takes its share of the original count, and the
/// shares that apply to any one channel and function add up to at most 1. Moved contacts are fractional (0.8 of 5 calls is
/// 4 web chats). Recorded touchpoint costs and revenue are facts and stay as they are; only the modelled per-contact cost
/// changes, so a scenario that moves nothing and keeps the report's rates leaves every margin unchanged.
/// </remarks>
public sealed class ChannelMixScenario
{
    /// <summary>The longest name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The most moves one scenario holds.</summary>
    public const int MaxMoves = 64;

    /// <summary>Creates a scenario.</summary>
    /// <param name="name">A name for people, e.g. "service to web chat"; 1 to <see cref="MaxNameLength"/> characters.</param>
    /// <param name="moves">The moves, up to <see cref="MaxMoves"/>; may be empty (then only the rates change).</param>
    /// <param name="rates">The per-channel rates under the scenario; null for the report's cost model.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="moves"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is blank, a move is null, or the shares moved off one channel and function add up to more than 1.</exception>
    /// <exception cref="InputLimitExceededException">The name is too long or there are more than <see cref="MaxMoves"/> moves (<c>CRM-INPUT-001</c>).</exception>
    public ChannelMixScenario(string name, IEnumerable<ChannelMove> moves, ChannelCostModel? rates = null)
    {
        Preconditions.NotNull(name);
        Name = Preconditions.MaxLength(Preconditions.NotBlank(name.Trim(), nameof(name)), MaxNameLength, nameof(name));
        Preconditions.NotNull(moves);
        var list = moves.ToList();
        Preconditions.MaxCount(list.Count, MaxMoves, "moves", nameof(moves));
        Preconditions.Check(list.TrueForAll(m => m is not null), "The moves hold null.", nameof(moves));
        foreach (var from in list.Select(m => m.From).Distinct())
        {
            foreach (var function in Enum.GetValues<CrmFunction>())
            {
                var total = list.Where(m => m.AppliesTo(from, function)).Sum(m => m.Share);
                Preconditions.Check(total <= 1m, $"The moves take {total} of the {function} contacts on channel '{from}'; at most all of them can move.", nameof(moves));
            }
        }

        Moves = list;
        Rates = rates;
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The moves, in the order given.</summary>
    public IReadOnlyList<ChannelMove> Moves { get; }

    /// <summary>The rates under the scenario, or null for the report's cost model.</summary>
    public ChannelCostModel? Rates { get; }

    /// <summary>The name and the number of moves.</summary>
    public override string ToString() => $"{Name} ({Moves.Count} moves)";
}
