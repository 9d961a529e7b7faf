using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Time.Testing;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Engine.Sample;
using Xunit.Abstractions;


namespace QueueFunctions.Tests.Integration.LocalHost;

/// <summary>The local host on the real Durable Task engine and Azurite, driven over real HTTP.</summary>
[Collection(EngineCollection.Name)]
public sealed class LocalQueueHostTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    static HttpClient NewHttp(LocalQueueHost host) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    static async Task<TallyState?> ReadTallyAsync(HttpClient http, string key)
    {
        using HttpResponseMessage response = await http.GetAsync($"samples/tally/{key}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TallyState>();
    }

    [Fact]
    public void RoutesMethodsAuthLevelsAndEntitiesComeFromTheAttributes()
    {
        FunctionCatalog catalog = FunctionCatalog.Discover(typeof(TallyEntity).Assembly);

        HttpFunction add = Assert.Single(catalog.HttpFunctions, f => f.Name == "SampleAdd");
        Assert.Equal("samples/tally/{key}/add", add.Route);
        Assert.Equal(["POST"], add.Methods);
        Assert.Equal(AuthorizationLevel.Anonymous, add.AuthLevel);
        Assert.Equal(nameof(SampleFunctions.AddAsync), add.Method.Name);

        HttpFunction reset = Assert.Single(catalog.HttpFunctions, f => f.Name == "SampleReset");
        Assert.Equal(AuthorizationLevel.Function, reset.AuthLevel);
        Assert.Equal(AuthorizationLevel.Admin, Assert.Single(catalog.HttpFunctions, f => f.Name == "SampleAdmin").AuthLevel);
        Assert.Equal(["GET"], Assert.Single(catalog.HttpFunctions, f => f.Name == "SampleStream").Methods);

        EntityFunction entity = Assert.Single(catalog.Entities);
        Assert.Equal("tally", entity.Name);
        Assert.Equal(typeof(TallyEntity), entity.EntityType);
        Assert.Equal(nameof(SampleFunctions.HelloOrchestrator), Assert.Single(catalog.Orchestrators).Name);
        Assert.Equal(nameof(SampleFunctions.Greet), Assert.Single(catalog.Activities).Name);
    }

    [Fact]
    public async Task TwoHostsOnOneMachineHaveDistinctWorkerIds()
    {
        string hub = AzuriteFixture.NewTaskHubName();
        await using LocalQueueHost first = await azurite.StartHostAsync(hub);
        await using LocalQueueHost second = await azurite.StartHostAsync(hub);

        Assert.NotEqual(first.WorkerId, second.WorkerId);
        Assert.StartsWith($"{Environment.MachineName}-{Environment.ProcessId}-", first.WorkerId);
        Assert.StartsWith($"{Environment.MachineName}-{Environment.ProcessId}-", second.WorkerId);

        await using LocalQueueHost named = await azurite.StartHostAsync(hub, settings: new Dictionary<string, string?> { [LocalHostConfigKeys.WorkerId] = "kiosk-box-1" });
        Assert.Equal("kiosk-box-1", named.WorkerId);
    }

    [Fact]
    public async Task SignalThroughHttpThenTheStateShowsIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 6, 30, 0, TimeSpan.Zero));
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName(), time);
        using HttpClient http = NewHttp(host);

        Assert.Null(await ReadTallyAsync(http, "first"));
        using HttpResponseMessage posted = await http.PostAsJsonAsync("samples/tally/first/add", new { id = "op-1" });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.StartsWith("application/json", posted.Content.Headers.ContentType?.ToString());

        TallyState state = (await Eventually.UntilAsync(() => ReadTallyAsync(http, "first"), s => s?.Count == 1, Deadline, "the signal to show in the state"))!;
        Assert.Equal(["op-1"], state.Ids);
        Assert.Equal("from-test-config", state.Label); // IOptions<T> from the app's registration and the host's configuration
        Assert.Equal(time.GetUtcNow(), state.LastChangedAt); // the test's TimeProvider replaced the app's

        // The same entity is visible through the engine client, by id and by name query.
        var direct = await host.Client.Entities.GetEntityAsync<TallyState>(new EntityInstanceId(TallyEntity.Name, "first"));
        Assert.Equal(1, direct!.State.Count);
        var all = new List<string>();
        await foreach (var e in host.Client.Entities.GetAllEntitiesAsync(new Microsoft.DurableTask.Client.Entities.EntityQuery { InstanceIdStartsWith = TallyEntity.Name }))
        {
            all.Add(e.Id.ToString());
        }

        Assert.Contains("@tally@first", all);
    }

    [Fact]
    public async Task FiveHundredConcurrentSignalsAreEachAppliedExactlyOnce()
    {
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName());
        using HttpClient http = NewHttp(host);
        string[] ids = Enumerable.Range(1, 500).Select(i => $"c-{i}").ToArray();

        HttpStatusCode[] codes = await Task.WhenAll(ids.Select(async id =>
        {
            using HttpResponseMessage r = await http.PostAsJsonAsync("samples/tally/burst/add", new { id });
            return r.StatusCode;
        }));
        Assert.All(codes, c => Assert.Equal(HttpStatusCode.Accepted, c));

        TallyState state = (await Eventually.UntilAsync(() => ReadTallyAsync(http, "burst"), s => s?.Count >= 500, Deadline, "500 signals to be applied"))!;
        Assert.Equal(500, state.Count);
        Assert.Equal(0, state.Duplicates);
        Assert.Equal(ids.Order(), state.Ids.Order());
    }

    [Fact]
    public async Task FunctionKeyRoutesAnswer401WithoutTheKeyAnd200WithIt()
    {
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName());
        using HttpClient http = NewHttp(host);

        using (HttpResponseMessage r = await http.PostAsync("samples/tally/keyed/reset", null))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (HttpResponseMessage r = await http.PostAsync("samples/tally/keyed/reset?code=wrong", null))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        using (var request = new HttpRequestMessage(HttpMethod.Post, "samples/tally/keyed/reset"))
        {
            request.Headers.Add("x-functions-key", AzuriteFixture.TestFunctionKey);
            using HttpResponseMessage r = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("\"reset\":\"keyed\"", await r.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage r = await http.PostAsync($"samples/tally/keyed/reset?code={AzuriteFixture.TestFunctionKey}", null))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);

        // Admin level takes the master key only.
        using (HttpResponseMessage r = await http.GetAsync($"samples/admin?code={AzuriteFixture.TestFunctionKey}"))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (HttpResponseMessage r = await http.GetAsync($"samples/admin?code={AzuriteFixture.TestMasterKey}"))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);

        // Anonymous routes need nothing; wrong methods and unknown routes are not served.
        using (HttpResponseMessage r = await http.GetAsync("samples/tally/keyed"))
            Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound);
        using (HttpResponseMessage r = await http.GetAsync("samples/tally/keyed/reset"))
            Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
    }

    [Fact]
    public async Task FunctionsThatWriteTheirOwnResponseStreamAndIResultWorks()
    {
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName());
        using HttpClient http = NewHttp(host);

        using (HttpResponseMessage r = await http.GetAsync("samples/stream", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", r.Content.Headers.ContentType?.MediaType);
            string body = await r.Content.ReadAsStringAsync();
            Assert.StartsWith("retry: 3000\n\n", body);
            Assert.Contains("id: 3\ndata: {\"n\":3}\n\n", body);
        }

        Assert.Equal("{\"doubled\":42}", await http.GetStringAsync("samples/minimal/21"));
        using (HttpResponseMessage r = await http.GetAsync("samples/minimal/abc"))
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode); // {n:int} constraint, as in Functions
    }

    [Fact]
    public async Task OrchestrationCallsAnActivityAndSignalsTheEntity()
    {
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName());
        using HttpClient http = NewHttp(host);

        using HttpResponseMessage r = await http.PostAsync("samples/hello/Amal", null);
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, body);
        Assert.Contains("\"status\":\"Completed\"", body);
        Assert.Contains("\"output\":\"Hello, Amal!\"", body);

        TallyState state = (await Eventually.UntilAsync(() => ReadTallyAsync(http, "greetings"), s => s?.Count == 1, Deadline, "the orchestration's signal"))!;
        Assert.Equal(["Hello, Amal!"], state.Ids);
    }

    [Fact]
    public async Task CompletedOrchestrationsArePurgedOneByOneOrInBulkAndPendingOnesAreLeft()
    {
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName());
        using var timeout = new CancellationTokenSource(Deadline);
        async Task<string> RunHelloAsync(string name)
        {
            string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SampleFunctions.HelloOrchestrator), name, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.Client.WaitForInstanceCompletionAsync(id, cancellation: timeout.Token)).RuntimeStatus);
            return id;
        }

        string single = await RunHelloAsync("one");
        string[] bulk = [await RunHelloAsync("two"), await RunHelloAsync("three")];
        string pending = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(SampleFunctions.HelloOrchestrator), "later", new StartOrchestrationOptions { StartAt = DateTimeOffset.UtcNow.AddDays(1) }, timeout.Token);

        Assert.Equal(1, (await host.Client.PurgeInstanceAsync(single, cancellation: timeout.Token)).PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(single, cancellation: timeout.Token));
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync(single, cancellation: timeout.Token)).PurgedInstanceCount);
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync(pending, cancellation: timeout.Token)).PurgedInstanceCount);

        PurgeResult purged = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(), cancellation: timeout.Token);
        Assert.Equal(2, purged.PurgedInstanceCount);
        foreach (string id in bulk)
        {
            Assert.Null(await host.Client.GetInstanceAsync(id, cancellation: timeout.Token));
        }

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.Client.GetInstanceAsync(pending, cancellation: timeout.Token))!.RuntimeStatus);
    }

    [Fact]
    public async Task AfterACrashMidBurstAFreshHostOnTheSameStorageLosesNoAcknowledgedSignal()
    {
        string hub = AzuriteFixture.NewTaskHubName();
        const int total = 1000;
        var acknowledged = new ConcurrentBag<string>();
        int failed = 0;

        // Messages the dead process had dequeued come back when their visibility timeout expires (5 min by default).
        TimeSpan visibility = TimeSpan.FromSeconds(15);
        LocalQueueHost first = await azurite.StartHostAsync(hub, queueVisibilityTimeout: visibility);
        using (HttpClient http = NewHttp(first))
        using (var gate = new SemaphoreSlim(16))
        {
            Task[] senders = Enumerable.Range(1, total).Select(async i =>
            {
                string id = $"k-{i}";
                await gate.WaitAsync();
                try
                {
                    using HttpResponseMessage r = await http.PostAsJsonAsync("samples/tally/crash/add", new { id });
                    if (r.StatusCode == HttpStatusCode.Accepted)
                    {
                        acknowledged.Add(id);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref failed); // the host died under this request: not acknowledged
                }
                finally
                {
                    gate.Release();
                }
            }).ToArray();

            await Eventually.UntilAsync(() => Task.FromResult(acknowledged.Count), n => n >= 200, Deadline, "200 acknowledged signals", TimeSpan.FromMilliseconds(5));
            await first.KillAsync();
            await Task.WhenAll(senders);
        }

        int acked = acknowledged.Count;
        output.WriteLine($"acknowledged before the crash: {acked}, refused or cut: {failed}");
        Assert.True(acked < total, "the crash did not land mid-burst: every request was acknowledged before it");
        Assert.True(failed > 0);

        await using LocalQueueHost second = await azurite.StartHostAsync(hub, queueVisibilityTimeout: visibility);
        using HttpClient http2 = NewHttp(second);
        var stopwatch = Stopwatch.StartNew();
        TallyState state = (await Eventually.UntilAsync(
            () => ReadTallyAsync(http2, "crash"),
            s => s is not null && acknowledged.All(s.Ids.Contains),
            visibility + Deadline,
            "every acknowledged signal to be applied after the restart"))!;
        output.WriteLine($"all acknowledged signals visible {stopwatch.ElapsedMilliseconds} ms after the restart; applied: {state.Count}");
        Assert.Equal(0, state.Duplicates);
        Assert.Equal(state.Ids.Count, state.Ids.Distinct().Count());
        Assert.True(state.Count <= total);

        // And the entity carries on from where it was.
        int before = state.Count;
        using (HttpResponseMessage r = await http2.PostAsJsonAsync("samples/tally/crash/add", new { id = "after-restart" }))
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        TallyState after = (await Eventually.UntilAsync(() => ReadTallyAsync(http2, "crash"), s => s!.Ids.Contains("after-restart"), Deadline, "a signal after the restart"))!;
        Assert.True(after.Count >= before + 1);
        Assert.Equal(0, after.Duplicates);
    }
}
