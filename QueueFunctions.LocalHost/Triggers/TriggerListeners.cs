using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using QueueFunctions.LocalHost.Functions;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>What the queue and timer listeners of one host share.</summary>
/// <param name="MessageLease">How long a received message stays hidden from other hosts; after a crash it comes back then.</param>
sealed record TriggerListenerSettings(
    string TaskHubName,
    QueuePolling Polling,
    TimeSpan MessageLease,
    QueueTriggerSettings Queues,
    TimeProvider Time);

/// <summary>
/// The background loops of one host's queue- and timer-triggered functions (one per enabled function): started with the
/// host, drained by <see cref="StopAsync"/>, abandoned mid-work by <see cref="KillAsync"/>.
/// </summary>
sealed partial class TriggerListeners
{
    readonly IReadOnlyList<QueueTriggerListener> queues;
    readonly IReadOnlyList<TimerTriggerListener> timers;
    readonly ILogger logger;
    readonly CancellationTokenSource stopping = new();
    readonly CancellationTokenSource aborted = new();
    Task running = Task.CompletedTask;

    TriggerListeners(IReadOnlyList<QueueTriggerListener> queues, IReadOnlyList<TimerTriggerListener> timers, ILogger logger)
    {
        this.queues = queues;
        this.timers = timers;
        this.logger = logger;
    }

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueNameRule();

    public IReadOnlyList<QueueTriggerListener> Queues => queues;

    public IReadOnlyList<TimerTriggerListener> Timers => timers;

    /// <summary>Builds the listeners, refusing bad queue names, schedules, settings and parameters before anything runs.</summary>
    public static TriggerListeners Create(
        FunctionCatalog catalog,
        TriggerListenerSettings settings,
        IConfiguration configuration,
        IServiceProvider services,
        DurableTaskClient client,
        ILoggerFactory loggers)
    {
        ILogger queueLogger = loggers.CreateLogger("QueueFunctions.LocalHost.Queues");
        ILogger timerLogger = loggers.CreateLogger("QueueFunctions.LocalHost.Timers");

        var queues = new List<QueueTriggerListener>();
        foreach (QueueFunction function in catalog.QueueFunctions.Where(f => !FunctionSwitches.IsDisabled(configuration, f.Name)))
        {
            string name = SettingExpressions.Resolve(function.QueueName, configuration, $"Queue function {function.Name}: queue name").ToLowerInvariant();
            if (!QueueNameRule().IsMatch(name))
            {
                throw new InvalidOperationException(
                    $"Queue function {function.Name}: '{name}' is not a valid queue name (3-63 lower-case letters, digits and single dashes).");
            }

            string connection = ConnectionString(function.Connection, $"Queue function {function.Name}", configuration);
            var options = new QueueClientOptions { MessageEncoding = settings.Queues.MessageEncoding };
            PoisonUndecodableMessages(options, connection, name + "-poison", queueLogger);
            var queue = new QueueClient(connection, name, options);
            var poison = new QueueClient(connection, name + "-poison", options);
            queues.Add(new QueueTriggerListener(
                new TriggeredFunctionInvoker(function.Name, function.Method, function.TriggerParameter, services, client),
                function.TriggerParameter.ParameterType,
                queue,
                poison,
                settings.Queues,
                settings.Polling,
                settings.MessageLease,
                queueLogger));
        }

        var timers = new List<TimerTriggerListener>();
        var locks = new BlobContainerClient(ConnectionString(null, "Timer locks", configuration), TimerLock.ContainerName);
        foreach (TimerFunction function in catalog.TimerFunctions.Where(f => !FunctionSwitches.IsDisabled(configuration, f.Name)))
        {
            string where = $"Timer function {function.Name}: schedule";
            TimerSchedule schedule = TimerSchedule.Parse(SettingExpressions.Resolve(function.Schedule, configuration, where), where);

            // One lock per task hub: hosts on the same task hub are one app, as hosts sharing a host id are on Azure.
            var timerLock = new TimerLock(locks.GetBlobClient($"{settings.TaskHubName}/{function.Name}"), timerLogger);
            timers.Add(new TimerTriggerListener(
                new TriggeredFunctionInvoker(function.Name, function.Method, function.TriggerParameter, services, client),
                schedule,
                function.RunOnStartup,
                function.UseMonitor,
                timerLock,
                settings.Time,
                timerLogger));
        }

        return new TriggerListeners(queues, timers, queueLogger);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Created before any loop starts, so that a storage problem fails the start rather than a background loop.
        await Task.WhenAll(queues.Select(q => q.PrepareAsync(cancellationToken)));
        running = Task.WhenAll(
            queues.Select(q => Guard(q.QueueName, () => q.RunAsync(stopping.Token, aborted.Token)))
                .Concat(timers.Select(t => Guard(t.Name, () => t.RunAsync(stopping.Token, aborted.Token)))));
    }

    /// <summary>Stops receiving and scheduling and waits for the runs in progress; if the token fires first, aborts them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        using CancellationTokenRegistration abort = cancellationToken.Register(aborted.Cancel);
        await running;
    }

    /// <summary>A crash: runs are cancelled and nothing more is written; taken messages and locks expire by themselves.</summary>
    public async Task KillAsync()
    {
        await aborted.CancelAsync();
        await stopping.CancelAsync();
        await running;
    }

    async Task Guard(string name, Func<Task> loop)
    {
        try
        {
            await Task.Run(loop);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "The listener of {Listener} stopped on an unexpected error.", name);
        }
    }

    /// <summary>
    /// The connection named by the trigger (default AzureWebJobsStorage, which the local host sets to its own storage),
    /// looked up as the Functions host does: the setting itself, AzureWebJobs&lt;name&gt;, then ConnectionStrings:&lt;name&gt;.
    /// </summary>
    static string ConnectionString(string? connection, string who, IConfiguration configuration)
    {
        string name = string.IsNullOrEmpty(connection) ? "AzureWebJobsStorage" : connection;
        return configuration[name] is { Length: > 0 } direct ? direct
            : configuration["AzureWebJobs" + name] is { Length: > 0 } prefixed ? prefixed
            : configuration.GetConnectionString(name) is { Length: > 0 } named ? named
            : throw new InvalidOperationException(
                $"{who}: no connection string for the connection '{name}' (looked for the settings {name}, AzureWebJobs{name} and ConnectionStrings:{name}).");
    }

    /// <summary>
    /// A message that is not valid base64 on a base64 queue cannot be run; as the Functions host does, it goes to the
    /// poison queue (as received) instead of failing every receive of the batch it is in.
    /// </summary>
    static void PoisonUndecodableMessages(QueueClientOptions options, string connection, string poisonName, ILogger logger)
    {
        if (options.MessageEncoding != QueueMessageEncoding.Base64)
        {
            return;
        }

        var rawPoison = new QueueClient(connection, poisonName);
        options.MessageDecodingFailed += async args =>
        {
            if (args.ReceivedMessage is not { } message)
            {
                return;
            }

            await rawPoison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken);
            await rawPoison.SendMessageAsync(message.Body, cancellationToken: args.CancellationToken);
            await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken);
            logger.LogError("Message {MessageId} of queue {Queue} is not valid base64; it was moved to the poison queue {PoisonQueue}.",
                message.MessageId, args.Queue.Name, poisonName);
        };
    }
}
