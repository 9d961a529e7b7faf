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
}
