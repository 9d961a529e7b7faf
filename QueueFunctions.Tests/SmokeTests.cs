namespace QueueFunctions.Tests;

public class SmokeTests
{
    [Fact]
    public void HostJsonIsCopied() => Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "host.json")));
}
