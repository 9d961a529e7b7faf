using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using QueueFunctions.Domain;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace QueueFunctions.Tests.Architecture;

/// <summary>
/// The app's folders (one namespace each, see <see cref="NamespaceLayoutTests"/>) depend on each other one way only, so a
/// reader can learn a folder from those below it. Read from the compiled code, so a dependency hidden in a method body
/// or a fully qualified name counts as much as a using line. The root namespace (Program, service registration) is
/// the composition root and may use every folder.
/// </summary>
public class FolderDependencyTests
{
    private static readonly ArchUnitNET.Domain.Architecture App =
        new ArchLoader().LoadAssemblies(typeof(ClinicQueueState).Assembly).Build();

    private static readonly ArchUnitNET.Domain.Architecture CycleSample =
        new ArchLoader().LoadAssemblies(typeof(FolderDependencyTests).Assembly).Build();

    [Fact]
    public void The_app_folders_do_not_depend_on_each_other_in_circles() =>
        Slices().Matching("QueueFunctions.(*)").Should().BeFreeOfCycles().Check(App);

    [Fact]
    public void Sub_folders_do_not_depend_on_each_other_in_circles_either() =>
        Slices().Matching("QueueFunctions.(**)").Should().BeFreeOfCycles().Check(App);

    /// <summary>The order of README's "Where things are" and docs/ARCHITECTURE.md: each folder uses only those after it.</summary>
    private static readonly string[] Layers =
        ["Pages", "Overview", "History", "Push", "Streams", "Visits", "Queueing", "FloodControl", "Api", "Configuration", "Domain"];

    public static TheoryData<string> Folders => new(Layers);

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_uses_no_folder_above_it_in_the_documented_order(string folder)
    {
        var above = Layers.TakeWhile(f => f != folder).ToList();

        // A listed folder must hold code: ArchUnitNET would pass a rule that selects no types, so a misspelt name would hide.
        Assert.Contains(App.Types, t => InFolder(t.Namespace.FullName, folder));
        if (above.Count == 0)
        {
            return;
        }

        var pattern = $@"^QueueFunctions\.({string.Join("|", above)})(\.|$)";
        ArchRuleDefinition.Types().That().ResideInNamespaceMatching($@"^QueueFunctions\.{folder}(\.|$)")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(pattern)
            .Check(App);
    }

    private static bool InFolder(string ns, string folder) => ns == $"QueueFunctions.{folder}" || ns.StartsWith($"QueueFunctions.{folder}.", StringComparison.Ordinal);

    [Fact]
    public void Every_app_folder_has_its_place_in_the_documented_order()
    {
        var folders = App.Namespaces.Select(n => n.FullName.Split('.')).Where(p => p.Length > 1 && p[0] == "QueueFunctions").Select(p => p[1]).Distinct();

        Assert.Empty(folders.Except(Layers));
    }

    [Fact]
    public void The_check_finds_a_cycle_where_there_is_one()
    {
        var rule = Slices().Matching("QueueFunctions.Tests.Architecture.CycleSample.(*)").Should().BeFreeOfCycles();

        Assert.False(rule.HasNoViolations(CycleSample));
    }

    [Fact]
    public void The_domain_uses_no_other_folder_and_no_Azure_or_HTTP_types()
    {
        IArchRule rule = ArchRuleDefinition.Types().That().ResideInNamespace("QueueFunctions.Domain")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^(QueueFunctions\.(?!Domain)|Azure|Microsoft\.Azure|Microsoft\.DurableTask|Microsoft\.AspNetCore)");

        rule.Check(App);
    }
}
