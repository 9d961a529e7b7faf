using System.Net.Http.Headers;
using System.Text;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Contract;

/// <summary>
/// Sends requests to the running app and holds every reply to the document: the status the walk-through expects is
/// asserted at once (the rest of a walk-through builds on it); departures from the document are collected, so one run
/// shows them all.
/// </summary>
public sealed class ContractClient(HttpClient http, ReplyValidator validator)
{
    private readonly List<string> problems = [];
    private readonly HashSet<string> seen = [];

    // A walk-through may send several requests at once.
    private readonly Lock gate = new();

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (gate)
            {
                return problems.ToList();
            }
        }
    }

    /// <summary>Each operation and status checked, as <c>GET /path 200</c>.</summary>
    public IReadOnlyCollection<string> Seen
    {
        get
        {
            lock (gate)
            {
                return seen.ToList();
            }
        }
    }

    public async Task<ContractReply> GetAsync(int expected, string path, string query = "", bool staff = false, string? target = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, (target ?? path) + (query.Length > 0 ? "?" + query : string.Empty));
        return await SendAsync(expected, path, request, staff);
    }

    /// <param name="contentType">The declared type of the body; null sends none.</param>
    public async Task<ContractReply> PostAsync(
        int? expected, string path, string json, bool staff = false, string? idempotencyKey = null, string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await SendAsync(expected, path, request, staff);
    }

    /// <summary>A DELETE that names what it removes in a JSON body.</summary>
    public async Task<ContractReply> DeleteAsync(int? expected, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return await SendAsync(expected, path, request, staff: false);
    }

    /// <summary>Holds a reply already read (an event stream's opening) to the document.</summary>
    public ContractReply Check(int? expected, string method, string path, ContractReply reply)
    {
        Assert.True(expected is null || reply.Status == expected, $"{method} {path}: expected {expected}, got {reply}");
        var found = validator.Problems(method, path, reply);
        lock (gate)
        {
            seen.Add($"{method} {path} {reply.Status}");
            problems.AddRange(found);
        }

        return reply;
    }

    /// <summary>Holds each <c>data:</c> message of an event stream to the document's message schema.</summary>
    public void CheckEventData(string path, IEnumerable<string> data)
    {
        foreach (var line in data)
        {
            var found = validator.EventDataProblems(path, line);
            lock (gate)
            {
                problems.AddRange(found);
            }
        }
    }

    private async Task<ContractReply> SendAsync(int? expected, string path, HttpRequestMessage request, bool staff)
    {
        if (staff)
        {
            request.Headers.Add("x-functions-key", QueueAppHost.StaffKey);
        }

        using var response = await http.SendAsync(request);
        return Check(expected, request.Method.Method, path, await ContractReply.ReadAsync(response));
    }
}
