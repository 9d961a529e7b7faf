using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Configuration;

namespace QueueFunctions.Configuration;

/// <summary>
/// Gives the timers their default schedules where no app setting names one. The Functions host resolves a trigger's
/// <c>%Setting%</c> from the app settings and disables the timer when the setting is missing, which a deployment
/// would not notice until its history stopped being cleaned. The worker hands the host its functions' bindings, so it
/// writes the default in place of the reference there; a schedule set as an app setting still reaches the host as
/// the reference, which the host resolves.
/// </summary>
public sealed partial class TimerScheduleDefaults(IConfiguration configuration) : IFunctionMetadataTransformer
{
    public string Name => nameof(TimerScheduleDefaults);

    public void Transform(IList<IFunctionMetadata> original)
    {
        foreach (IFunctionMetadata function in original)
        {
            IList<string> bindings = function.RawBindings ?? [];
            for (int i = 0; i < bindings.Count; i++)
            {
                if (JsonNode.Parse(bindings[i]) is JsonObject binding
                    && string.Equals((string?)binding["type"], "timerTrigger", StringComparison.OrdinalIgnoreCase)
                    && SettingReference().Match((string?)binding["schedule"] ?? "") is { Success: true } reference
                    && string.IsNullOrWhiteSpace(configuration[reference.Groups["name"].Value])
                    && TimerSchedules.Defaults.TryGetValue(reference.Groups["name"].Value, out string? schedule))
                {
                    binding["schedule"] = schedule;
                    bindings[i] = binding.ToJsonString();
                }
            }
        }
    }

    [GeneratedRegex("^%(?<name>[^%]+)%$")]
    private static partial Regex SettingReference();
}
