namespace AlipayHk.Pay.Shared;

/// <summary>In the test projects (linked next to RealParts.cs): a missing part skips the test, or fails it under CI=true.</summary>
public sealed partial class RealPart
{
    static partial void SkipOrFail(string reason, bool ci)
    {
        if (ci)
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }
}
