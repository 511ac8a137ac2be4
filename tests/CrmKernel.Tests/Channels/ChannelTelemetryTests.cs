using System.Diagnostics.Metrics;
using CrmKernel.Services.Channels;
using Xunit;
using static CrmKernel.Tests.Channels.DispatchHarness;

namespace CrmKernel.Tests.Channels;

public sealed class ChannelTelemetryTests
{
    [Fact]
    public async Task EveryDispatch_IsCounted_WithChannelOutcomeAndRefusal()
    {
        var seen = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "CrmKernel" && instrument.Name == "crmkernel.channels.dispatches")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (seen)
            {
                seen.Add((value, copy));
            }
        });
        listener.Start();

        await using var h = new DispatchHarness();
        var granted = await h.CustomerAsync("a@example.com", consent: GrantMarketing);
        var never = await h.CustomerAsync("b@example.com");
        await h.Dispatcher.DispatchAsync(Tenant, h.Request(granted, "telemetry-1"));
        await h.Dispatcher.DispatchAsync(Tenant, h.Request(never, "telemetry-2"));

        List<(long Value, Dictionary<string, object?> Tags)> mine;
        lock (seen)
        {
            mine = [.. seen.Where(s => Equals(s.Tags.GetValueOrDefault("channel"), Email.Value))];
        }

        Assert.Contains(mine, s => s.Value == 1 && Equals(s.Tags["outcome"], nameof(DispatchOutcome.Sent)) && !s.Tags.ContainsKey("refusal"));
        Assert.Contains(mine, s => s.Value == 1 && Equals(s.Tags["outcome"], nameof(DispatchOutcome.Refused)) && Equals(s.Tags["refusal"], nameof(DispatchRefusal.NoLawfulBasis)));
    }
}
