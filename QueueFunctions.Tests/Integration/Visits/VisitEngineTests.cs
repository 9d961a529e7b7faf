using System.Text.Json;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Visits;

/// <summary>Visits on the real Durable Task engine and Azurite, over real HTTP.</summary>
[Collection(EngineCollection.Name)]
public sealed class VisitEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly string[] Recruitment = ["lab", "xray", "vitals", "eyes", "internal", "surgery", "ent", "psychiatry", "dental", "derma"];

    [Fact]
    public async Task A_recruitment_visit_walks_all_ten_clinics_with_the_pins_staff_read()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();

        var (status, started) = await http.StartVisitAsync("12345678", "recruitment");
        Log("POST /api/v1/visits", status, started);
        Assert.Equal(200, status);
        Assert.False(started.GetProperty("existing").GetBoolean());
        Assert.Equal("IN_PROGRESS", started.GetProperty("status").GetString());
        Assert.Equal(Recruitment, started.Steps().Select(s => s.Clinic));
        Assert.Equal(("lab", "WAITING", (int?)1), started.Steps()[0]);
        Assert.All(started.Steps().Skip(1), s => Assert.Equal(("PENDING", (int?)null), (s.Status, s.Number)));

        var pins = await http.PinsAsync();
        var walked = new List<string>();
        var clinic = "lab";
        for (var step = 0; step < Recruitment.Length; step++)
        {
            walked.Add(clinic);
            // Staff may only know a clinic's PIN once its day has opened; read it again for clinics opened since.
            if (!pins.ContainsKey(clinic))
            {
                pins = await http.PinsAsync();
            }

            var (doneStatus, done) = await http.DoneAsync(clinic, "12345678", pins[clinic]);
            Log($"done at {clinic}", doneStatus, done);
            Assert.Equal(200, doneStatus);
            Assert.Equal("DONE", done.GetProperty("status").GetString());
            if (step < Recruitment.Length - 1)
            {
                Assert.True(done.GetProperty("next_clinic_unlocked").GetBoolean());
                var next = done.GetProperty("next_clinic").GetString()!;
                Assert.Equal(1, done.GetProperty("next_number").GetInt32());
                Assert.DoesNotContain(next, walked);

                var (_, visit) = await http.GetVisitAsync("12345678");
                Assert.Equal(next, visit.CurrentClinic());
                Assert.Equal(walked.Append(next), visit.Steps().Take(walked.Count + 1).Select(s => s.Clinic));
                Assert.All(visit.Steps().Take(walked.Count), s => Assert.Equal("DONE", s.Status));
                clinic = next;
            }
            else
            {
                Assert.False(done.GetProperty("next_clinic_unlocked").GetBoolean());
                Assert.True(done.GetProperty("visit_complete").GetBoolean());
            }
        }

        // lab, xray, vitals first, in that order; then all the others, each once.
        Assert.Equal(["lab", "xray", "vitals"], walked.Take(3));
        Assert.Equal(Recruitment.Order(), walked.Order());
        var (_, complete) = await http.GetVisitAsync("12345678");
        Log("GET /api/v1/visits", 200, complete);
        Assert.Equal("COMPLETE", complete.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, complete.GetProperty("current").ValueKind);
        Assert.All(complete.Steps(), s => Assert.Equal("DONE", s.Status));

        // Once complete, the patient may queue anywhere again.
        var (enterStatus, _) = await http.EnterAsync("bones", "12345678");
        Assert.Equal(200, enterStatus);
    }

    [Fact]
    public async Task Sixty_patients_starting_the_same_exam_at_once_spread_over_its_clinics()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var users = Enumerable.Range(1, 60).Select(i => $"COOK{i:00}").ToList();

        // All start "cooks" (lab, internal, ent, surgery) at once: lab comes first for everyone.
        var started = await Task.WhenAll(users.Select(u => http.StartVisitAsync(u, "cooks")));
        Assert.All(started, s => Assert.Equal(200, s.Status));
        Assert.All(started, s => Assert.Equal("lab", s.Body.CurrentClinic()));
        Assert.Equal(Enumerable.Range(1, 60), started.Select(s => s.Body.GetProperty("current").GetProperty("number").GetInt32()).Order());

        // Lab finishes all sixty at once: each visit chooses among internal, ent and surgery at the same moment.
        var pin = (await http.PinsAsync())["lab"];
        var done = await Task.WhenAll(users.Select(u => http.DoneAsync("lab", u, pin)));
        Assert.All(done, d => Assert.Equal(200, d.Status));
        var spread = done.GroupBy(d => d.Body.GetProperty("next_clinic").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("After lab, 60 concurrent visits went to: " + string.Join(", ", spread.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));

        Assert.Equal(["ent", "internal", "surgery"], spread.Keys.Order());
        Assert.True(spread.Values.Max() - spread.Values.Min() <= 6, "the visits spread evenly instead of queueing at one clinic");
        foreach (var clinic in spread.Keys)
        {
            var numbers = done.Where(d => d.Body.GetProperty("next_clinic").GetString() == clinic)
                .Select(d => d.Body.GetProperty("next_number").GetInt32()).Order();
            Assert.Equal(Enumerable.Range(1, spread[clinic]), numbers);
        }

        await AssertOneWaitingTicketEachAsync(host, users, ["lab", "internal", "ent", "surgery"]);
    }

    [Fact]
    public async Task The_next_clinic_is_the_one_with_the_fewest_waiting_at_that_moment()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        foreach (var (clinic, count) in new[] { ("internal", 3), ("ent", 1), ("surgery", 2) })
        {
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(200, (await http.EnterAsync(clinic, $"{clinic}-plain-{i}")).Status);
            }
        }

        Assert.Equal(200, (await http.StartVisitAsync("ROUTE", "cooks")).Status);
        var pins = await http.PinsAsync();
        var (_, afterLab) = await http.DoneAsync("lab", "ROUTE", pins["lab"]);
        Assert.Equal("ent", afterLab.GetProperty("next_clinic").GetString());
        Assert.Equal(2, afterLab.GetProperty("next_number").GetInt32());

        // Meanwhile internal empties: two of its three are seen. Then internal (1) beats surgery (2).
        pins = await http.PinsAsync();
        Assert.Equal(200, (await http.DoneAsync("internal", "internal-plain-0", pins["internal"])).Status);
        Assert.Equal(200, (await http.DoneAsync("internal", "internal-plain-1", pins["internal"])).Status);
        var (_, afterEnt) = await http.DoneAsync("ent", "ROUTE", pins["ent"]);
        Assert.Equal("internal", afterEnt.GetProperty("next_clinic").GetString());
        Assert.Equal(4, afterEnt.GetProperty("next_number").GetInt32());

        var (_, afterInternal) = await http.DoneAsync("internal", "ROUTE", pins["internal"]);
        Assert.Equal("surgery", afterInternal.GetProperty("next_clinic").GetString());
    }

    [Fact]
    public async Task Repeated_and_concurrent_dones_for_one_step_open_exactly_one_next_ticket()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        Assert.Equal(200, (await http.StartVisitAsync("TWICE", "aviation")).Status);
        var pin = (await http.PinsAsync())["lab"];

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => http.DoneAsync("lab", "TWICE", pin)));
        var again = await http.DoneAsync("lab", "TWICE", pin);

        Assert.All(replies.Append(again), r => Assert.Equal(200, r.Status));
        var next = replies.Append(again).Select(r => (r.Body.GetProperty("next_clinic").GetString(), r.Body.GetProperty("next_number").GetInt32())).Distinct().ToList();
        var (clinic, number) = Assert.Single(next);
        Assert.Equal(1, number);
        var (_, visit) = await http.GetVisitAsync("TWICE");
        Assert.Equal(["lab", clinic!], visit.Steps().Where(s => s.Status != "PENDING").Select(s => s.Clinic));
        await AssertOneWaitingTicketEachAsync(host, ["TWICE"], ["lab", "eyes", "internal", "ent", "ecg", "audio"]);
        var stored = (await host.StoredStateAsync(clinic!))!;
        Assert.Single(stored.Tickets, t => t.BelongsTo("TWICE"));
    }

    [Fact]
    public async Task Starting_a_visit_again_returns_it_and_another_exam_the_same_day_is_refused()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => http.StartVisitAsync("SAME", "courses", "female")));
        Assert.All(concurrent, r => Assert.Equal(200, r.Status));
        Assert.Single(concurrent.Select(r => r.Body.GetProperty("current").GetProperty("number").GetInt32()).Distinct());
        // courses for a woman: lab, then women_eyes, surgery, women_internal in table order.
        Assert.Equal(["lab", "women_eyes", "surgery", "women_internal"], concurrent[0].Body.Steps().Select(s => s.Clinic));

        var (status, again) = await http.StartVisitAsync("same", "courses", "female");
        Assert.Equal(200, status);
        Assert.True(again.GetProperty("existing").GetBoolean());

        var (otherStatus, other) = await http.StartVisitAsync("SAME", "cooks");
        Assert.Equal(409, otherStatus);
        Assert.Equal("VISIT_EXISTS", other.GetProperty("code").GetString());
        var lab = (await host.StoredStateAsync("lab"))!;
        Assert.Single(lab.Tickets);
    }

    [Fact]
    public async Task A_patient_on_a_visit_queues_only_where_it_expects_them_and_a_no_show_is_taken_again_there()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        Assert.Equal(200, (await http.StartVisitAsync("LATE", "cooks")).Status);

        var (refused, error) = await http.EnterAsync("ent", "LATE");
        Assert.Equal(409, refused);
        Assert.Equal("VISIT_IN_PROGRESS", error.GetProperty("code").GetString());
        Assert.Contains("'lab'", error.GetProperty("error").GetString());
        Assert.Null((await host.StoredStateAsync("ent"))?.WaitingTicketOf("LATE"));

        // Staff call the patient, who is not there: the step shows NO_SHOW and the patient queues at lab again.
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic = "lab" }, staff: true)).Status);
        var (_, noShow) = await http.GetVisitAsync("LATE");
        Assert.Equal(("lab", "NO_SHOW", (int?)1), noShow.Steps()[0]);
        var (again, ticket) = await http.EnterAsync("lab", "LATE");
        Assert.Equal(200, again);
        Assert.Equal(2, ticket.GetProperty("number").GetInt32());
        var (_, followed) = await http.GetVisitAsync("LATE");
        Assert.Equal(("lab", "WAITING", (int?)2), followed.Steps()[0]);

        var pin = (await http.PinsAsync())["lab"];
        var (_, done) = await http.DoneAsync("lab", "LATE", pin);
        Assert.True(done.GetProperty("next_clinic_unlocked").GetBoolean());
        Assert.Equal(2, done.GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task A_visit_still_open_when_its_service_day_ends_is_closed_and_the_next_day_starts_clean()
    {
        // The app's clock stands 6 s before the 05:00 change of service day.
        var clock = new ShiftedClock(new DateTimeOffset(2026, 12, 1, 4, 59, 54, TimeSpan.FromHours(3)));
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), time: clock);
        using var http = host.NewHttp();
        var (status, started) = await http.StartVisitAsync("NIGHT", "cooks");
        Assert.Equal(200, status);
        Assert.Equal("2026-11-30", started.GetProperty("serviceDay").GetString());
        var id = QueueFunctions.Visits.VisitIds.For("NIGHT", new DateOnly(2026, 11, 30));

        var closed = await Eventually.UntilAsync(
            () => host.Client.GetInstanceAsync(id, getInputsAndOutputs: true),
            m => m?.ReadCustomStatusAs<QueueFunctions.Visits.VisitProgress>()?.Status == "CLOSED",
            TimeSpan.FromSeconds(60),
            "the visit to close at the end of its day");
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, closed!.RuntimeStatus);
        // The engine's timer and the app's clock differ by the start's latency; the new day is the app's to call.
        await Eventually.TrueAsync(() => clock.GetUtcNow() >= new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.FromHours(3)), TimeSpan.FromSeconds(10));

        var (missing, none) = await http.GetVisitAsync("NIGHT");
        Assert.Equal(404, missing);
        Assert.Equal("NO_VISIT", none.GetProperty("code").GetString());
        var (entered, ticket) = await http.EnterAsync("ent", "NIGHT");
        Assert.Equal(200, entered);
        Assert.Equal("2026-12-01", ticket.GetProperty("serviceDay").GetString());
        var (_, fresh) = await http.PostAsync("api/v1/queue/done", new { clinic = "ent", user = "NIGHT", pin = (await http.PinsAsync())["ent"] });
        var (restarted, today) = await http.StartVisitAsync("NIGHT", "cooks");
        Assert.Equal(200, restarted);
        Assert.False(today.GetProperty("existing").GetBoolean());
        Assert.Equal("2026-12-01", today.GetProperty("serviceDay").GetString());
        Assert.Equal(("lab", "WAITING", (int?)1), today.Steps()[0]);
        Assert.False(fresh.GetProperty("next_clinic_unlocked").GetBoolean());
    }

    /// <summary>Each user holds exactly one WAITING ticket over all the clinics given.</summary>
    private static async Task AssertOneWaitingTicketEachAsync(QueueFunctions.LocalHost.Hosting.LocalQueueHost host, IReadOnlyList<string> users, IReadOnlyList<string> clinics)
    {
        var states = await Task.WhenAll(clinics.Select(host.StoredStateAsync));
        foreach (var user in users)
        {
            Assert.Equal(1, states.Sum(s => s?.Tickets.Count(t => t.IsWaiting && t.BelongsTo(user)) ?? 0));
        }
    }

    private void Log(string what, int status, JsonElement body) => output.WriteLine($"{what}: {status} {body}");
}
