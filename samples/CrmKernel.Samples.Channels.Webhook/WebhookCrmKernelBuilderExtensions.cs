using CrmKernel.Samples.Channels.Webhook;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CrmKernel;

/// <summary>Adds the webhook channel to CrmKernel's builder: <c>services.AddCrmKernel(b => b.AddWebhookChannel(options))</c>.</summary>
public static class WebhookCrmKernelBuilderExtensions
{
    /// <summary>
    /// Validates <paramref name="options"/> now and registers a <see cref="WebhookChannel"/> built from them, with the
    /// channel dispatcher (see <see cref="CrmKernelBuilder.AddChannel(Channels.IChannelAdapter)"/>). The channel lives as
    /// long as the application and keeps one connection pool.
    /// </summary>
    /// <param name="builder">The kernel's builder.</param>
    /// <param name="options">The channel's settings.</param>
    /// <returns>The builder, for further configuration.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the parameter name says which.</exception>
    public static CrmKernelBuilder AddWebhookChannel(this CrmKernelBuilder builder, WebhookChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.AddChannel(new WebhookChannel(options));
    }

    /// <summary>
    /// Registers a <see cref="WebhookChannel"/> configured through the options pattern — settings set in
    /// <paramref name="configure"/> on top of any bound from configuration
    /// (<c>services.Configure&lt;WebhookChannelOptions&gt;(section)</c>) — with the channel dispatcher. The settings are
    /// validated when the host starts (<c>ValidateOnStart</c>): a bad one fails start-up with an
    /// <see cref="OptionsValidationException"/> naming it. Without a host, resolving the channel validates them.
    /// </summary>
    /// <param name="builder">The kernel's builder.</param>
    /// <param name="configure">Sets the options; <c>_ =&gt; { }</c> when they come from configuration only.</param>
    /// <returns>The builder, for further configuration.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CrmKernelBuilder AddWebhookChannel(this CrmKernelBuilder builder, Action<WebhookChannelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<WebhookChannelOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookChannelOptions>, WebhookChannelOptionsValidator>());
        return builder.AddChannel<WebhookChannel>();
    }
}
