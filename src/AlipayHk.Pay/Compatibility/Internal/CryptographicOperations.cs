#if NETFRAMEWORK
using System.Runtime.CompilerServices;

namespace System.Security.Cryptography;

/// <summary>
/// .NET Core 2.1's <c>CryptographicOperations</c>, as the runtime writes it, for the webhook signature on .NET Framework
/// (Polyfill's copy is left out, see AlipayHk.Pay.csproj): the comparison's time depends on the length only, never on
/// where the bytes differ, and neither method may be optimised away or inlined into a caller that could shortcut it.
/// </summary>
internal static class CryptographicOperations
{
    /// <summary>Whether two byte sequences are equal, in a time that depends on their length but not their contents.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static bool FixedTimeEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        int length = left.Length;
        int accumulator = 0;
        for (int i = 0; i < length; i++)
        {
            accumulator |= left[i] - right[i];
        }

        return accumulator == 0;
    }

    /// <summary>Fills the buffer with zeros, in a way the JIT cannot remove as a dead store.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static void ZeroMemory(Span<byte> buffer) => buffer.Clear();
}
#endif
