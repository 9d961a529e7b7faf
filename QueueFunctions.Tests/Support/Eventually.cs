namespace QueueFunctions.Tests.Support;

/// <summary>Waits for a condition with a deadline, checking often: synchronisation without fixed sleeps.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan within, string? because = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(because ?? $"The condition did not hold within {within}.");
            }

            await Task.Delay(10);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string? because = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(because ?? $"The condition did not hold within {within}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds, or fails at the deadline with the last value seen.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan deadline, string what, TimeSpan? interval = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = await read();
        while (!done(last))
        {
            if (clock.Elapsed > deadline)
            {
                Assert.Fail($"Timed out after {deadline.TotalSeconds:0} s waiting for {what}. Last value: {System.Text.Json.JsonSerializer.Serialize(last)}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
            last = await read();
        }

        return last;
    }
}
