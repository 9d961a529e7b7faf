using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.LocalHost.CommandLine;

/// <summary>
/// <c>vapid-keys</c>: prints the development pair as environment settings, for the Functions host
/// (<c>export $(dotnet run --project QueueFunctions.LocalHost -- vapid-keys | grep '^Push__')</c>); <c>vapid-keys --new</c> prints a fresh
/// pair, kept nowhere, for a deployment's Key Vault.
/// </summary>
public static class VapidKeysCommand
{
    public static int Run(string[] args)
    {
        string publicKey, privateKey;
        if (args is ["--new"])
        {
            (publicKey, privateKey) = DevelopmentPushKeys.NewPair();
        }
        else
        {
            string? repo = AzuriteProcess.FindRepositoryRoot() ?? AzuriteProcess.FindRepositoryRoot(Directory.GetCurrentDirectory());
            if (repo is null)
            {
                Console.Error.WriteLine("Cannot find the repository root; run it from the repository.");
                return 2;
            }

            (publicKey, privateKey, _) = DevelopmentPushKeys.Ensure(DevelopmentPushKeys.SettingsFile(repo));
        }

        Console.WriteLine($"Push__PublicKey={publicKey}");
        Console.WriteLine($"Push__PrivateKey={privateKey}");
        return 0;
    }
}
