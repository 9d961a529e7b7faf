using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QueueFunctions.LocalHost.Http;

namespace QueueFunctions.Tests.LocalHost;

/// <summary>The local host's key check, request by request, against what the Functions host accepts.</summary>
public sealed class FunctionKeysTests
{
    private const string Function = "function-key-0123456789";
    private const string Master = "master-key-ABCDEFGHIJ";

    private static readonly FunctionKeys Keys = new(Function, Master);

    public static TheoryData<string, string?, string?, bool> FunctionLevel => new()
    {
        { "no key at all", null, null, false },
        { "the function key in the header", Function, null, true },
        { "the function key as code", null, Function, true },
        { "the master key in the header", Master, null, true },
        { "the master key as code", null, Master, true },
        { "a wrong key of the same length", "function-key-0123456780", null, false },
        { "the key without its last character", Function[..^1], null, false },
        { "the key and one character more", Function + "9", null, false },
        { "the key twice", Function + Function, null, false },
        { "the key in upper case", Function.ToUpperInvariant(), null, false },
        { "the key with a trailing space", Function + " ", null, false },
        { "an empty header", "", null, false },
        { "an empty code", null, "", false },
        { "a wrong header and the right code: the header wins, as on Azure", "wrong", Function, false },
        { "an empty header and the right code: the header is still the one read", "", Function, false },
        { "a right header and a wrong code", Function, "wrong", true },
        { "a key that differs only beyond the ASCII range", "function-key-012345678é", null, false },
    };

    [Theory]
    [MemberData(nameof(FunctionLevel))]
    public void Function_level_routes(string what, string? header, string? code, bool allowed)
    {
        Assert.True(allowed == Keys.Allows(AuthorizationLevel.Function, Request(header, code)), what);
    }

    [Fact]
    public void Admin_level_routes_take_the_master_key_only()
    {
        Assert.False(Keys.Allows(AuthorizationLevel.Admin, Request(Function, null)));
        Assert.False(Keys.Allows(AuthorizationLevel.Admin, Request(null, Function)));
        Assert.False(Keys.Allows(AuthorizationLevel.System, Request(Function, null)));
        Assert.True(Keys.Allows(AuthorizationLevel.Admin, Request(Master, null)));
        Assert.True(Keys.Allows(AuthorizationLevel.System, Request(null, Master)));
    }

    [Fact]
    public void Anonymous_routes_need_nothing()
    {
        Assert.True(Keys.Allows(AuthorizationLevel.Anonymous, Request(null, null)));
        Assert.True(Keys.Allows(AuthorizationLevel.Anonymous, Request("wrong", "wrong")));
    }

    [Fact]
    public void Of_several_header_values_the_first_is_the_key_as_on_Azure()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[FunctionKeys.HeaderName] = new([Function, "wrong"]);
        Assert.True(Keys.Allows(AuthorizationLevel.Function, request));

        request.Headers[FunctionKeys.HeaderName] = new(["wrong", Function]);
        Assert.False(Keys.Allows(AuthorizationLevel.Function, request));
    }

    [Fact]
    public void The_keys_never_show_in_their_text()
    {
        var text = Keys.ToString();
        Assert.DoesNotContain(Function, text);
        Assert.DoesNotContain(Master, text);
    }

    [Fact]
    public void Empty_keys_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new FunctionKeys("", Master));
        Assert.Throws<ArgumentException>(() => new FunctionKeys(Function, ""));
    }

    private static HttpRequest Request(string? header, string? code)
    {
        var request = new DefaultHttpContext().Request;
        if (header is not null)
        {
            request.Headers[FunctionKeys.HeaderName] = header;
        }

        if (code is not null)
        {
            request.QueryString = QueryString.Create(FunctionKeys.QueryName, code);
        }

        return request;
    }
}
