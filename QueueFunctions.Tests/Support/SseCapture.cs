using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace QueueFunctions.Tests.Support;

/// <summary>A response body that a test reads while the function is still writing it.</summary>
public sealed class SseCapture
{
    private readonly Pipe pipe = new();
    private readonly StringBuilder text = new();
    private readonly Task pump;

    public SseCapture(HttpContext context)
    {
        context.Response.Body = pipe.Writer.AsStream();
        pump = Task.Run(async () =>
        {
            using var reader = new StreamReader(pipe.Reader.AsStream(), Encoding.UTF8);
            var buffer = new char[1024];
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                lock (text)
                {
                    text.Append(buffer, 0, read);
                }
            }
        });
    }

    public string Text
    {
        get
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }

    /// <summary>The events written so far: blocks separated by a blank line.</summary>
    public IReadOnlyList<string> Blocks => Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

    public Task WaitForAsync(Func<string, bool> condition, string because) =>
        Eventually.TrueAsync(() => condition(Text), TimeSpan.FromSeconds(10), because + "\nStream so far:\n" + Text);

    /// <summary>Ends the body once the function has returned, so the reader sees the end.</summary>
    public async Task CompleteAsync()
    {
        await pipe.Writer.CompleteAsync();
        await pump;
    }
}
