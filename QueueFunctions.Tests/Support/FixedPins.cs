using QueueFunctions.Domain;

namespace QueueFunctions.Tests.Support;

/// <summary>Hands out known PINs in order, so tests can type the right one and a wrong one.</summary>
public sealed class FixedPins(params string[] pins) : IPinGenerator
{
    private int next;

    public int Made => next;

    public string NewPin(int digits) => pins[next++ % pins.Length];
}
