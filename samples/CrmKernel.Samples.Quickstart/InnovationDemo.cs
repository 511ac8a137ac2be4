using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Innovation;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's innovation part, in a tenant of its own: Ada's idea arrives from the idea portal (re-delivered, and
/// recorded once), Bob votes, Cleo comments, the company moves it through the workflow to Shipped, and closes the loop —
/// Ada and Bob consented to be told, Cleo did not. Customers are found by their email address and the idea by its source
/// key, each step is done only when the idea is not past it, and the loop's dispatch keys make telling anyone twice
/// impossible, so a re-run prints the same.
/// </summary>
internal static class InnovationDemo
{
    private static readonly Instant SubmittedAt = Instant.FromUtc(2026, 3, 2, 9, 30);

    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-ideas");
        var clock = services.GetRequiredService<IClock>();
        var customers = services.GetRequiredService<CustomerRepository>();
        var store = services.GetRequiredService<ICustomerStore>();
        var ingestion = services.GetRequiredService<TouchpointIngestion>();
        var channel = new SilentEmail();
        var dispatcher = new ChannelDispatcher([channel], customers, ingestion, services.GetRequiredService<ITouchpointStore>(), services.GetRequiredService<IPendingDispatchStore>(), new ContactPolicy(DateTimeZone.Utc), clock);
        var innovation = new InnovationService(services.GetRequiredService<IIdeaStore>(), customers, ingestion, clock, dispatcher);
        var names = new Dictionary<CustomerId, string>();
        var ada = await CustomerAsync("Ada", tellMe: true);
        var bob = await CustomerAsync("Bob", tellMe: true);
        var cleo = await CustomerAsync("Cleo", tellMe: false);

        var submission = new NewCustomerVoice
        {
            CustomerId = ada,
            Kind = VoiceKind.Idea,
            Subject = SubjectArea.Website,
            Channel = new ChannelId("web"),
            OccurredAt = SubmittedAt,
            Source = new ExternalIdentifier("idea-portal", "dark-mode-1"),
            Title = "Dark mode for the shop",
        };
        var voice = await innovation.IngestAsync(tenant, submission);
        var redelivered = await innovation.IngestAsync(tenant, submission);
        var ideaId = voice.Idea!.Value;
        Console.WriteLine($"\n== Innovation: Ada's idea \"{voice.Title}\" ({voice.Subject}), received via {voice.Channel}; re-delivered: {(redelivered.Id == voice.Id ? "recorded once" : "recorded twice")}");

        var idea = (await innovation.FindAsync(tenant, ideaId))!;
        if (!idea.IsClosed)
        {
            await innovation.VoteAsync(tenant, ideaId, bob, IdeaVoteValue.For);
            if (!idea.Comments.Any(c => c.Author == cleo))
            {
                await innovation.CommentAsync(tenant, ideaId, cleo, "Yes please, for night shifts.");
            }
        }

        (IdeaStatus To, string Reason)[] path = [(IdeaStatus.UnderReview, "triage"), (IdeaStatus.Planned, "on the roadmap"), (IdeaStatus.InProgress, "sprint 12"), (IdeaStatus.Shipped, "release 2.1")];
        foreach (var (to, reason) in path)
        {
            if (Idea.CanMove(idea.Status, to))
            {
                idea = await innovation.MoveAsync(tenant, ideaId, to, reason);
            }
        }

        Console.WriteLine($"    {idea.Status}: {string.Join(" → ", idea.History.Select(c => $"{c.To} ({c.Reason})"))}");
        Console.WriteLine($"    votes for: {(await services.GetRequiredService<IIdeaStore>().PageVotesAsync(tenant, ideaId, null, 100, default)).Count(v => v.Value == IdeaVoteValue.For)}, comments: {idea.Comments.Count}");

        var told = new List<(string Name, string Outcome)>();
        var content = new MessageContent("Dark mode shipped in release 2.1. Thank you for taking part!", "Your idea shipped");
        await foreach (var result in innovation.CloseTheLoopAsync(tenant, ideaId, channel.Descriptor.Id, ConsentPurpose.Feedback, content))
        {
            told.Add((names[result.CustomerId], result.Outcome is DispatchOutcome.Sent or DispatchOutcome.AlreadySent ? "told once" : $"not told ({result.Refusal})"));
        }

        foreach (var (name, outcome) in told.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {name,-5} {outcome}");
        }

        async Task<CustomerId> CustomerAsync(string name, bool tellMe)
        {
            // Found again on a re-run by the email address.
            var address = EmailAddress.Parse($"{name.ToLowerInvariant()}@ideas.example");
            if ((await store.ListByContactPointAsync(tenant, address, default)).FirstOrDefault() is { } existing)
            {
                names[existing.Id] = name;
                return existing.Id;
            }

            var customer = Customer.Register(tenant, new PersonProfile(name, "Example"), clock);
            customer.AddContactPoint(address);
            if (tellMe)
            {
                customer.GrantConsent(ConsentPurpose.Feedback, new ChannelId("email"), address, "idea-portal");
            }

            await customers.SaveAsync(customer);
            names[customer.Id] = name;
            return customer.Id;
        }
    }

    /// <summary>An email channel that delivers without printing, so the output does not depend on whether a run sent or found the message sent.</summary>
    private sealed class SilentEmail : IChannelAdapter
    {
        public ChannelDescriptor Descriptor { get; } = new(new ChannelId("email"), "Email (silent)", ChannelCategory.Marketing, ChannelDirections.Outbound, ContactPointKind.Email, Money.Of(0.01m, "GBP"));

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
            => ValueTask.FromResult(DeliveryResult.Delivered("silent-" + message.IdempotencyKey));
    }
}
