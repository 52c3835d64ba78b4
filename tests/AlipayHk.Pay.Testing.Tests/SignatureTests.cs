using System.Text;

namespace AlipayHk.Pay.Testing.Tests;

public sealed class SignatureTests
{
    // The test vector published on the gateway's webhook page (gateway-contract.md).
    private const string VectorBody = """{"notify_type":"refund_success","data":{"uid":39172931,"refund_id":"C34368224017070000","merchant_refund_id":"P2164521756312637123","order_amount":"105.00","create_time":"2023-08-23T18:25:43.511Z","refund_time":"2023-08-23T18:28:16.511Z"}}""";
    private const string VectorKey = "6d0e8fa7b10c40c3a48c0c2be41cb178";
    private const string VectorSignature = "3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a";

    [Fact]
    public void Signer_reproduces_the_gateways_published_test_vector()
    {
        Assert.Equal(VectorSignature, SimulatedCallbackSignature.Compute(VectorBody, VectorKey));
        Assert.Equal(VectorSignature, SimulatedCallbackSignature.Compute(Encoding.UTF8.GetBytes(VectorBody), VectorKey));
    }

    [Fact]
    public void Reference_formula_in_the_tests_matches_the_vector_too()
    {
        // The formula the other tests verify callbacks with, checked against the vector first.
        Assert.Equal(VectorSignature, WebhookSigning.Sign(Encoding.UTF8.GetBytes(VectorBody), VectorKey));
    }

    [Fact]
    public void Signature_changes_with_one_byte_of_body_or_key()
    {
        string original = SimulatedCallbackSignature.Compute(VectorBody, VectorKey);
        Assert.NotEqual(original, SimulatedCallbackSignature.Compute(VectorBody.Replace("105.00", "105.01", StringComparison.Ordinal), VectorKey));
        Assert.NotEqual(original, SimulatedCallbackSignature.Compute(VectorBody, VectorKey[..^1] + "9"));
        Assert.Matches("^[0-9a-f]{64}$", original);
    }
}
