using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Primitives;

namespace QueueFunctions.LocalHost.Http;

/// <summary>
/// Function keys checked as the Functions host checks them: the <c>x-functions-key</c> header, or when the request has
/// no such header the <c>code</c> query parameter; the first value of either. A header that is present but wrong is not
/// rescued by a right <c>code</c>, as on Azure.
/// </summary>
/// <remarks>
/// Not a record: a record's generated ToString would print the keys wherever the object is logged or shown in a debugger.
/// </remarks>
public sealed class FunctionKeys
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private readonly byte[] functionKey;
    private readonly byte[] masterKey;

    public FunctionKeys(string functionKey, string masterKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionKey);
        ArgumentException.ThrowIfNullOrEmpty(masterKey);
        this.functionKey = Encoding.UTF8.GetBytes(functionKey);
        this.masterKey = Encoding.UTF8.GetBytes(masterKey);
    }

    public bool Allows(AuthorizationLevel level, HttpRequest request)
    {
        if (level is AuthorizationLevel.Anonymous or AuthorizationLevel.User)
        {
            return true;
        }

        if (Presented(request) is not { Length: > 0 } presented)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);

        // Both comparisons always run, so the time taken does not tell which key (if either) matched.
        var isMaster = Matches(bytes, masterKey);
        var isFunction = Matches(bytes, functionKey);
        return level == AuthorizationLevel.Function ? isMaster | isFunction : isMaster;
    }

    public override string ToString() => "FunctionKeys (values hidden)";

    private static string? Presented(HttpRequest request) =>
        request.Headers.TryGetValue(HeaderName, out StringValues header) ? header.FirstOrDefault()
        : request.Query.TryGetValue(QueryName, out StringValues code) ? code.FirstOrDefault()
        : null;

    /// <summary>
    /// FixedTimeEquals returns at once when the lengths differ, which would let a caller find the key's length by
    /// timing. Comparing the presented bytes with the key cut or zero-padded to the presented length makes the time
    /// depend on the caller's own input only; the length check is folded in without a branch.
    /// </summary>
    private static bool Matches(byte[] presented, byte[] key)
    {
        var expected = new byte[presented.Length];
        key.AsSpan(0, Math.Min(key.Length, presented.Length)).CopyTo(expected);
        return CryptographicOperations.FixedTimeEquals(presented, expected) & presented.Length == key.Length;
    }
}
