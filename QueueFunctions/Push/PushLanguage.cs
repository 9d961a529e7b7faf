namespace QueueFunctions.Push;

/// <summary>The patient page's two languages; a push is written in the one the page was in when it subscribed.</summary>
public static class PushLanguage
{
    public const string Arabic = "ar";
    public const string English = "en";

    public static bool IsKnown(string lang) => lang is Arabic or English;
}
