using System.Text.Json;
using QueueFunctions.Tests.Support;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Engine;

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

    private void Log(string what, int status, JsonElement body) => output.WriteLine($"{what}: {status} {body}");
}
