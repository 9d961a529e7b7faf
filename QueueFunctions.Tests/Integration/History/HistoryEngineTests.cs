using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QueueFunctions.History;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Checks;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.History;

/// <summary>The day's history and its reports, through queue-events, the queue trigger and Table storage on Azurite.</summary>
[Collection(EngineCollection.Name)]
public sealed class HistoryEngineTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string RecorderDisabled = $"AzureWebJobs.{RecordQueueEventFunction.Name}.Disabled";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_day_of_mixed_traffic_gives_the_figures_worked_out_from_the_requests_and_replays_change_nothing()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string[] clinics = [$"hist-a-{suffix}", $"hist-b-{suffix}", $"hist-c-{suffix}"];
        var table = "h" + Guid.NewGuid().ToString("N")[..12];
        var taskHub = AzuriteFixture.NewTaskHubName();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.FromHours(3)));
        var model = new HistoryModel();

        // 1. A day of traffic with the recorder off, so that every event the queue published stays in queue-events.
        var events = new QueueClient(azurite.ConnectionString, QueueEventsQueue.Name);
        await events.CreateIfNotExistsAsync();
        await events.ClearMessagesAsync();
        await using (var host = await StartAsync(taskHub, table, time, recorder: false))
        {
            using var http = host.NewHttp();
            await RunDayAsync(http, clinics, time, model);
            foreach (var clinic in clinics)
            {
                await Eventually.UntilAsync(() => host.StoredStateAsync(clinic), s => s is { Outbox: { IsEmpty: true, Publishing: false } }, Patience, $"the outbox of {clinic} to drain");
            }
        }

        var published = await DrainAsync(events, clinics);
        output.WriteLine($"{published.Count} events published for {clinics.Length} clinics");
        Assert.Equal(published.Count, published.Select(m => JsonDocument.Parse(m).RootElement.GetProperty("id").GetString()).Distinct().Count());

        // 2. Delivered once, in order, to a host with the recorder on: the report equals the figures of the model.
        foreach (var message in published)
        {
            await events.SendMessageAsync(message);
        }

        await using var recorder = await StartAsync(taskHub, table, time, recorder: true);
        using var staff = recorder.NewHttp();
        var expected = clinics.Select(model.Expected).ToList();
        var report = await Eventually.UntilAsync(
            () => staff.GetJsonAsync("api/v1/reports/daily?date=2026-11-29", staff: true),
            r => r.Status == 200 && Figures(r.Body).Count == clinics.Length && clinics.All(c => Figures(r.Body)[c].Issued == model.Expected(c).Issued && Figures(r.Body)[c].StillWaiting == model.Expected(c).StillWaiting),
            Patience,
            "the history to hold the day");
        Assert.Equal("2026-11-29", report.Body.GetProperty("date").GetString());
        Assert.Equal("Asia/Qatar", report.Body.GetProperty("timezone").GetString());
        foreach (var want in expected)
        {
            var got = Figures(report.Body)[want.Clinic];
            output.WriteLine(JsonSerializer.Serialize(got));
            Assert.Equal(JsonSerializer.Serialize(want), JsonSerializer.Serialize(got));
        }

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, "api/v1/reports/daily?date=2026-11-29&format=csv");
        csvRequest.Headers.Add("x-functions-key", QueueAppHost.StaffKey);
        using var csvResponse = await staff.SendAsync(csvRequest);
        Assert.Equal("text/csv; charset=utf-8", csvResponse.Content.Headers.ContentType!.ToString());
        Assert.Equal("queue-report-2026-11-29.csv", csvResponse.Content.Headers.ContentDisposition!.FileName);
        var csv = await csvResponse.Content.ReadAsByteArrayAsync();
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        Assert.Equal(clinics.Length + 1, lines.Length);
        Assert.StartsWith($"2026-11-29,{clinics[0]},{clinics[0]},{expected[0].Issued},{expected[0].Done},", lines[1]);

        // 3. Every message again, twice, shuffled: the table ends exactly as it was.
        var history = recorder.Services.GetRequiredService<HistoryTable>();
        var before = await SnapshotAsync(history.Client, clinics);
        await DeleteAsync(history.Client, clinics);
        var writes = history.Writes;
        var replay = published.Concat(published).OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (var message in replay)
        {
            await events.SendMessageAsync(message);
        }

        await Eventually.TrueAsync(() => history.Writes >= writes + replay.Count, Patience, "the recorder to take every replayed message");
        var after = await SnapshotAsync(history.Client, clinics);
        Assert.Equal(before, after);
        Assert.Equal(published.Count(m => m.Contains("TICKET_ISSUED", StringComparison.Ordinal)) + published.Count(m => m.Contains("QUEUE_RESET", StringComparison.Ordinal)), after.Count);
    }

    [Fact]
    public async Task When_the_service_day_rolls_over_yesterdays_report_is_complete_and_todays_starts_empty()
    {
        var clinic = $"hist-roll-{Guid.NewGuid().ToString("N")[..6]}";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 4, 40, 0, TimeSpan.FromHours(3)));
        await using var host = await StartAsync(AzuriteFixture.NewTaskHubName(), "h" + Guid.NewGuid().ToString("N")[..12], time, recorder: true);
        using var http = host.NewHttp();

        foreach (var user in new[] { "R1", "R2", "R3" })
        {
            time.Advance(TimeSpan.FromMinutes(2));
            Assert.Equal(200, (await http.EnterAsync(clinic, user)).Status);
        }

        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = "R1", pin = Clinic.Pin })).Status);

        var yesterday = $"api/v1/reports/daily?date=2026-11-28&clinic={clinic}";
        var before = await Eventually.UntilAsync(() => http.GetJsonAsync(yesterday, staff: true), r => r.Status == 200 && Figures(r.Body)[clinic].Done == 1, Patience, "the 28th's history");
        Assert.Equal("2026-11-28", before.Body.GetProperty("date").GetString());

        time.Advance(TimeSpan.FromMinutes(20)); // 05:09: a new service day
        var today = await http.GetJsonAsync($"api/v1/reports/daily?clinic={clinic}", staff: true);
        Assert.Equal(200, today.Status);
        Assert.Equal("2026-11-29", today.Body.GetProperty("date").GetString());
        Assert.Equal(0, Figures(today.Body)[clinic].Issued);

        Assert.Equal(200, (await http.EnterAsync(clinic, "R4")).Status);
        await Eventually.UntilAsync(() => http.GetJsonAsync($"api/v1/reports/daily?clinic={clinic}", staff: true), r => Figures(r.Body)[clinic].Issued == 1, Patience, "today's first ticket in the history");

        var closed = Figures((await http.GetJsonAsync(yesterday, staff: true)).Body)[clinic];
        Assert.Equal((3, 1, 0, 2), (closed.Issued, closed.Done, closed.NoShow, closed.StillWaiting));
        Assert.Equal(3, closed.ArrivalsByHour[4]);
        // R1 was served at once (04:42) and done at 04:49, when R2 (in since 04:44) reached the front; R3 never did.
        Assert.Equal(2.5, closed.AvgWaitMinutes);
        Assert.Equal(7.0, closed.AvgServiceMinutes);
    }

    [Fact]
    public async Task Tickets_a_reset_cleared_are_counted_as_cleared_not_as_still_waiting()
    {
        var clinic = $"hist-reset-{Guid.NewGuid().ToString("N")[..6]}";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(3)));
        await using var host = await StartAsync(AzuriteFixture.NewTaskHubName(), "h" + Guid.NewGuid().ToString("N")[..12], time, recorder: true);
        using var http = host.NewHttp();
        var report = $"api/v1/reports/daily?clinic={clinic}";

        // R1 done, R2 a no-show, R3 and R4 still waiting when the reset clears the clinic at the end of the day.
        foreach (var user in new[] { "R1", "R2", "R3", "R4" })
        {
            time.Advance(TimeSpan.FromMinutes(2));
            Assert.Equal(200, (await http.EnterAsync(clinic, user)).Status);
        }

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = "R1", pin = Clinic.Pin })).Status);
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic }, staff: true)).Status);
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/reset", new { clinic }, staff: true)).Status);

        // Nobody entered after the reset, so only its own row in the history tells that R3 and R4 were cleared.
        var history = host.Services.GetRequiredService<HistoryTable>().Client;
        var partition = HistoryKeys.Partition(new DateOnly(2026, 11, 29), clinic);
        await Eventually.TrueAsync(
            async () => (await history.GetEntityIfExistsAsync<TableEntity>(partition, HistoryKeys.Reset(1))).HasValue,
            Patience,
            "the reset's row in the history");
        var cleared = await Eventually.UntilAsync(
            () => http.GetJsonAsync(report, staff: true),
            r => r.Status == 200 && Figures(r.Body)[clinic] is { Issued: 4, Done: 1, NoShow: 1 },
            Patience,
            "every ticket's events in the history");
        var figures = Figures(cleared.Body)[clinic];
        Assert.Equal((0, 2), (figures.StillWaiting, figures.ClearedByReset));

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, report + "&format=csv");
        csvRequest.Headers.Add("x-functions-key", QueueAppHost.StaffKey);
        using var csvResponse = await http.SendAsync(csvRequest);
        var lines = Encoding.UTF8.GetString((await csvResponse.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(("stillWaiting", "clearedByReset"), (lines[0].Split(',')[6], lines[0].Split(',')[7]));
        Assert.StartsWith($"2026-11-29,{clinic},{clinic},4,1,1,0,2,", lines[1]);

        // A patient of the new round is waiting; the cleared ones stay cleared.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await http.EnterAsync(clinic, "R5")).Body.GetProperty("number").GetInt32());
        var after = await Eventually.UntilAsync(() => http.GetJsonAsync(report, staff: true), r => Figures(r.Body)[clinic].Issued == 5, Patience, "the new round's ticket in the history");
        Assert.Equal((1, 2), (Figures(after.Body)[clinic].StillWaiting, Figures(after.Body)[clinic].ClearedByReset));
    }

    [Theory]
    [InlineData("date=2026-13-01", 400, "INVALID_DATE")]
    [InlineData("date=29-11-2026", 400, "INVALID_DATE")]
    [InlineData("date=yesterday", 400, "INVALID_DATE")]
    [InlineData("date=2026-11-29T00:00", 400, "INVALID_DATE")]
    [InlineData("date=2026-11-30", 400, "INVALID_DATE")]
    [InlineData("clinic=nowhere", 404, "UNKNOWN_CLINIC")]
    [InlineData("clinic=LAB%20X", 400, "INVALID_CLINIC")]
    [InlineData("format=xml", 400, "INVALID_FORMAT")]
    [InlineData("format=csv&date=2026-02-30", 400, "INVALID_DATE")]
    public async Task Bad_requests_get_a_clear_json_error(string query, int status, string code)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.FromHours(3)));
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), time, settings: new Dictionary<string, string?> { [RecorderDisabled] = "true" });
        using var http = host.NewHttp();

        var (got, body) = await http.GetJsonAsync($"api/v1/reports/daily?{query}", staff: true);

        Assert.Equal(status, got);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task The_report_needs_the_staff_key_and_lists_every_configured_clinic()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?> { [RecorderDisabled] = "true" });
        using var http = host.NewHttp();

        Assert.Equal(401, (await http.GetJsonAsync("api/v1/reports/daily")).Status);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "api/v1/reports/daily");
        wrongKey.Headers.Add("x-functions-key", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrongKey)).StatusCode);

        var (status, body) = await http.GetJsonAsync("api/v1/reports/daily", staff: true);
        Assert.Equal(200, status);
        Assert.Equal(
            QueueFunctions.Configuration.QueueOptions.DefaultClinics.Split(','),
            body.GetProperty("clinics").EnumerateArray().Select(c => c.GetProperty("clinic").GetString()!));
        Assert.Equal("المختبر", body.GetProperty("clinics")[0].GetProperty("name").GetString());
    }

    private Task<LocalQueueHost> StartAsync(string taskHub, string table, TimeProvider time, bool recorder) =>
        azurite.StartQueueAppAsync(taskHub, time, new FixedPins(Clinic.Pin), new Dictionary<string, string?>
        {
            ["Queue:Clinics"] = "",
            ["History:TableName"] = table,
            [RecorderDisabled] = recorder ? "false" : "true",
        });

    /// <summary>
    /// About a hundred requests over the three clinics, a few minutes apart across the day: arrivals, patients done
    /// with the PIN, no-shows, a late patient done after their no-show, and a reset at the second clinic.
    /// </summary>
    private static async Task RunDayAsync(HttpClient http, string[] clinics, FakeTimeProvider time, HistoryModel model)
    {
        var random = new Random(20261129);
        var users = 0;
        for (var step = 0; step < 100; step++)
        {
            time.Advance(TimeSpan.FromMinutes(random.Next(1, 8)) + TimeSpan.FromSeconds(random.Next(0, 60)));
            var at = time.GetUtcNow();
            var clinic = clinics[random.Next(clinics.Length)];
            var queue = model[clinic];
            var roll = random.NextDouble();
            if (step == 60)
            {
                clinic = clinics[1];
                Assert.Equal(200, (await http.PostAsync("api/v1/queue/reset", new { clinic }, staff: true)).Status);
                model[clinic].Reset();
            }
            else if (roll < 0.5 || queue.Current is null)
            {
                var user = $"P{++users}";
                var (status, body) = await http.EnterAsync(clinic, user);
                Assert.Equal(200, status);
                Assert.Equal(queue.Enter(user, at), body.GetProperty("number").GetInt32());
            }
            else if (roll < 0.85)
            {
                var ticket = queue.Current!;
                Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = ticket.User, pin = Clinic.Pin })).Status);
                queue.Done(ticket, at);
            }
            else if (roll < 0.95 || !queue.NoShows.Any())
            {
                Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic }, staff: true)).Status);
                queue.Call(at);
            }
            else
            {
                var late = queue.NoShows.First();
                Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = late.User, pin = Clinic.Pin })).Status);
                queue.Done(late, at);
            }
        }
    }

    private static Dictionary<string, ClinicDailyFigures> Figures(JsonElement report) =>
        report.GetProperty("clinics").Deserialize<List<ClinicDailyFigures>>()!.ToDictionary(f => f.Clinic);

    /// <summary>Takes every message of these clinics off the queue, in the order they come.</summary>
    private static async Task<List<string>> DrainAsync(QueueClient queue, string[] clinics)
    {
        var taken = new List<string>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                return taken;
            }

            foreach (var message in batch)
            {
                var text = message.Body.ToString();
                if (clinics.Contains(JsonDocument.Parse(text).RootElement.GetProperty("clinic").GetString()))
                {
                    taken.Add(text);
                }

                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    /// <summary>Every row of these clinics' partitions, with every column but the storage's own timestamp.</summary>
    private static async Task<List<string>> SnapshotAsync(TableClient table, string[] clinics)
    {
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (clinics.Contains(HistoryKeys.ClinicOf(row.PartitionKey)))
            {
                var columns = row.Keys.Where(k => k is not ("Timestamp" or "odata.etag")).Order(StringComparer.Ordinal).Select(k => $"{k}={Convert.ToString(row[k], System.Globalization.CultureInfo.InvariantCulture)}");
                rows.Add(string.Join("|", columns));
            }
        }

        return rows.Order(StringComparer.Ordinal).ToList();
    }

    private static async Task DeleteAsync(TableClient table, string[] clinics)
    {
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (clinics.Contains(HistoryKeys.ClinicOf(row.PartitionKey)))
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            }
        }
    }
}
