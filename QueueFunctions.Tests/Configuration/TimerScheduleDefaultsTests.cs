using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Configuration;
using QueueFunctions.Configuration;

namespace QueueFunctions.Tests.Configuration;

public sealed class TimerScheduleDefaultsTests
{
    const string Timer = """{"name":"timer","type":"timerTrigger","direction":"In","schedule":"%History:CleanUpSchedule%"}""";
    const string Http = """{"name":"request","type":"httpTrigger","direction":"In","route":"%History:CleanUpSchedule%"}""";

    [Fact]
    public void A_timer_whose_schedule_setting_is_missing_reaches_the_host_with_its_default_schedule()
    {
        var function = new Function([Timer, Http]);
        new TimerScheduleDefaults(Settings()).Transform([function]);

        Assert.Equal(TimerSchedules.CleanUpHistoryDefault, (string?)JsonNode.Parse(function.Bindings[0])!["schedule"]);
        Assert.Equal("timer", (string?)JsonNode.Parse(function.Bindings[0])!["name"]);
        Assert.Equal(Http, function.Bindings[1]);
    }

    [Fact]
    public void A_schedule_set_as_an_app_setting_is_left_for_the_host_to_resolve()
    {
        var function = new Function([Timer]);
        new TimerScheduleDefaults(Settings(("History:CleanUpSchedule", "*/10 * * * * *"))).Transform([function]);
        Assert.Equal(Timer, function.Bindings[0]);
    }

    [Fact]
    public void A_setting_the_app_has_no_default_for_is_left_for_the_host_to_report()
    {
        string unknown = Timer.Replace("History:CleanUpSchedule", "Nowhere:Schedule", StringComparison.Ordinal);
        var function = new Function([unknown]);
        new TimerScheduleDefaults(Settings()).Transform([function]);
        Assert.Equal(unknown, function.Bindings[0]);
    }

    [Fact]
    public void Every_timer_of_the_app_names_a_setting_that_has_a_default()
    {
        string[] schedules = typeof(TimerSchedules).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.TimerTriggerAttribute), false).Cast<Microsoft.Azure.Functions.Worker.TimerTriggerAttribute>().SingleOrDefault()?.Schedule)
            .OfType<string>()
            .ToArray();
        // CleanUpReplies runs on the purge's schedule: every setting is named, none is left without a timer.
        Assert.Equal(TimerSchedules.Defaults.Count + 1, schedules.Length);
        Assert.Equal(TimerSchedules.Defaults.Keys.Order(), schedules.Select(s => s.Trim('%')).Distinct().Order());
        Assert.All(schedules, s => Assert.Contains(s.Trim('%'), TimerSchedules.Defaults.Keys));
    }

    static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    sealed class Function(List<string> bindings) : IFunctionMetadata
    {
        public string? FunctionId => "id";
        public bool IsProxy => false;
        public string? Language => "dotnet-isolated";
        public bool ManagedDependencyEnabled => false;
        public string? Name => "CleanUpHistory";
        public string? EntryPoint => "QueueFunctions.History.CleanUpHistoryFunction.RunAsync";
        public List<string> Bindings { get; } = bindings;
        public IList<string>? RawBindings => Bindings;
        public string? ScriptFile => "QueueFunctions.dll";
        public IRetryOptions? Retry => null;
    }
}
