using ArchUnitNET.Domain;
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
