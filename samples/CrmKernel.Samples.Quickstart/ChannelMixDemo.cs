using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Profitability;
using CrmKernel.Metrics.WinBack;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's channel part: what each demo customer earned and cost to serve in November–December 2025 under a
/// channel cost model, and what their margin would be if 80 % of service calls moved to web chat; then the win-back view
/// of the service part's tenant: who is dissatisfied or lapsed now, and what happened between dissatisfied and recovered
/// for those who came back. Everything printed is computed from stored data for fixed periods, so a re-run prints the same.
/// </summary>
internal static class ChannelMixDemo
{
    public static async Task RunAsync(IServiceProvider services, TenantId tenant)
    {
        var customers = services.GetRequiredService<ICustomerStore>();
        var touchpoints = services.GetRequiredService<ITouchpointStore>();
        var phone = new ChannelId("phone");
        // What a contact costs beyond the cost recorded on its touchpoint: per channel and direction, service calls dearer.
        var model = new ChannelCostModel(Currency.GBP)
            .WithRate(phone, inbound: 6m, outbound: 4m).WithFunctionRate(phone, CrmFunction.Service, 7.5m)
            .WithRate(new ChannelId("web"), 0.5m, 0.5m).WithRate(new ChannelId("store:london"), 2m, 2m);
        var toChat = new ChannelMixScenario(
            "service calls to web chat",
            [new ChannelMove(phone, new ChannelId("web-chat"), 0.8m, CrmFunction.Service)],
            model.WithRate(new ChannelId("web-chat"), 1.5m, 1.5m));
        var autumn = new DateInterval(new LocalDate(2025, 11, 1), new LocalDate(2025, 12, 31));
        var request = new ChannelProfitabilityRequest(autumn, DateTimeZoneProviders.Tzdb["Europe/London"], Currency.GBP, model, toChat, grossMarginRatio: 0.4m);
        var report = new ChannelProfitabilityReport(customers, touchpoints, new FixedExchangeRateProvider([]));

        Console.WriteLine("\n== Channel-mix profitability, November–December 2025 (40 % gross margin)");
        await foreach (var customer in report.StreamCustomersAsync(tenant, request))
        {
            var name = (await customers.FindAsync(tenant, customer.Customer, default))?.Profile.DisplayName ?? customer.Customer.ToString();
            Console.WriteLine($"    {name}: revenue {customer.Revenue:0.00}, cost to serve {customer.CostToServe:0.00}, margin {customer.Margin:0.00}"
                + $" -> {customer.ScenarioMargin:0.00} under '{toChat.Name}'  [{string.Join(", ", customer.Channels)}]");
        }

        var all = (await report.RunAsync(tenant, request)).All;
        Console.WriteLine($"    {all.Unprofitable} of {all.Customers} unprofitable; {all.Recoverable} profitable under the scenario");

        // The service part's tenant: its customer complained, was dissatisfied, and recovered after the case was resolved.
        var service = new TenantId("quickstart-service");
        // As of now: the stages were entered when the touchpoints that moved them were recorded.
        var winBack = await new WinBackView(customers, touchpoints).AnalyseAsync(service, new WinBackRequest(services.GetRequiredService<IClock>().GetCurrentInstant()));
        Console.WriteLine($"\n== Win-back: {winBack.All.Dissatisfied} dissatisfied, {winBack.All.Lapsed} lapsed now;"
            + $" {winBack.All.Recovered(WinBackPath.Recovery)} of {winBack.All.Episodes(WinBackPath.Recovery)} dissatisfied episode(s) recovered");
        foreach (var action in winBack.All.BestActions(WinBackPath.Recovery, WinBackActionKind.Channel))
        {
            Console.WriteLine($"    via {action.Key}: {action.Recovered} of {action.Episodes} recovered, median {action.MedianTimeToRecover?.TotalDays:0.#} days to recover");
        }
    }
}
