using CrmKernel.Samples.Channels.Webhook;

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
}
