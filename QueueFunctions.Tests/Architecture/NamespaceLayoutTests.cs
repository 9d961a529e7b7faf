using System.Text.RegularExpressions;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Tests.Architecture;

/// <summary>
/// Each source file's namespace is its folder, so the namespace graph that <see cref="FolderDependencyTests"/> checks is
/// the folder graph a reader sees.
/// </summary>
public partial class NamespaceLayoutTests
{
    public static TheoryData<string> Projects => new() { "QueueFunctions", "QueueFunctions.LocalHost", "QueueFunctions.Benchmarks", "QueueFunctions.Tests" };

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_file_declares_the_namespace_of_its_folder(string project)
    {
        var root = Path.Combine(AzuriteProcess.FindRepositoryRoot()!, project);
        var misplaced = SourceFiles(root)
            .Select(file => (file, expected: ExpectedNamespace(project, root, file), declared: DeclaredNamespace(file)))
            .Where(f => f.declared is not null && f.declared != f.expected)
            .Select(f => $"{Path.GetRelativePath(root, f.file)}: {f.declared}, expected {f.expected}")
            .ToList();

        Assert.True(SourceFiles(root).Any(), $"No source files under {root}.");
        Assert.Empty(misplaced);
    }

    private static IEnumerable<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    private static string ExpectedNamespace(string project, string root, string file)
    {
        var folder = Path.GetRelativePath(root, Path.GetDirectoryName(file)!);
        return folder == "." ? project : $"{project}.{folder.Replace(Path.DirectorySeparatorChar, '.')}";
    }

    // Files with top-level statements or several namespaces (test samples) declare no single file-scoped namespace.
    private static string? DeclaredNamespace(string file) =>
        FileScopedNamespace().Match(File.ReadAllText(file)) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
