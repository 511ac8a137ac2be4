using CrmKernel.Channels;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Xunit;

namespace CrmKernel.Samples.Channels.Webhook.Tests;

/// <summary>The webhook channel registered through the options pattern: validated at start-up, naming the bad setting.</summary>
public sealed class WebhookOptionsTests
{
    [Fact]
    public void AddWebhookChannel_WithOptions_ValidatesOnStart_NamingTheBadSetting()
    {
        using var provider = new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().AddWebhookChannel(o =>
            {
                o.Endpoint = new Uri("ftp://files.example/");
                o.CostPerContact = Money.Of(0m, "EUR");
            }))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("WebhookChannelOptions.Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWebhookChannel_WithOptions_RegistersTheChannelTheDispatcherSendsThrough()
    {
        using var provider = new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().UseContactPolicy(new ContactPolicy(DateTimeZone.Utc)).AddWebhookChannel(o =>
            {
                o.Endpoint = new Uri("https://notify.example/crm");
                o.CostPerContact = Money.Of(0.002m, "EUR");
                o.Channel = new("notify");
            }))
            .BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var channel = Assert.Single(provider.GetRequiredService<ChannelDispatcher>().Channels);

        Assert.Equal("notify", channel.Id.Value);
        Assert.Equal(Money.Of(0.002m, "EUR"), channel.CostPerContact);
    }
}
