using System.Text;
using System.Text.Json;

namespace AlipayHk.Pay.Tests.Webhooks;

/// <summary>
/// The payload parser reads the typed fields in one pass and builds <see cref="WebhookNotification.Data"/> on first
/// access: everything wrong with the body is still found by <c>Verify</c>, and <c>Data</c> is the same whenever and
/// from whichever thread it is read.
/// </summary>
public sealed class WebhookPayloadTests
{
    private const string Key = WebhookSigning.VectorKey;
    private const string NestedData = """{"order_id":"C7","merchant_order_id":"M7","extra":{"tags":["a",{"b":[1,2.5,null,true]}],"empty":{},"none":[]},"amount":50}""";
    private readonly AlipayHkPayWebhookVerifier _verifier = new(Key);

    [Fact]
    public void Data_read_from_several_threads_at_once_is_the_same_everywhere()
    {
        const int Threads = 4;
        const int Rounds = 100;
        string body = """{"notify_type":"payment_success","data":""" + NestedData + "}";
        WebhookNotification[] notifications = [.. Enumerable.Range(0, Rounds).Select(_ => Verify(body))];
        string[,] seen = new string[Rounds, Threads];

        using var barrier = new Barrier(Threads);
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (int round = 0; round < Rounds; round++)
            {
                barrier.SignalAndWait(); // every thread reads this notification's Data for the first time together
                JsonElement data = notifications[round].Data;
                seen[round, t] = data.GetRawText() + "|" + data.GetProperty("extra").GetProperty("tags")[1].GetProperty("b")[1].GetDecimal();
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int t = 0; t < Threads; t++)
            {
                Assert.Equal(NestedData + "|2.5", seen[round, t]);
            }

            Assert.Equal(NestedData, notifications[round].Data.GetRawText()); // and again, once built
        }
    }

    [Fact]
    public void Data_keeps_nested_objects_and_arrays_as_sent()
    {
        WebhookNotification notification = Verify("""{"notify_type":"payment_success","data":""" + NestedData + ""","after":[{"x":1}]}""");

        Assert.Equal("C7", notification.OrderId);
        Assert.Equal("M7", notification.MerchantOrderId);
        JsonElement data = notification.Data;
        Assert.Equal(JsonValueKind.Object, data.ValueKind);
        Assert.Equal(NestedData, data.GetRawText());
        Assert.Equal(["order_id", "merchant_order_id", "extra", "amount"], data.EnumerateObject().Select(p => p.Name));
        JsonElement tags = data.GetProperty("extra").GetProperty("tags");
        Assert.Equal(2, tags.GetArrayLength());
        Assert.Equal("a", tags[0].GetString());
        Assert.Equal(JsonValueKind.Null, tags[1].GetProperty("b")[2].ValueKind);
        Assert.True(tags[1].GetProperty("b")[3].GetBoolean());
        Assert.Equal(JsonValueKind.Object, data.GetProperty("extra").GetProperty("empty").ValueKind);
        Assert.Equal(0, data.GetProperty("extra").GetProperty("none").GetArrayLength());
        Assert.Equal(50, data.GetProperty("amount").GetInt32());
    }

    [Fact]
    public void Nested_data_read_for_the_first_time_after_the_body_buffer_is_reused_is_intact()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"notify_type":"payment_closed","data":""" + NestedData + "}");
        WebhookNotification notification = _verifier.Verify(body, WebhookSigning.Sign(body, Key));
        Array.Fill(body, (byte)'x');

        Assert.Equal(NestedData, notification.Data.GetRawText());
        Assert.Equal("a", notification.Data.GetProperty("extra").GetProperty("tags")[0].GetString());
    }

    [Fact]
    public void A_null_data_is_an_empty_object()
    {
        WebhookNotification notification = Verify("""{"notify_type":"ping","data":null}""");
        Assert.Equal(JsonValueKind.Object, notification.Data.ValueKind);
        Assert.Empty(notification.Data.EnumerateObject());
    }

    [Theory]
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1","extra":[1,2}}""")] // in a field the SDK does not read
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1","extra":{"a":1,}}}""")] // trailing comma
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1"},"after":tru}""")] // after the data
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1"}}}""")] // one brace too many
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1"}} x""")] // trailing text
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1" /* a comment */}}""")]
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1","x":"a	tab"}}""")] // raw control character
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1","x":"\q"}}""")] // invalid escape
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C1","n":01}}""")] // leading zero
    public void A_syntax_error_anywhere_is_malformed_at_verify_time(string body)
    {
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => Verify(body));
        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
        Assert.Contains("is not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public void Sixteen_levels_are_accepted_and_seventeen_are_malformed_wherever_they_are()
    {
        // The root is level 1, data level 2: 14 more arrays make 16.
        string Nested(int levels) => new string('[', levels) + new string(']', levels);

        WebhookNotification deepest = Verify("""{"notify_type":"payment_success","data":{"order_id":"C1","x":""" + Nested(14) + "}}");
        Assert.Equal(Nested(14), deepest.Data.GetProperty("x").GetRawText());
        Assert.NotNull(Verify("""{"notify_type":"ping","x":""" + Nested(15) + "}"));

        foreach (string body in new[]
        {
            """{"notify_type":"payment_success","data":{"order_id":"C1","x":""" + Nested(15) + "}}",
            """{"notify_type":"payment_success","x":""" + Nested(16) + ""","data":{"order_id":"C1"}}""",
        })
        {
            AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(() => Verify(body));
            Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
            Assert.Contains("nested deeper than 16 levels", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"A"},"data":{"merchant_order_id":"B"}}""", null, "B", """{"merchant_order_id":"B"}""")]
    [InlineData("""{"notify_type":"ping","data":{"order_id":"A"},"data":null}""", null, null, "{}")]
    [InlineData("""{"notify_type":"ping","data":{"order_id":"A","order_id":"B"}}""", "B", null, """{"order_id":"A","order_id":"B"}""")]
    [InlineData("""{"notify_type":"ping","data":{"order_id":"A","order_id":{}}}""", null, null, """{"order_id":"A","order_id":{}}""")]
    [InlineData("""{"notify_type":"x","notify_type":"payment_success","data":{"order_id":"A"}}""", "A", null, """{"order_id":"A"}""")]
    public void A_repeated_property_is_read_as_its_last_occurrence(string body, string? orderId, string? merchantOrderId, string data)
    {
        WebhookNotification notification = Verify(body);
        Assert.Equal(orderId, notification.OrderId);
        Assert.Equal(merchantOrderId, notification.MerchantOrderId);
        Assert.Equal(data, notification.Data.GetRawText());
    }

    [Fact]
    public void A_repeated_data_that_ends_as_a_string_is_malformed()
    {
        AlipayHkPayWebhookException ex = Assert.Throws<AlipayHkPayWebhookException>(
            () => Verify("""{"notify_type":"ping","data":{"order_id":"A"},"data":"A"}"""));
        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
        Assert.Contains("'data' is a JSON String", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_names_and_values_are_read_unescaped()
    {
        WebhookNotification notification = Verify("""{"notify\u005ftype":"refund\u005Fsuccess","\u0064ata":{"refund\u005fid":"R\/1\u00e9","merchant_refund_id":"\"q\"","uid":39172931,"refund_time":"2023-08-23T18:28:16.511\u005a"}}""");

        Assert.Equal(WebhookNotifyTypes.RefundSuccess, notification.NotifyType);
        WebhookRefund refund = Assert.IsType<WebhookRefund>(notification.Refund);
        Assert.Equal("R/1é", refund.RefundId);
        Assert.Equal("\"q\"", refund.MerchantRefundId);
        Assert.Equal("39172931", refund.Uid);
        Assert.Equal(new DateTimeOffset(2023, 8, 23, 18, 28, 16, 511, TimeSpan.Zero), refund.RefundTime);
    }

    [Fact]
    public void Fields_named_like_the_typed_ones_but_nested_deeper_are_not_read()
    {
        WebhookNotification notification = Verify("""{"x":{"notify_type":"a","data":5},"notify_type":"ping","data":{"y":{"order_id":"C1"},"z":[{"merchant_order_id":"M1"}]}}""");

        Assert.Equal("ping", notification.NotifyType);
        Assert.Null(notification.OrderId);
        Assert.Null(notification.MerchantOrderId);
        Assert.Equal("C1", notification.Data.GetProperty("y").GetProperty("order_id").GetString());
    }

    [Theory]
    [InlineData("notify_type")]
    [InlineData("order_id")]
    public void A_signed_body_with_bytes_that_are_not_utf8_in_a_field_is_malformed_not_a_crash(string field)
    {
        byte[] body = Encoding.UTF8.GetBytes(field == "notify_type"
            ? """{"notify_type":"pay#","data":{"order_id":"C7"}}"""
            : """{"notify_type":"payment_success","data":{"order_id":"C#"}}""");
        body[Array.IndexOf(body, (byte)'#')] = 0xFF; // never valid in UTF-8

        var ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(body, WebhookSigning.Sign(body, Key)));

        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
    }

    [Theory]
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C7","note":"caf#"}}""")] // a field in data the SDK does not read
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C7","caf#":1}}""")] // a property name in data
    [InlineData("""{"notify_type":"payment_success","data":{"order_id":"C7","extra":["#"]}}""")] // deeper in data
    [InlineData("""{"notify_type":"payment_success","memo":"#","data":{"order_id":"C7"}}""")] // outside data
    public void A_signed_body_with_bytes_that_are_not_utf8_where_the_sdk_does_not_look_is_malformed_at_verify(string template)
    {
        byte[] body = Encoding.UTF8.GetBytes(template);
        body[Array.IndexOf(body, (byte)'#')] = 0xC3; // a lead byte with no continuation: not UTF-8

        // Before: Verify accepted it, and the merchant's handler then crashed on notification.Data.
        var ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(body, WebhookSigning.Sign(body, Key)));

        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
        Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })] // never valid in UTF-8
    [InlineData(new byte[] { 0x80 })] // a continuation byte alone
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF })] // an overlong '/'
    public void Any_invalid_utf8_sequence_in_an_unread_field_is_malformed(byte[] bad)
    {
        byte[] template = Encoding.UTF8.GetBytes("""{"notify_type":"payment_success","data":{"order_id":"C7","note":"#"}}""");
        int at = Array.IndexOf(template, (byte)'#');
        byte[] body = [.. template.Take(at), .. bad, .. template.Skip(at + 1)];

        var ex = Assert.Throws<AlipayHkPayWebhookException>(() => _verifier.Verify(body, WebhookSigning.Sign(body, Key)));

        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_an_unread_field_is_accepted_and_Data_still_prints()
    {
        // Valid UTF-8 bytes, a JSON escape that is no text: the merchant's handler can still log Data.
        byte[] body = Encoding.UTF8.GetBytes("""{"notify_type":"payment_success","data":{"order_id":"C7","note":"\ud800 ok"}}""");

        WebhookNotification notification = _verifier.Verify(body, WebhookSigning.Sign(body, Key));

        Assert.Equal("C7", notification.OrderId);
        Assert.Equal("""{"order_id":"C7","note":"\ud800 ok"}""", notification.Data.GetRawText());
        Assert.Equal(notification.Data.GetRawText(), notification.Data.ToString());
    }

    private WebhookNotification Verify(string body) => _verifier.Verify(body, WebhookSigning.Sign(body, Key));
}
