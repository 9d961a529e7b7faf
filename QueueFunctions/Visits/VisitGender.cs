namespace QueueFunctions.Visits;

/// <summary>The genders a visit is routed for: women see the women's clinics instead of some shared ones.</summary>
public static class VisitGender
{
    public const string Male = "male";
    public const string Female = "female";

    public static bool TryNormalize(string? raw, out string gender)
    {
        gender = raw?.Trim().ToLowerInvariant() ?? string.Empty;
        return gender is Male or Female;
    }
}
