using System.Diagnostics;
using QueueFunctions.Tests.Support.Clients;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>The manager's overview on the Azure Functions host itself: the host's key check, its page, its stream through the host's proxy.</summary>
[Collection(RealHostCollection.Name)]
public sealed class RealHostOverviewTests(RealHostFixture fixture, ITestOutputHelper output)
{
    const string Key = FunctionsHostInstance.FunctionKey;

    [RealHostFact]
    public async Task The_overview_answers_with_the_key_only_and_its_page_is_served()
    {
        using HttpClient http = fixture.Host.NewHttp();

        Assert.Equal(401, (await http.GetReplyAsync("api/v1/overview")).Status);
        Assert.Equal(401, (await http.GetReplyAsync("api/v1/overview", "wrong-key")).Status);
        Assert.Equal(401, (await http.GetReplyAsync("api/v1/overview/stream")).Status);
        RealHostHttp.Reply overview = await http.GetReplyAsync("api/v1/overview", Key);
        Assert.Equal(200, overview.Status);
        // Every clinic the tier's Queue:Clinics lists.
        Assert.Equal(
            RealHostFixture.DefaultClinics.Split(',').Length + RealHostFixture.TrafficClinics.Length + RealHostFixture.RetryClinics.Length,
            overview.Body.GetProperty("clinics").GetArrayLength());
        Assert.Equal(200, (await http.GetReplyAsync($"api/v1/overview?code={FunctionsHostInstance.MasterKey}")).Status);

        using HttpResponseMessage page = await http.GetAsync("overview");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("/assets/overview.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [RealHostFact]
    public async Task The_overview_stream_arrives_through_the_host_and_pushes_a_clinic_s_change()
    {
        using HttpClient http = fixture.Host.NewHttp();
        using HttpClient staff = fixture.Host.NewHttp();
        staff.DefaultRequestHeaders.Add("x-functions-key", Key);
        string clinic = "dental";
        Assert.Equal(200, (await http.PostReplyAsync("api/v1/queue/reset", new { clinic }, Key)).Status);
        await using SseClient stream = await SseClient.ConnectAsync(staff, "api/v1/overview/stream");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        await stream.WaitForAsync(e => e.Type == "OVERVIEW", TimeSpan.FromSeconds(10), "the overview at connect");

        var entered = Stopwatch.StartNew();
        Assert.Equal(200, (await http.EnterAsync(clinic, "RHO_1")).Status);
        await stream.WaitForAsync(
            e => e.Type == "CLINIC_UPDATE" && e.Json.GetProperty("clinic").GetString() == clinic && e.Json.GetProperty("figures").GetProperty("waiting").GetInt32() == 1,
            TimeSpan.FromSeconds(4),
            "the overview's push of the new ticket");
        output.WriteLine($"The overview saw the enter {entered.ElapsedMilliseconds} ms after it was sent.");
    }
}
