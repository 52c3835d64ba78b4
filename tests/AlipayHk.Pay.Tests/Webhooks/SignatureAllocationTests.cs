namespace AlipayHk.Pay.Tests.Webhooks;

/// <summary>
/// The signature check allocates nothing, whatever the body size and however the signature is written. Allocation
/// assertions (bytes on this thread), not timing ones.
/// </summary>
public sealed class SignatureAllocationTests
{
    private const string Key = PublishedExamples.WebhookVectorKey;
    private readonly AlipayHkPayWebhookVerifier _verifier = new(Key);

    [Theory]
    [InlineData(0)]
    [InlineData(229)]
    [InlineData(2048 - 33)] // on .NET Framework, bodies are copied to a pooled buffer with the key: around 2 KiB of pool sizes
    [InlineData(2048 - 33 + 1)]
    [InlineData(4096)]
    public void Checking_a_signature_allocates_nothing_at_any_size(int size)
    {
        byte[] body = new byte[size];
        Random.Shared.NextBytes(body);
        string lower = WebhookSigning.Sign(body, Key);
        string upper = "  " + lower.ToUpperInvariant() + "\t";
        string wrong = (lower[0] == '0' ? "1" : "0") + lower[1..];
        string notHex = "zz" + lower[2..];
        for (int i = 0; i < 3; i++) // warm the JIT and the pool
        {
            _ = _verifier.SignatureMatches(body, lower) && _verifier.SignatureMatches(body, upper);
            _ = _verifier.SignatureMatches(body, wrong) || _verifier.SignatureMatches(body, notHex);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool matchedLower = _verifier.SignatureMatches(body, lower);
        bool matchedUpper = _verifier.SignatureMatches(body, upper);
        bool matchedWrong = _verifier.SignatureMatches(body, wrong);
        bool matchedNotHex = _verifier.SignatureMatches(body, notHex);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(matchedLower);
        Assert.True(matchedUpper);
        Assert.False(matchedWrong);
        Assert.False(matchedNotHex);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Signatures_checked_on_many_threads_at_once_each_get_their_own_answer()
    {
        // The hash is kept per thread and reset after each use: callbacks checked at the same time never mix.
        byte[][] bodies = [.. Enumerable.Range(0, 64).Select(i => System.Text.Encoding.UTF8.GetBytes($"{{\"notify_type\":\"payment_success\",\"data\":{{\"order_id\":\"{i}\"}}}}"))];
        string[] signatures = [.. bodies.Select(b => WebhookSigning.Sign(b, Key))];
        int wrong = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, i =>
        {
            int n = i % bodies.Length;
            if (!_verifier.SignatureMatches(bodies[n], signatures[n]) || _verifier.SignatureMatches(bodies[n], signatures[(n + 1) % bodies.Length]))
            {
                Interlocked.Increment(ref wrong);
            }
        });
        Assert.Equal(0, wrong);
    }

    [Fact]
    public void The_hash_comparison_finds_a_difference_in_any_byte_and_any_bit()
    {
        byte[] hash = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
        Assert.True(AlipayHkPayWebhookVerifier.HashesEqual(hash, [.. hash]));
        for (int i = 0; i < 32; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] other = [.. hash];
                other[i] ^= (byte)(1 << bit);
                Assert.False(AlipayHkPayWebhookVerifier.HashesEqual(hash, other));
            }
        }

        Assert.False(AlipayHkPayWebhookVerifier.HashesEqual(hash, hash.AsSpan(0, 31)));
        Assert.False(AlipayHkPayWebhookVerifier.HashesEqual(hash.AsSpan(0, 31), hash));
    }
}
