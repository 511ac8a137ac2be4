using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage;

/// <summary>
/// Turns the text a database keeps for a touchpoint's channel, kind, outcome and currency back into values, for an
/// adapter whose <see cref="ITouchpointScanStore.StreamRowsByCustomerAsync"/> builds <see cref="TouchpointScanRow"/>s from
/// columns instead of whole touchpoints. Each distinct text is parsed and checked once per instance, so a scan of millions
/// of rows over a few dozen channels and kinds pays the parsing a few dozen times. Use one instance per scan (it is not
/// thread-safe); a text that is not a value in its normalised form is refused, so the adapter can throw
/// <see cref="Diagnostics.InvalidStoredStateException"/> naming its table and row.
/// </summary>
public sealed class TouchpointScanText
{
    private readonly Dictionary<string, ChannelId> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TouchpointKind> _kinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TouchpointOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Currency> _currencies = new(StringComparer.Ordinal);

    /// <summary>Reads a channel id stored as its <see cref="ChannelId.Value"/>.</summary>
    /// <param name="text">The stored text.</param>
    /// <param name="channel">The channel, when the text is one in normalised form.</param>
    /// <returns>False when the text is not a channel id exactly as <see cref="ChannelId.Value"/> writes it.</returns>
    public bool TryChannel(string? text, out ChannelId channel)
        => TryCached(_channels, text, static t => ChannelId.TryParse(t, out var c) && c.Value == t ? c : null, out channel);

    /// <summary>Reads a touchpoint kind stored as its <see cref="TouchpointKind.Value"/>.</summary>
    /// <param name="text">The stored text.</param>
    /// <param name="kind">The kind, when the text is one in normalised form.</param>
    /// <returns>False when the text is not a kind exactly as <see cref="TouchpointKind.Value"/> writes it.</returns>
    public bool TryKind(string? text, out TouchpointKind kind)
        => TryCached(_kinds, text, static t => Slug(t, static s => new TouchpointKind(s), static k => k.Value), out kind);

    /// <summary>Reads a touchpoint outcome stored as its <see cref="TouchpointOutcome.Value"/>.</summary>
    /// <param name="text">The stored text.</param>
    /// <param name="outcome">The outcome, when the text is one in normalised form.</param>
    /// <returns>False when the text is not an outcome exactly as <see cref="TouchpointOutcome.Value"/> writes it.</returns>
    public bool TryOutcome(string? text, out TouchpointOutcome outcome)
        => TryCached(_outcomes, text, static t => Slug(t, static s => new TouchpointOutcome(s), static o => o.Value), out outcome);

    /// <summary>Reads a currency stored as its upper-case ISO 4217 <see cref="Currency.Code"/>.</summary>
    /// <param name="code">The stored code.</param>
    /// <param name="currency">The currency, when the code is a known one in upper case.</param>
    /// <returns>False when the text is not a known upper-case ISO 4217 code.</returns>
    public bool TryCurrency(string? code, out Currency currency)
        => TryCached(_currencies, code, static c => Currency.TryFromCode(c, out var found) && found.Code == c ? found : null, out currency);

    private static bool TryCached<T>(Dictionary<string, T> cache, string? text, Func<string, T?> parse, out T value)
        where T : struct
    {
        if (text is null)
        {
            value = default;
            return false;
        }

        if (cache.TryGetValue(text, out value))
        {
            return true;
        }

        if (parse(text) is not { } parsed)
        {
            return false;
        }

        cache.Add(text, parsed);
        value = parsed;
        return true;
    }

    private static T? Slug<T>(string text, Func<string, T> create, Func<T, string> normalised)
        where T : struct
    {
        try
        {
            var value = create(text);
            return normalised(value) == text ? value : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
