using Microsoft.Extensions.Configuration;

namespace QueueFunctions.LocalHost.Functions;

/// <summary>The Functions app setting <c>AzureWebJobs.&lt;FunctionName&gt;.Disabled</c>, which turns one function off.</summary>
public static class FunctionSwitches
{
    public static string DisabledKey(string functionName) => $"AzureWebJobs.{functionName}.Disabled";

    /// <summary>
    /// True for "true" or "1". The colon form (environment variable <c>AzureWebJobs__Name__Disabled</c>) is read too,
    /// because shells cannot export a variable whose name contains dots.
    /// </summary>
    public static bool IsDisabled(IConfiguration configuration, string functionName)
    {
        string? value = configuration[DisabledKey(functionName)] ?? configuration[$"AzureWebJobs:{functionName}:Disabled"];
        return value is not null && (value.Trim() == "1" || bool.TryParse(value.Trim(), out bool disabled) && disabled);
    }
}
