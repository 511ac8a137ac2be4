using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Channels;

/// <summary>
/// The audience the dispatch benchmarks send a campaign to, and the two ways they send it: customers with one primary
/// e-mail address and marketing consent on the channel, imported through the repository; a direct adapter call per
/// customer (the baseline) or a <see cref="ChannelDispatcher"/> campaign.
/// </summary>
internal sealed class CampaignAudience
{
    public static readonly TenantId Tenant = new("bench");

    public static readonly MessageContent Content = new("Spring offers.", "Spring");

    private CampaignAudience(List<Customer> customers)
    {
        Customers = customers;
        Ids = [.. customers.Select(c => c.Id)];
        Addresses = [.. customers.Select(c => (EmailAddress)c.ContactPoints[0].Value)];
    }

    public IReadOnlyList<Customer> Customers { get; }

    public CustomerId[] Ids { get; }

    public EmailAddress[] Addresses { get; }

    /// <summary>Registers <paramref name="count"/> customers (in <paramref name="homeZone"/> when given) and imports them.</summary>
    public static CampaignAudience Import(CustomerRepository repository, IClock clock, ChannelId channel, int count, DateTimeZone? homeZone = null)
    {
        var customers = new List<Customer>(count);
        for (var i = 0; i < count; i++)
        {
            var customer = Customer.Register(Tenant, new PersonProfile("Ada", $"L{i}"), clock);
            var address = EmailAddress.Parse($"c{i}@example.com");
            customer.AddContactPoint(address);
            if (homeZone is not null)
            {
                customer.ChangeHomeTimeZone(homeZone);
            }

            customer.GrantConsent(ConsentPurpose.Marketing, channel, address, "web-form");
            customers.Add(customer);
        }

        repository.ImportAsync(Tenant, customers).AsTask().GetAwaiter().GetResult();
        return new CampaignAudience(customers);
    }

    /// <summary>The baseline: one message built and handed to the adapter per customer, no checks, no records.</summary>
    public async Task<int> SendDirectAsync(IChannelAdapter adapter, ChannelId channel, string campaign, string? campaignId)
    {
        var sent = 0;
        for (var i = 0; i < Ids.Length; i++)
        {
            var message = new OutboundMessage(Tenant, Ids[i], channel, Addresses[i], ConsentPurpose.Marketing, CrmFunction.Marketing, Content, $"{campaign}/{Ids[i]}", campaignId);
            sent += (await adapter.SendAsync(message, CancellationToken.None)).IsDelivered ? 1 : 0;
        }

        return sent;
    }

    /// <summary>The campaign through <paramref name="dispatcher"/>; returns how many messages were sent.</summary>
    public async Task<int> SendCampaignAsync(ChannelDispatcher dispatcher, ChannelId channel, string campaign)
    {
        var sent = 0;
        await foreach (var result in dispatcher.SendCampaignAsync(Tenant, campaign, channel, ConsentPurpose.Marketing, Content, Ids))
        {
            sent += result.Outcome == DispatchOutcome.Sent ? 1 : 0;
        }

        return sent;
    }
}
