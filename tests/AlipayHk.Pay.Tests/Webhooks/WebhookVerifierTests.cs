using System.Text;
using System.Text.Json;

namespace AlipayHk.Pay.Tests.Webhooks;

public sealed class WebhookVerifierTests
{
    private const string Key = WebhookSigning.VectorKey;
    private readonly AlipayHkPayWebhookVerifier _verifier = new(Key);

    [Fact]
    public void The_gateways_published_test_vector_verifies_and_parses_as_a_typed_refund()
    {
        WebhookNotification notification = _verifier.Verify(Encoding.UTF8.GetBytes(WebhookSigning.VectorBody), WebhookSigning.VectorSignature);

        Assert.Equal(WebhookNotifyTypes.RefundSuccess, notification.NotifyType);
        WebhookRefund refund = Assert.IsType<WebhookRefund>(notification.Refund);
        Assert.True(refund.Succeeded);
        Assert.Equal("C34368224017070000", refund.RefundId);
        Assert.Equal("P2164521756312637123", refund.MerchantRefundId);
        Assert.Equal(105.00m, refund.OrderAmount);
        Assert.Equal("39172931", refund.Uid); // a JSON number, read as text
        Assert.Equal(new DateTimeOffset(2023, 8, 23, 18, 25, 43, 511, TimeSpan.Zero), refund.CreateTime);
        Assert.Equal(new DateTimeOffset(2023, 8, 23, 18, 28, 16, 511, TimeSpan.Zero), refund.RefundTime);
        Assert.Equal(PaymentStatus.Unknown, notification.Status);
        Assert.Equal(39172931, notification.Data.GetProperty("uid").GetInt64());
    }

    [Fact]
    public void The_string_overload_verifies_the_same_vector()
    {
        WebhookNotification notification = _verifier.Verify(WebhookSigning.VectorBody, WebhookSigning.VectorSignature);
        Assert.Equal("C34368224017070000", notification.Refund!.RefundId);
    }

    [Theory]
    [InlineData("3CE5A54D8A76590179F0F4192A6C0EFDDF20E118966B6276B1BFBBC0B33F362A")]
    [InlineData("3ce5a54d8a76590179f0f4192a6c0efddf20e118966B6276B1BFBBC0B33F362A")]
    [InlineData("  3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a\t")]
    public void Upper_case_mixed_case_and_padded_hex_signatures_verify(string signature)
    {
        WebhookNotification notification = _verifier.Verify(WebhookSigning.VectorBody, signature);
        Assert.Equal(WebhookNotifyTypes.RefundSuccess, notification.NotifyType);
    }

    [Theory]
    [InlineData(" ", "\r\n")]
    [InlineData("\t", "\n")]
    [InlineData("\r\n ", " \t")]
    public void Ascii_white_space_around_the_signature_is_ignored(string before, string after)
    {
        WebhookNotification notification = _verifier.Verify(WebhookSigning.VectorBody, before + WebhookSigning.VectorSignature + after);
        Assert.Equal(WebhookNotifyTypes.RefundSuccess, notification.NotifyType);
    }

    [Theory]
    [InlineData("\u00A0", "")] // no-break space
    [InlineData("", "\u3000")] // ideographic space
    [InlineData("\u2003", "\u2003")] // em space
    [InlineData("\u0085", "")] // next line
    [InlineData("", "\u2028")] // line separator
    [InlineData("\u000B", "")] // vertical tab: ASCII, but not HTTP white space
    public void Other_white_space_around_the_signature_is_a_mismatch(string before, string after)
    {
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(
            () => _verifier.Verify(WebhookSigning.VectorBody, before + WebhookSigning.VectorSignature + after));

        Assert.Equal(WebhookFailureReason.SignatureMismatch, ex.Reason);
        Assert.Contains($", {64 + before.Length + after.Length} characters)", ex.Message, StringComparison.Ordinal); // counted, not trimmed
    }

    [Fact]
    public void A_signature_of_only_non_ascii_white_space_is_a_mismatch_not_missing()
    {
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(WebhookSigning.VectorBody, "\u00A0\u3000"));
        Assert.Equal(WebhookFailureReason.SignatureMismatch, ex.Reason);
    }

    [Fact]
    public void A_tampered_body_is_a_signature_mismatch()
    {
        string tampered = WebhookSigning.VectorBody.Replace("105.00", "1050.00", StringComparison.Ordinal);
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(tampered, WebhookSigning.VectorSignature));
        Assert.Equal(WebhookFailureReason.SignatureMismatch, ex.Reason);
    }

    [Fact]
    public void A_body_with_one_extra_space_is_a_signature_mismatch_because_the_raw_bytes_are_signed()
    {
        string reserialized = WebhookSigning.VectorBody.Replace(",", ", ", StringComparison.Ordinal);
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(reserialized, WebhookSigning.VectorSignature));
        Assert.Equal(WebhookFailureReason.SignatureMismatch, ex.Reason);
        Assert.Contains("re-serialized", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_key_is_a_mismatch_whose_message_names_the_setting_but_never_the_key_or_expected_signature()
    {
        var verifier = new AlipayHkPayWebhookVerifier(new AlipayHkPayOptions { ClientSecret = "the-client-secret-0123456789" });
        string signature = WebhookSigning.Sign(WebhookSigning.VectorBody, "some-other-key");

        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => verifier.Verify(WebhookSigning.VectorBody, signature));

        Assert.Equal(WebhookFailureReason.SignatureMismatch, ex.Reason);
        Assert.Contains("AlipayHkPay:ClientSecret", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AlipayHkPay:WebhookKey", ex.Message, StringComparison.Ordinal); // how to fix it
        Assert.Contains("'Signature' header", ex.Message, StringComparison.Ordinal);
        Assert.Contains(signature[..8], ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("the-client-secret", ex.Message, StringComparison.Ordinal);
        string expected = WebhookSigning.Sign(WebhookSigning.VectorBody, "the-client-secret-0123456789");
        Assert.DoesNotContain(expected[..16], ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_mismatch_with_a_separate_webhook_key_names_WebhookKey_as_the_source()
    {
        var verifier = new AlipayHkPayWebhookVerifier(new AlipayHkPayOptions { ClientSecret = "client-secret", WebhookKey = "notify-key-abcdef", WebhookSignatureHeader = "X-Notify-Sign" });
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => verifier.Verify(WebhookSigning.VectorBody, WebhookSigning.VectorSignature));

        Assert.Contains("key from AlipayHkPay:WebhookKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fallback", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'X-Notify-Sign' header", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("notify-key-abcdef", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mismatch_with_a_verifier_built_from_a_key_says_so_without_the_key()
    {
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(
            () => _verifier.Verify(WebhookSigning.VectorBody, WebhookSigning.Sign(WebhookSigning.VectorBody, "other")));

        Assert.Contains("signed with the key passed to the AlipayHkPayWebhookVerifier constructor", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_options_verifier_uses_the_webhook_key_over_the_client_secret()
    {
        var verifier = new AlipayHkPayWebhookVerifier(new AlipayHkPayOptions { ClientSecret = "client-secret", WebhookKey = Key });
        Assert.NotNull(verifier.Verify(WebhookSigning.VectorBody, WebhookSigning.VectorSignature).Refund);
    }

    [Fact]
    public void The_options_verifier_falls_back_to_the_client_secret()
    {
        var verifier = new AlipayHkPayWebhookVerifier(new AlipayHkPayOptions { ClientSecret = Key });
        Assert.NotNull(verifier.Verify(WebhookSigning.VectorBody, WebhookSigning.VectorSignature).Refund);
    }

    [Fact]
    public void A_verifier_without_any_key_fails_to_build_naming_both_settings()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new AlipayHkPayWebhookVerifier(new AlipayHkPayOptions()));
        Assert.Contains("WebhookKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    public void A_missing_or_empty_signature_is_rejected_as_missing(string? signature, string word)
    {
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(WebhookSigning.VectorBody, signature));
        Assert.Equal(WebhookFailureReason.MissingSignature, ex.Reason);
        Assert.Contains($"'Signature' header is {word}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WebhookSignatureHeader", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362")] // one short
    [InlineData("3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a00")] // one byte long
    [InlineData("zce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a")]
    [InlineData("sha256=3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a")]
    public void A_signature_that_is_not_64_hex_characters_is_a_mismatch(string signature)
    {
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(WebhookSigning.VectorBody, signature));
        Assert.Equal(WebhookFailureReason.SignatureMismatch, ex.Reason);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1""")] // truncated
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"data":{"order_id":"C1"}}""")] // no notify_type
    [InlineData("""{"notify_type":42}""")]
    [InlineData("""{"notify_type":"payment_success","data":"C1"}""")]
    [InlineData("""{"notify_type":"payment_success","data":{}}""")] // no order to name
    [InlineData("""{"notify_type":"refund_success","data":{"order_amount":"1"}}""")] // no refund to name
    [InlineData("""{"notify_type":"x"} {"notify_type":"y"}""")]
    public void A_correctly_signed_body_that_is_not_a_readable_callback_is_malformed(string body)
    {
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(body, WebhookSigning.Sign(body, Key)));
        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
        Assert.Contains("signed correctly", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deeply_nested_body_is_malformed_not_a_stack_overflow()
    {
        string body = """{"notify_type":"payment_success","data":{"order_id":"C1","x":""" + new string('[', 5000) + new string(']', 5000) + "}}";
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(body, WebhookSigning.Sign(body, Key)));
        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
    }

    [Fact]
    public void A_huge_body_is_too_large_before_anything_else_is_checked()
    {
        byte[] body = new byte[(64 * 1024) + 1];
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(body, null));
        Assert.Equal(WebhookFailureReason.TooLarge, ex.Reason);
        Assert.Contains("MaxWebhookBodyBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_size_limit_comes_from_the_options()
    {
        var verifier = new AlipayHkPayWebhookVerifier(new AlipayHkPayOptions { WebhookKey = Key, MaxWebhookBodyBytes = 256 });
        string body = WebhookSigning.VectorBody; // 230 bytes: fits
        Assert.NotNull(verifier.Verify(body, WebhookSigning.VectorSignature));
        string bigger = body + new string(' ', 40);
        Assert.Equal(WebhookFailureReason.TooLarge, Assert.Throws<AlipayHkPayWebhookException>(() => verifier.Verify(bigger, WebhookSigning.Sign(bigger, Key))).Reason);
    }

    [Fact]
    public void An_unknown_notify_type_is_accepted_with_its_data_kept()
    {
        const string body = """{"notify_type":"payment_closed","data":{"order_id":"C9","reason":"timeout","extra":{"n":1}}}""";
        WebhookNotification notification = _verifier.Verify(body, WebhookSigning.Sign(body, Key));

        Assert.Equal("payment_closed", notification.NotifyType);
        Assert.Equal("C9", notification.OrderId);
        Assert.Equal(PaymentStatus.Unknown, notification.Status);
        Assert.Null(notification.Refund);
        Assert.Equal("timeout", notification.Data.GetProperty("reason").GetString());
        Assert.Equal(1, notification.Data.GetProperty("extra").GetProperty("n").GetInt32());
    }

    [Fact]
    public void An_unknown_notify_type_without_data_is_accepted_with_an_empty_data_object()
    {
        const string body = """{"notify_type":"ping"}""";
        WebhookNotification notification = _verifier.Verify(body, WebhookSigning.Sign(body, Key));
        Assert.Equal(JsonValueKind.Object, notification.Data.ValueKind);
        Assert.Null(notification.OrderId);
    }

    [Fact]
    public void A_payment_success_maps_to_succeeded_and_keeps_fields_the_sdk_does_not_model()
    {
        const string body = """{"notify_type":"payment_success","data":{"order_id":"C991289984923795789123","merchant_order_id":"P9297895081903","amount":"50","wallet":"ALIPAYHK"}}""";
        WebhookNotification notification = _verifier.Verify(body, WebhookSigning.Sign(body, Key));

        Assert.True(notification.IsPaymentSuccess);
        Assert.Equal(PaymentStatus.Succeeded, notification.Status);
        Assert.Equal("C991289984923795789123", notification.OrderId);
        Assert.Equal("P9297895081903", notification.MerchantOrderId);
        Assert.Equal("ALIPAYHK", notification.Data.GetProperty("wallet").GetString());
    }

    [Fact]
    public void A_refund_failed_is_a_typed_refund_that_did_not_succeed_and_odd_values_become_null()
    {
        const string body = """{"notify_type":"refund_failed","data":{"refund_id":123,"order_amount":"abc","refund_time":"yesterday"}}""";
        WebhookRefund refund = _verifier.Verify(body, WebhookSigning.Sign(body, Key)).Refund!;

        Assert.False(refund.Succeeded);
        Assert.Equal("123", refund.RefundId);
        Assert.Null(refund.OrderAmount);
        Assert.Null(refund.RefundTime);
        Assert.Null(refund.MerchantRefundId);
    }

    [Fact]
    public void The_data_stays_readable_after_the_body_buffer_is_reused()
    {
        byte[] body = Encoding.UTF8.GetBytes(WebhookSigning.PaymentSuccess("C1", "M1"));
        WebhookNotification notification = _verifier.Verify(body, WebhookSigning.Sign(body, Key));
        Array.Clear(body);
        Assert.Equal("M1", notification.Data.GetProperty("merchant_order_id").GetString());
    }

#if !NETFRAMEWORK // .NET Framework has no per-thread allocation counter, and its SHA-256 allocates (README, "On .NET Framework")
    [Fact]
    public void Checking_a_signature_allocates_nothing()
    {
        byte[] body = Encoding.UTF8.GetBytes(WebhookSigning.VectorBody);
        string signature = WebhookSigning.VectorSignature;
        string wrong = "00" + signature[2..];
        Assert.True(_verifier.SignatureMatches(body, signature)); // warm the pool and the JIT
        Assert.False(_verifier.SignatureMatches(body, wrong));

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool matched = _verifier.SignatureMatches(body, signature);
        bool mismatched = _verifier.SignatureMatches(body, wrong);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(matched);
        Assert.False(mismatched);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Checking_the_signature_of_a_body_too_big_for_the_stack_allocates_nothing_once_warm()
    {
        byte[] body = new byte[40 * 1024];
        Random.Shared.NextBytes(body);
        string signature = WebhookSigning.Sign(body, Key);
        Assert.True(_verifier.SignatureMatches(body, signature)); // warm the pool

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool matched = _verifier.SignatureMatches(body, signature);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(matched);
        Assert.Equal(0, allocated);
    }
#endif

    [Fact]
    public void Bodies_around_the_stack_buffer_size_verify()
    {
        foreach (int size in new[] { 0, 1, 2048 - 33 - 1, 2048 - 33, 2048 - 33 + 1, 4096 })
        {
            byte[] body = new byte[size];
            Random.Shared.NextBytes(body);
            Assert.True(_verifier.SignatureMatches(body, WebhookSigning.Sign(body, Key)), $"size {size}");
            Assert.False(_verifier.SignatureMatches(body, WebhookSigning.Sign(body, Key + "x")), $"size {size}");
        }
    }
}
