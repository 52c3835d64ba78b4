using System.Text.Json;
using AlipayHk.Pay.Testing.Auth.Internal;
using AlipayHk.Pay.Testing.Gateway.Internal;
using AlipayHk.Pay.Testing.Hosting.Internal;
using AlipayHk.Pay.Testing.Merchants.Internal;

namespace AlipayHk.Pay.Testing.Payments.Internal;

/// <summary>
/// <c>POST …/payment_intents/create</c> and <c>…/query</c>, as the merchant whose bearer token it is. A refused
/// request is answered as the gateway does: HTTP 200, an envelope with a non-zero <c>code</c>.
/// </summary>
internal sealed class PaymentEndpoints(SimulatorState state, PaymentLifecycle lifecycle, Func<string, Uri> qrCodeUrl)
{
    public Reply Create(Microsoft.AspNetCore.Http.HttpRequest request, byte[] body)
    {
        (MerchantAccount? merchant, Reply? refused) = AuthEndpoint.Authenticate(request, state.Tokens);
        if (refused is not null)
        {
            return refused;
        }

        CreateRequest? create = CreateRequest.TryParse(body, out string? error);
        if (create is null)
        {
            return Reply.Envelope(GatewayCodes.InvalidParameter, error!);
        }

        PaymentRecord? record = state.Payments.TryCreate(
            merchant!, create.MerchantOrderId, create.AmountText, create.Amount, create.Wallet, create.Description, create.NotifyUrl, qrCodeUrl);
        if (record is null)
        {
            return Reply.Envelope(GatewayCodes.DuplicateOrder, $"merchant_order_id '{create.MerchantOrderId}' already exists");
        }

        state.Payments.TryFind(merchant!, record.OrderId, null, out _, out SimulatedPayment? payment);
        lifecycle.OnCreated(record);
        return Reply.Envelope(0, "ok", GatewayJson.CreatedData(record, payment!));
    }

    public Reply Query(Microsoft.AspNetCore.Http.HttpRequest request, byte[] body)
    {
        (MerchantAccount? merchant, Reply? refused) = AuthEndpoint.Authenticate(request, state.Tokens);
        if (refused is not null)
        {
            return refused;
        }

        string? orderId;
        string? merchantOrderId;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Reply.Envelope(GatewayCodes.InvalidParameter, "invalid request body: expected a JSON object");
            }

            orderId = StringOrNull(document.RootElement, "order_id");
            merchantOrderId = StringOrNull(document.RootElement, "merchant_order_id");
        }
        catch (JsonException)
        {
            return Reply.Envelope(GatewayCodes.InvalidParameter, "invalid request body: not JSON");
        }

        if (string.IsNullOrEmpty(orderId) && string.IsNullOrEmpty(merchantOrderId))
        {
            return Reply.Envelope(GatewayCodes.InvalidParameter, "order_id or merchant_order_id is required");
        }

        return state.Payments.TryFind(merchant!, orderId, merchantOrderId, out PaymentRecord? record, out SimulatedPayment? payment)
            ? Reply.Envelope(0, "ok", GatewayJson.QueriedData(record!, payment!))
            : Reply.Envelope(GatewayCodes.OrderNotFound, "order not found");
    }

    private static string? StringOrNull(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
