// Two folders that use each other: what FolderDependencyTests must refuse.
namespace QueueFunctions.Tests.Architecture.CycleSample.Left
{
    public static class LeftSide
    {
        public static int Value => Right.RightSide.Base + 1;
    }
}

namespace QueueFunctions.Tests.Architecture.CycleSample.Right
{
    public static class RightSide
    {
        public static int Base => 1;

        public static int Twice => Left.LeftSide.Value * 2;
    }
}
