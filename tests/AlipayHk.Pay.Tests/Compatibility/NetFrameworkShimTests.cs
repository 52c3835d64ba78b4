#if NETFRAMEWORK
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using AlipayHk.Pay.Auth;

namespace AlipayHk.Pay.Tests.Compatibility;

/// <summary>
/// The core's .NET Framework shims (src/AlipayHk.Pay/Compatibility/Internal) do what the .NET APIs they stand for do,
/// and keep the security guarantees: the signature comparison cannot be optimised into an early exit. Run under Mono.
/// </summary>
public sealed class NetFrameworkShimTests
{
    [Fact]
    public void The_signature_comparison_is_the_sdks_constant_time_one_never_optimised_or_inlined()
    {
        Type operations = typeof(AlipayHkPayWebhookVerifier).Assembly.GetType("System.Security.Cryptography.CryptographicOperations", throwOnError: true)!;
        MethodInfo equals = operations.GetMethod("FixedTimeEquals", BindingFlags.Public | BindingFlags.Static)!;
        MethodInfo zero = operations.GetMethod("ZeroMemory", BindingFlags.Public | BindingFlags.Static)!;

        Assert.All([equals, zero], method => Assert.Equal(
            MethodImplAttributes.NoInlining | MethodImplAttributes.NoOptimization,
            method.MethodImplementationFlags & (MethodImplAttributes.NoInlining | MethodImplAttributes.NoOptimization)));
        Assert.True(FixedTimeEquals(equals, [1, 2, 3], [1, 2, 3]));
        Assert.False(FixedTimeEquals(equals, [1, 2, 3], [1, 2, 4]));
        Assert.False(FixedTimeEquals(equals, [9, 2, 3], [1, 2, 3]));
        Assert.False(FixedTimeEquals(equals, [1, 2], [1, 2, 3]));
    }

    [Fact]
    public void The_token_cache_yields_before_a_fetch_with_the_sdks_ConfigureAwait_not_polyfills()
    {
        // The fetch is recorded after it starts, inside a lock: it must never run to its end first (ConfigureAwaitShims.cs).
        Type stateMachine = typeof(AccessTokenCache).GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name.Contains("FetchAsync"));

        Assert.Contains(stateMachine.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public), f => f.FieldType.FullName!.Contains("ConfigureAwaitShims"));
    }

    [Fact]
    public async Task ForceYielding_never_continues_inline_even_on_a_completed_task()
    {
        int caller = Environment.CurrentManagedThreadId;
        bool insideOnCompleted = true;
        var ranInline = new TaskCompletionSource<bool>();
        object awaiter = Awaiter(Task.CompletedTask, "ForceYielding");

        Assert.False((bool)awaiter.GetType().GetProperty("IsCompleted")!.GetValue(awaiter)!);
        // Inline means: on the caller's thread before OnCompleted returned. (The same thread later is fine: the caller's
        // pool thread may well pick up the queued continuation once it is free.)
        awaiter.GetType().GetMethod("OnCompleted")!.Invoke(awaiter, [new Action(() =>
            ranInline.SetResult(Environment.CurrentManagedThreadId == caller && Volatile.Read(ref insideOnCompleted)))]);
        Volatile.Write(ref insideOnCompleted, false);

        Assert.False(await ranInline.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void SuppressThrowing_suppresses_and_None_throws()
    {
        Task failed = Task.FromException(new InvalidOperationException("failed"));
        object suppressed = Awaiter(failed, "SuppressThrowing");
        object plain = Awaiter(failed, "None");

        suppressed.GetType().GetMethod("GetResult")!.Invoke(suppressed, null);
        var thrown = Assert.Throws<TargetInvocationException>(() => plain.GetType().GetMethod("GetResult")!.Invoke(plain, null));
        Assert.IsType<InvalidOperationException>(thrown.InnerException);
    }

    [Theory]
    [InlineData(new byte[] { 0x41 }, true)]
    [InlineData(new byte[] { 0xC3, 0xA9 }, true)] // é
    [InlineData(new byte[] { 0xE4, 0xBD, 0xA0 }, true)] // 你
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80 }, true)] // U+1F600
    [InlineData(new byte[] { 0xF4, 0x8F, 0xBF, 0xBF }, true)] // U+10FFFF
    [InlineData(new byte[] { 0x80 }, false)] // a stray continuation byte
    [InlineData(new byte[] { 0xC0, 0xAF }, false)] // overlong '/'
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF }, false)] // overlong
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, false)] // a UTF-16 surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, false)] // above U+10FFFF
    [InlineData(new byte[] { 0xE4, 0xBD }, false)] // truncated
    [InlineData(new byte[] { 0xFF }, false)]
    public void Utf8_validation_agrees_with_the_strict_decoder(byte[] bytes, bool valid)
    {
        bool strict;
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            strict = true;
        }
        catch (DecoderFallbackException)
        {
            strict = false;
        }

        Assert.Equal(valid, Utf8.IsValid(bytes));
        Assert.Equal(valid, strict);
    }

    [Fact]
    public void TimeSpan_arithmetic_rounds_and_checks_as_on_dotnet()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), 4 * TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30) / 2);
        Assert.Equal(TimeSpan.FromTicks(2), TimeSpan.FromTicks(5) / 2.5);
        Assert.Throws<OverflowException>(() => TimeSpan.MaxValue * 2);
        Assert.Throws<ArgumentException>(() => TimeSpan.FromSeconds(1) / double.NaN);
    }

    [Fact]
    public void Removing_a_key_only_while_it_has_that_value()
    {
        var dictionary = new ConcurrentDictionary<string, string> { ["k"] = "new" };

        Assert.False(dictionary.TryRemove(new KeyValuePair<string, string>("k", "old")));
        Assert.True(dictionary.TryRemove(new KeyValuePair<string, string>("k", "new")));
        Assert.Empty(dictionary);
    }

    private delegate bool SpanEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right);

    private static bool FixedTimeEquals(MethodInfo method, byte[] left, byte[] right) =>
        ((SpanEquals)Delegate.CreateDelegate(typeof(SpanEquals), method))(left, right);

    /// <summary>The awaiter of the core's <c>task.ConfigureAwait(options)</c> (its ConfigureAwaitOptions is Polyfill's, internal to the core).</summary>
    private static object Awaiter(Task task, string options)
    {
        MethodInfo configure = typeof(ConfigureAwaitShims).GetMethod(nameof(ConfigureAwaitShims.ConfigureAwait), BindingFlags.NonPublic | BindingFlags.Static)!;
        object awaitable = configure.Invoke(null, [task, Enum.Parse(configure.GetParameters()[1].ParameterType, options)])!;
        return awaitable.GetType().GetMethod("GetAwaiter")!.Invoke(awaitable, null)!;
    }
}
#endif
