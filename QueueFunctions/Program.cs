using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QueueFunctions;
using QueueFunctions.Api;
using QueueFunctions.Configuration;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<UnhandledErrorMiddleware>();
builder.Services.AddClinicQueue(builder.Configuration);

// The worker's logs reach the host as Function.<Name>.User, past host.json's category filters, so the Azure SDK's
// request and response lines (every storage call, with its headers) are held back here, where they are written.
builder.Logging.AddFilter("Azure", LogLevel.Warning);

builder.Services.AddSingleton<IFunctionMetadataTransformer, TimerScheduleDefaults>();
builder.Build().Run();
