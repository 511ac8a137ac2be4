using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using CrmKernel.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>With telemetry on (the default), OpenTelemetry listens to the kernel's ActivitySource and Meter by name.</summary>
public sealed class OperabilityTests
{
    [Fact]
    public async Task Telemetry_SubscribesToTheKernelsActivitySourceAndMeter_AndHealthAnswers()
    {
        var directory = Directory.CreateTempSubdirectory("crm-webapi-telemetry-").FullName;
        try
        {
            await using var factory = new TelemetryFactory(Path.Combine(directory, "t.db"));
            var client = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

            using var source = new ActivitySource(CrmDiagnostics.ActivitySourceName);
            Assert.True(source.HasListeners(), "no listener on the CrmKernel ActivitySource");
            using var meter = new Meter(CrmDiagnostics.MeterName);
            var counter = meter.CreateCounter<long>("crmkernel.test.probe");
            Assert.True(counter.Enabled, "no listener on the CrmKernel Meter");
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private sealed class TelemetryFactory(string database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:Sqlite", database);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("Telemetry:Console", "true");
            builder.UseSetting("Telemetry:JsonLogs", "true");
        }
    }
}
