using Microsoft.Extensions.Options;

namespace CrmKernel.Samples.Channels.Webhook;

/// <summary>Checks <see cref="WebhookChannelOptions"/> at start-up with the options' own <see cref="WebhookChannelOptions.Validate"/>, naming the bad setting.</summary>
internal sealed class WebhookChannelOptionsValidator : IValidateOptions<WebhookChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookChannelOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{nameof(WebhookChannelOptions)}.{e.ParamName}: {e.Message}");
        }
    }
}
