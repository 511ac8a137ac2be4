using CrmKernel.Channels;
using CrmKernel.Services.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Observability;

public sealed class ContactPolicyOptionsTests
{
    [Fact]
    public void UseContactPolicy_WithOptions_BuildsThePolicyTheDispatcherUses()
    {
        using var provider = Provider(o =>
        {
            o.DefaultTimeZone = "Europe/Berlin";
            o.QuietHoursStart = "20:30";
            o.QuietHoursEnd = "07:00";
            o.FrequencyCaps.Add(new FrequencyCapOptions { Channel = "email", MaxContacts = 3, Window = TimeSpan.FromDays(7) });
        });
        provider.GetRequiredService<IStartupValidator>().Validate();

        var policy = provider.GetRequiredService<ContactPolicy>();

        Assert.Equal("Europe/Berlin", policy.DefaultTimeZone.Id);
        Assert.Equal(new LocalTime(20, 30), policy.QuietHours!.Start);
        Assert.Equal(new LocalTime(7, 0), policy.QuietHours.End);
        var cap = Assert.Single(policy.FrequencyCaps).Value;
        Assert.Equal((3, Duration.FromDays(7)), (cap.MaxContacts, cap.Window));
        Assert.Same(policy, provider.GetRequiredService<ChannelDispatcher>() is { } ? provider.GetRequiredService<ContactPolicy>() : null);
    }

    [Fact]
    public void UseContactPolicy_WithoutQuietHours_HasNone()
    {
        using var provider = Provider(o => (o.QuietHoursStart, o.QuietHoursEnd) = (null, null));
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Null(provider.GetRequiredService<ContactPolicy>().QuietHours);
    }

    [Theory]
    [InlineData("DefaultTimeZone", "Mars/Olympus_Mons", "21:00", "08:00")]
    [InlineData("QuietHoursStart", "UTC", "9pm", "08:00")]
    [InlineData("QuietHoursEnd", "UTC", "21:00", "25:00")]
    [InlineData("QuietHoursEnd", "UTC", "21:00", null)]
    [InlineData("QuietHoursEnd", "UTC", "08:00", "08:00")]
    public void BadSettings_FailAtStart_WithAMessageNamingTheSetting(string setting, string zone, string? start, string? end)
    {
        using var provider = Provider(o => (o.DefaultTimeZone, o.QuietHoursStart, o.QuietHoursEnd) = (zone, start, end));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"ContactPolicyOptions.{setting}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFrequencyCaps_FailAtStart_NamingEachCapAndSetting()
    {
        using var provider = Provider(o =>
        {
            o.FrequencyCaps.Add(new FrequencyCapOptions { Channel = "email", MaxContacts = 0, Window = TimeSpan.FromDays(1) });
            o.FrequencyCaps.Add(new FrequencyCapOptions { Channel = "email", MaxContacts = 1, Window = TimeSpan.FromDays(400) });
            o.FrequencyCaps.Add(new FrequencyCapOptions { Channel = "not a channel!", MaxContacts = 1, Window = TimeSpan.FromDays(1) });
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ContactPolicyOptions.FrequencyCaps[0].MaxContacts", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContactPolicyOptions.FrequencyCaps[1].Channel", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContactPolicyOptions.FrequencyCaps[1].Window", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContactPolicyOptions.FrequencyCaps[2].Channel", error.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ContactPolicy>());
    }

    [Fact]
    public void ToPolicy_OfBadSettings_ThrowsNamingThem()
    {
        var options = new ContactPolicyOptions { DefaultTimeZone = "Nowhere/Atlantis" };
        var error = Assert.Throws<ArgumentException>(() => options.ToPolicy(DateTimeZoneProviders.Tzdb));
        Assert.Contains("ContactPolicyOptions.DefaultTimeZone", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Action<ContactPolicyOptions> configure)
        => new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().AddChannel(new Testing.Channels.RecordingChannel()).UseContactPolicy(configure))
            .BuildServiceProvider();
}
