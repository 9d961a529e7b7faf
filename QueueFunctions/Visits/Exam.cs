namespace QueueFunctions.Visits;

/// <summary>An examination a patient comes for: which clinics it takes them through, in the table's order.</summary>
/// <param name="Id">The lower-case id clients send, such as <c>recruitment</c>.</param>
/// <param name="Name">The Arabic name the screens show first.</param>
public sealed record Exam(string Id, string Name, IReadOnlyList<string> Clinics);
