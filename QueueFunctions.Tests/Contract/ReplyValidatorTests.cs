using System.Text;

namespace QueueFunctions.Tests.Contract;

/// <summary>The reply check itself: it passes a conforming reply and catches each kind of departure, so the engine tests can fail.</summary>
public sealed class ReplyValidatorTests
{
    private const string Enter = "/api/v1/queue/enter";

    private static readonly ReplyValidator Validator = ReplyValidator.ForContract;

    private static ContractReply Json(int status, string body, params (string Name, string Value)[] headers) =>
        new(status, "application/json; charset=utf-8", headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), Encoding.UTF8.GetBytes(body));

    private static string EnterBody(string extra = "", string omit = "") =>
        "{" + string.Join(',', new[]
        {
            "\"success\":true", "\"clinic\":\"lab\"", "\"user\":\"12345678\"", "\"number\":3", "\"status\":\"WAITING\"", "\"ahead\":2",
            "\"current\":1", "\"serviceDay\":\"2026-11-29\"", "\"enteredAt\":\"2026-11-29T08:15:00.1234567+03:00\"", "\"existing\":false",
        }.Where(f => omit.Length == 0 || !f.StartsWith($"\"{omit}\"", StringComparison.Ordinal)).Append(extra).Where(f => f.Length > 0)) + "}";

    private static readonly (string, string) NoCache = ("Cache-Control", "no-cache");

    [Fact]
    public void A_reply_as_the_document_gives_it_passes() =>
        Assert.Empty(Validator.Problems("POST", Enter, Json(200, EnterBody(), NoCache)));

    [Fact]
    public void A_missing_required_field_is_caught() =>
        Assert.Contains(Validator.Problems("POST", Enter, Json(200, EnterBody(omit: "number"), NoCache)), p => p.Contains("number", StringComparison.Ordinal));

    [Fact]
    public void A_field_the_document_does_not_have_is_caught() =>
        Assert.NotEmpty(Validator.Problems("POST", Enter, Json(200, EnterBody(extra: "\"ticket\":3"), NoCache)));

    [Fact]
    public void A_value_of_the_wrong_shape_is_caught()
    {
        Assert.NotEmpty(Validator.Problems("POST", Enter, Json(200, EnterBody().Replace("\"WAITING\"", "\"waiting\"", StringComparison.Ordinal), NoCache)));
        Assert.NotEmpty(Validator.Problems("POST", Enter, Json(200, EnterBody().Replace("\"2026-11-29\"", "\"29/11/2026\"", StringComparison.Ordinal), NoCache)));
    }

    [Fact]
    public void An_error_code_the_status_does_not_list_is_caught()
    {
        Assert.Empty(Validator.Problems("POST", Enter, Json(404, """{"success":false,"error":"There is no clinic 'x'.","code":"UNKNOWN_CLINIC"}""")));
        Assert.NotEmpty(Validator.Problems("POST", Enter, Json(404, """{"success":false,"error":"Nobody is waiting.","code":"QUEUE_EMPTY"}""")));
    }

    [Fact]
    public void A_status_the_operation_does_not_document_is_caught() =>
        Assert.Contains(Validator.Problems("POST", Enter, Json(418, """{"success":false,"error":"x","code":"TIMEOUT"}""")), p => p.Contains("not documented", StringComparison.Ordinal));

    [Fact]
    public void An_operation_the_document_does_not_have_is_caught() =>
        Assert.NotEmpty(Validator.Problems("DELETE", Enter, Json(200, EnterBody(), NoCache)));

    [Fact]
    public void A_content_type_the_response_does_not_list_is_caught()
    {
        var html = new ContractReply(200, "text/html; charset=utf-8", new Dictionary<string, string> { ["Cache-Control"] = "no-cache" }, Encoding.UTF8.GetBytes(EnterBody()));
        Assert.Contains(Validator.Problems("POST", Enter, html), p => p.Contains("content type", StringComparison.Ordinal));
        var latin1 = Json(200, EnterBody(), NoCache) with { ContentType = "application/json; charset=iso-8859-1" };
        Assert.NotEmpty(Validator.Problems("POST", Enter, latin1));
    }

    [Fact]
    public void A_missing_required_header_is_caught()
    {
        const string unavailable = """{"success":false,"error":"The queue is unavailable.","code":"BACKEND_UNAVAILABLE"}""";
        Assert.Empty(Validator.Problems("POST", Enter, Json(503, unavailable, ("Retry-After", "5"))));
        Assert.Contains(Validator.Problems("POST", Enter, Json(503, unavailable)), p => p.Contains("Retry-After", StringComparison.Ordinal));
    }

    [Fact]
    public void A_body_where_the_document_gives_none_is_caught()
    {
        var keyless = new ContractReply(401, null, new Dictionary<string, string>(), []);
        Assert.Empty(Validator.Problems("POST", "/api/v1/queue/call", keyless));
        Assert.NotEmpty(Validator.Problems("POST", "/api/v1/queue/call", keyless with { Body = Encoding.UTF8.GetBytes("denied") }));
    }

    [Fact]
    public void A_text_body_is_held_to_its_pattern()
    {
        var csv = new ContractReply(200, "text/csv; charset=utf-8", new Dictionary<string, string> { ["Cache-Control"] = "no-cache" }, Encoding.UTF8.GetBytes("date,clinic\r\n"));
        Assert.NotEmpty(Validator.Problems("GET", "/api/v1/reports/daily", csv));
    }

    [Fact]
    public void A_stream_message_off_the_document_is_caught()
    {
        const string stream = "/api/v1/events/stream";
        Assert.Empty(Validator.EventDataProblems(stream, """{"type":"CONNECTED","clinic":"lab,xray","user":null,"timestamp":"2026-11-29T08:00:00+03:00"}"""));
        Assert.NotEmpty(Validator.EventDataProblems(stream, """{"type":"CONNECTED","clinic":"lab","timestamp":"2026-11-29T08:00:00+03:00"}"""));
        Assert.NotEmpty(Validator.EventDataProblems(stream, """{"type":"QUEUE_MOVED","clinic":"lab","current":1,"length":2,"waiting":1,"timestamp":"2026-11-29T08:00:00+03:00"}"""));
    }
}
