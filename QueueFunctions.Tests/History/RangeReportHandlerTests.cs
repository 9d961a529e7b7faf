using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.History;
using QueueFunctions.Tests.Support;
using Options = Microsoft.Extensions.Options.Options;

namespace QueueFunctions.Tests.History;

/// <summary>
/// The range report refuses a bad request before it reads anything: the history here is a table on a storage account
/// that does not exist, so any request that got as far as reading would fail with 503, not the code asked for.
/// </summary>
public class RangeReportHandlerTests
{
    private static async Task<WireResponse> GetAsync(string query)
    {
        var options = Options.Create(new QueueOptions());
        var nowhere = new TableServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"), new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])));
        var handler = new RangeReportHandler(
            new ClinicDirectory(options),
            new HistoryTable(nowhere, Options.Create(new HistoryOptions()), NullLogger<HistoryTable>.Instance),
            Clinic.Rules,
            new FakeTimeProvider(Clinic.Morning),
            options);
        return await Http.SendAsync(await ApiEndpoint.GetAsync(() => handler.HandleAsync(Http.Get(query), CancellationToken.None)));
    }

    [Theory]
    [InlineData("", 400, "MISSING_FIELD")]
    [InlineData("?to=2026-11-29", 400, "MISSING_FIELD")]
    [InlineData("?from=2026-11-01", 400, "MISSING_FIELD")]
    [InlineData("?from=2026-11-01&to=", 400, "MISSING_FIELD")]
    [InlineData("?from=2026-11-01&to=30-11-2026", 400, "INVALID_DATE")]
    [InlineData("?from=2026-11-01&from=2026-11-02&to=2026-11-29", 400, "INVALID_DATE")]
    [InlineData("?from=2026-11-01&to=2026-11-20&to=2026-11-29", 400, "INVALID_DATE")]
    [InlineData("?from=2026-11-29&to=2026-11-01", 400, "INVALID_RANGE")]
    [InlineData("?from=2026-11-29&to=2026-11-30", 400, "INVALID_RANGE")]
    [InlineData("?from=2026-08-01&to=2026-11-29", 400, "INVALID_RANGE")]
    [InlineData("?from=2026-11-01&to=2026-11-29&clinic=LAB%20X", 400, "INVALID_CLINIC")]
    [InlineData("?from=2026-11-01&to=2026-11-29&clinic=lab&clinic=xray", 400, "INVALID_CLINIC")]
    [InlineData("?from=2026-11-01&to=2026-11-29&clinic=nowhere", 404, "UNKNOWN_CLINIC")]
    [InlineData("?from=2026-11-01&to=2026-11-29&format=xml", 400, "INVALID_FORMAT")]
    [InlineData("?from=2026-11-01&to=2026-11-29&format=csv&format=json", 400, "INVALID_FORMAT")]
    public async Task A_bad_request_gets_its_code_before_the_history_is_read(string query, int status, string code)
    {
        var reply = await GetAsync(query);

        reply.AssertError(status, code);
    }

    [Fact]
    public async Task A_good_request_does_read_the_history_so_the_refusals_above_are_the_handlers_own()
    {
        var reply = await GetAsync("?from=2026-11-01&to=2026-11-29&clinic=lab&format=CSV");

        reply.AssertError(503, ErrorCodes.BackendUnavailable);
    }
}
