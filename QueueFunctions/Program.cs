using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using QueueFunctions;
using QueueFunctions.Api;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<UnhandledErrorMiddleware>();
builder.Services.AddClinicQueue(builder.Configuration);
builder.Build().Run();
