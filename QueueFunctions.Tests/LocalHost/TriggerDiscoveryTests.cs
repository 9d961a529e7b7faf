using System.Reflection;
using System.Reflection.Emit;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Triggers;
using QueueFunctions.Tests.Support.Engine.Sample;

namespace QueueFunctions.Tests.LocalHost;

/// <summary>How the local host finds and checks queue and timer functions, reads host.json and parses schedules; no storage needed.</summary>
public sealed class TriggerDiscoveryTests
{
    [Fact]
    public void QueueAndTimerFunctionsAreFoundWithTheirAttributesAsWritten()
    {
        FunctionCatalog catalog = FunctionCatalog.Discover(typeof(TallyEntity).Assembly);

        Assert.Equal(["SampleFailingQueue", "SampleItemQueue", "SampleTextQueue"], catalog.QueueFunctions.Select(q => q.Name));
        QueueFunction items = Assert.Single(catalog.QueueFunctions, q => q.Name == "SampleItemQueue");
        Assert.Equal("%Sample:QueuePrefix%-items", items.QueueName);
        Assert.Equal("AzureWebJobsStorage", items.Connection);
        Assert.Equal(typeof(WorkItem), items.TriggerParameter.ParameterType);
        Assert.Equal(typeof(QueueMessage), Assert.Single(catalog.QueueFunctions, q => q.Name == "SampleFailingQueue").TriggerParameter.ParameterType);

        TimerFunction timer = Assert.Single(catalog.TimerFunctions);
        Assert.Equal("SampleTimer", timer.Name);
        Assert.Equal("%Sample:TimerSchedule%", timer.Schedule);
        Assert.False(timer.RunOnStartup);
        Assert.True(timer.UseMonitor);
    }

    [Fact]
    public void TheRealAppDiscoversWithoutRefusals()
    {
        FunctionCatalog catalog = FunctionCatalog.Discover(typeof(QueueFunctions.Queueing.ClinicQueueEntity).Assembly);
        Assert.NotEmpty(catalog.HttpFunctions);
    }

    [Fact]
    public void UnsupportedTriggerTypesAndBindingsAreRefusedNamingTheFunction()
    {
        var queueOnStream = Assert.Throws<NotSupportedException>(() => FunctionCatalog.Discover(
            OneFunction("StreamQueue", typeof(Stream), Attribute<QueueTriggerAttribute>("q"))));
        Assert.Contains("StreamQueue", queueOnStream.Message);
        Assert.Contains("System.IO.Stream", queueOnStream.Message);

        var timerOnString = Assert.Throws<NotSupportedException>(() => FunctionCatalog.Discover(
            OneFunction("StringTimer", typeof(string), Attribute<TimerTriggerAttribute>("0 0 * * * *"))));
        Assert.Contains("TimerInfo", timerOnString.Message);

        var output = Assert.Throws<NotSupportedException>(() => FunctionCatalog.Discover(
            OneFunction("Forwarder", typeof(string), Attribute<QueueTriggerAttribute>("q"), returnBinding: Attribute<QueueOutputAttribute>("out"))));
        Assert.Contains("Forwarder", output.Message);
        Assert.Contains("[QueueOutput]", output.Message);
    }

    [Fact]
    public void QueueSettingsComeFromHostJsonThenFromTheAppSettingOverride()
    {
        string path = Path.Combine(Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"version":"2.0","extensions":{"queues":{"messageEncoding":"none","maxDequeueCount":3,"visibilityTimeout":"00:00:05","batchSize":8}}}""");
        try
        {
            IConfiguration none = new ConfigurationBuilder().Build();
            QueueTriggerSettings fromFile = QueueTriggerSettings.Load(none, path);
            Assert.Equal(new QueueTriggerSettings { MessageEncoding = QueueMessageEncoding.None, MaxDequeueCount = 3, VisibilityTimeout = TimeSpan.FromSeconds(5), BatchSize = 8 }, fromFile);

            IConfiguration overrides = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00" })
                .Build();
            Assert.Equal(TimeSpan.Zero, QueueTriggerSettings.Load(overrides, path).VisibilityTimeout);

            // No host.json: the Functions defaults, base64 included.
            Assert.Equal(new QueueTriggerSettings(), QueueTriggerSettings.Load(none, path + ".missing"));
            Assert.Equal(QueueMessageEncoding.Base64, new QueueTriggerSettings().MessageEncoding);

            IConfiguration bad = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureFunctionsJobHost:extensions:queues:batchSize"] = "64" })
                .Build();
            Assert.Contains("batchSize", Assert.Throws<InvalidOperationException>(() => QueueTriggerSettings.Load(bad, path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheAppsHostJsonIsCopiedBesideTheProgramAndSaysPlainMessages()
    {
        QueueTriggerSettings settings = QueueTriggerSettings.Load(new ConfigurationBuilder().Build(), QueueTriggerSettings.DefaultHostJsonPath);
        Assert.Equal(QueueMessageEncoding.None, settings.MessageEncoding);
        Assert.Equal(5, settings.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.VisibilityTimeout);
        Assert.Equal(16, settings.BatchSize);
    }

    [Fact]
    public void SchedulesAreSixFieldCronInTheHostsTimeZoneOrATimeSpan()
    {
        var at = new DateTimeOffset(2026, 3, 1, 10, 15, 30, TimeSpan.Zero);
        TimeZoneInfo utc = TimeZoneInfo.Utc;

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 20, 0, TimeSpan.Zero), TimerSchedule.Parse("0 */5 * * * *", "s").NextAfter(at, utc));
        Assert.Equal(at.AddMinutes(90), TimerSchedule.Parse("01:30:00", "s").NextAfter(at, utc));

        // 03:00 every day on the wall clock of a zone two hours ahead of UTC is 01:00 UTC.
        TimeZoneInfo plusTwo = TimeZoneInfo.CreateCustomTimeZone("plus-two", TimeSpan.FromHours(2), "plus-two", "plus-two");
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), TimerSchedule.Parse("0 0 3 * * *", "s").NextAfter(at, plusTwo));

        Assert.True(TimerSchedule.Parse("*/10 * * * * *", "s").IsSubMinute(at, utc));
        Assert.False(TimerSchedule.Parse("0 0 * * * *", "s").IsSubMinute(at, utc));

        // Five fields is the classic cron without seconds, which the Functions host does not accept either.
        var refused = Assert.Throws<InvalidOperationException>(() => TimerSchedule.Parse("*/5 * * * *", "Timer function X: schedule"));
        Assert.Contains("Timer function X", refused.Message);
    }

    [Fact]
    public void SettingExpressionsAreResolvedAndAMissingSettingIsNamed()
    {
        IConfiguration config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["History:CleanupSchedule"] = "0 30 2 * * *", ["Prefix"] = "clinic" })
            .Build();
        Assert.Equal("0 30 2 * * *", SettingExpressions.Resolve("%History:CleanupSchedule%", config, "schedule"));
        Assert.Equal("clinic-events", SettingExpressions.Resolve("%Prefix%-events", config, "queue name"));
        Assert.Contains("'Missing'", Assert.Throws<InvalidOperationException>(() => SettingExpressions.Resolve("%Missing%", config, "queue name")).Message);
    }

    static CustomAttributeBuilder Attribute<T>(string argument) where T : Attribute =>
        new(typeof(T).GetConstructor([typeof(string)])!, [argument]);

    /// <summary>
    /// A one-function assembly made at run time: a function the local host must refuse cannot live in this test
    /// assembly, which is the sample app that the engine tests run.
    /// </summary>
    static Assembly OneFunction(string name, Type triggerType, CustomAttributeBuilder trigger, CustomAttributeBuilder? returnBinding = null)
    {
        AssemblyBuilder assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"Refused{Guid.NewGuid():N}"), AssemblyBuilderAccess.Run);
        TypeBuilder type = assembly.DefineDynamicModule("Functions").DefineType(
            "Functions", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract | TypeAttributes.Class);
        MethodBuilder method = type.DefineMethod("Run", MethodAttributes.Public | MethodAttributes.Static, returnBinding is null ? typeof(void) : typeof(string), [triggerType]);
        method.SetCustomAttribute(Attribute<FunctionAttribute>(name));
        method.DefineParameter(1, ParameterAttributes.None, "trigger").SetCustomAttribute(trigger);
        ILGenerator il = method.GetILGenerator();
        if (returnBinding is not null)
        {
            method.DefineParameter(0, ParameterAttributes.Retval, null).SetCustomAttribute(returnBinding);
            il.Emit(OpCodes.Ldnull);
        }

        il.Emit(OpCodes.Ret);
        type.CreateType();
        return assembly;
    }
}
