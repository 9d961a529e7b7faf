using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;

namespace QueueFunctions.Visits;

/// <summary>Fails the app's start on exam settings that name unknown or malformed clinics.</summary>
public sealed class VisitOptionsValidator(IOptions<QueueOptions> queue) : IValidateOptions<VisitOptions>
{
    public ValidateOptionsResult Validate(string? name, VisitOptions options)
    {
        var problems = VisitOptionsReader.Problems(options, queue.Value.ClinicList()).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
