using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using QueueFunctions.Api;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Api;

/// <summary>Bodies and query strings that are not what a client should send: each is the client's error, never a 500.</summary>
public class HostileInputTests
{
    private readonly QueueApi api = new(new QueueBackend());

    [Theory]
    [InlineData("{\"clinic\":\"lab\",\"clinic\":\"xray\",\"user\":\"A\"}")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"A\",\"user\":\"B\"}")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"A\",\"x\":1,\"x\":2}")]
    public async Task A_key_given_twice_is_invalid_json_and_takes_no_ticket(string body)
    {
        (await api.EnterAsync(Http.Post(body))).AssertError(400, "INVALID_JSON");

        Assert.Empty(api.Backend.Signals);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=b")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/jsonx")]
    [InlineData("application/problem+json")]
    [InlineData("json")]
    [InlineData(";;")]
    public async Task A_body_declared_as_anything_but_json_in_utf8_is_415_and_takes_no_ticket(string contentType)
    {
        // The body itself is a valid enter, so only the declaration can refuse it.
        var request = Http.Post("{\"clinic\":\"lab\",\"user\":\"A\"}");
        request.ContentType = contentType;

        (await api.EnterAsync(request)).AssertError(415, "UNSUPPORTED_MEDIA_TYPE");
        Assert.Empty(api.Backend.Signals);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; Charset=UTF-8")]
    [InlineData(null)]
    public async Task A_body_declared_as_json_in_utf8_or_not_declared_at_all_is_read(string? contentType)
    {
        var request = Http.Post("{\"clinic\":\"lab\",\"user\":\"A\"}");
        request.ContentType = contentType;

        var response = await api.EnterAsync(request);

        Assert.Equal(200, response.Status);
        Assert.Single(api.Backend.Signals);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_invalid_json_even_in_a_field_nobody_reads()
    {
        var request = Http.Post("");
        request.Body = new MemoryStream([.. "{\"clinic\":\"lab\",\"user\":\"A\",\"note\":\""u8, 0xff, .. "\"}"u8]);
        request.ContentLength = request.Body.Length;

        (await api.EnterAsync(request)).AssertError(400, "INVALID_JSON");
        Assert.Empty(api.Backend.Signals);
    }

    [Fact]
    public async Task A_body_that_never_finishes_is_408_once_the_read_time_is_up()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("{\"clinic\":"u8.ToArray());
        var request = Http.Post("");
        request.ContentLength = null;
        request.Body = pipe.Reader.AsStream();

        var problem = await Assert.ThrowsAsync<ApiProblem>(() => JsonBody.ReadAsync(request, TimeSpan.FromMilliseconds(200), CancellationToken.None));

        Assert.Equal((408, "REQUEST_TIMEOUT"), (problem.Status, problem.Code));
    }

    [Theory]
    [InlineData(StatusCodes.Status408RequestTimeout, 408, "REQUEST_TIMEOUT")]
    [InlineData(StatusCodes.Status413PayloadTooLarge, 413, "BODY_TOO_LARGE")]
    [InlineData(StatusCodes.Status400BadRequest, 400, "INVALID_JSON")]
    public async Task A_body_the_server_itself_refuses_is_the_clients_error(int serverStatus, int status, string code)
    {
        var request = Http.Post("");
        request.Body = new RefusedBody(new BadHttpRequestException("refused by the server", serverStatus));

        (await api.EnterAsync(request)).AssertError(status, code);
    }

    [Fact]
    public async Task A_body_whose_framing_breaks_while_it_is_read_is_invalid_json()
    {
        var request = Http.Post("");
        request.Body = new RefusedBody(new IOException("Bad chunk size data."));

        (await api.EnterAsync(request)).AssertError(400, "INVALID_JSON");
    }

    [Theory]
    [InlineData("?clinic=lab&clinic=xray", "INVALID_CLINIC")]
    [InlineData("?clinic=lab&user=A&user=B", "INVALID_USER")]
    [InlineData("?clinic=lab&clinic=lab", "INVALID_CLINIC")]
    public async Task A_query_parameter_given_twice_is_refused_not_joined(string query, string code) =>
        (await api.StatusAsync(query)).AssertError(400, code);

    /// <summary>A request body whose read fails as Kestrel's does when it refuses the body.</summary>
    private sealed class RefusedBody(Exception failure) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw failure;
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(failure);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
