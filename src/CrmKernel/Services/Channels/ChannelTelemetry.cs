using System.Diagnostics;
using System.Diagnostics.Metrics;
using CrmKernel.Channels;
using CrmKernel.Diagnostics;

namespace CrmKernel.Services.Channels;

/// <summary>The dispatcher's instrument, on the kernel's <c>CrmKernel</c> meter.</summary>
internal static class ChannelTelemetry
{
    /// <summary>The instrument's name.</summary>
    public const string DispatchesName = "crmkernel.channels.dispatches";

    /// <summary>Every dispatch, tagged with its channel, outcome and (for refusals) the rule that refused it.</summary>
    public static readonly Counter<long> Dispatches = CrmTelemetry.Meter.CreateCounter<long>(
        DispatchesName, "{message}", "Messages the channel dispatcher handled, by channel, outcome and refusal.");

    public static void Record(DispatchRequest request, DispatchResult result)
    {
        if (!Dispatches.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "channel", request.Channel.Value },
            { "outcome", result.Outcome.ToString() },
        };
        if (result.Refusal is { } refusal)
        {
            tags.Add("refusal", refusal.ToString());
        }

        Dispatches.Add(1, tags);
    }
}
