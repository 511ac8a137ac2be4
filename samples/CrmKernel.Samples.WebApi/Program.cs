// CrmKernel web API and dashboard sample: ASP.NET Core minimal APIs over the library.
// Run it with: dotnet run --project samples/CrmKernel.Samples.WebApi
// The first start creates a SQLite file (in your local data folder unless Storage:Sqlite says where) and seeds the demo
// tenant; the dashboard is at http://localhost:5080/ and the OpenAPI document at /openapi/v1.json (see docs/web-api.md).
using CrmKernel.Samples.WebApi.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCrmWebApi();

var app = builder.Build();
app.UseCrmWebApi();
await app.RunAsync();

/// <summary>The sample's entry point; public so that WebApplicationFactory can start it in tests.</summary>
public partial class Program;
