namespace QueueFunctions.Domain;

/// <summary>Makes the PIN of a clinic's service day.</summary>
public interface IPinGenerator
{
    string NewPin(int digits);
}
