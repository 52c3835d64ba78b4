using System.Text.Json;
using AlipayHk.Pay.Testing;
using AlipayHk.Pay.Testing.Payments.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace AlipayHk.Pay.Simulator.ControlApi;

/// <summary>
/// The control API under <c>/simulator/api</c>, for test suites in any language and for the dashboard: every call is a
/// thin layer over a public member of <see cref="AlipayHkGatewaySimulator"/>. Not part of the gateway, and never journaled.
/// </summary>
internal static class ControlEndpoints
{
    public const string Prefix = "/simulator/api";

    public static void MapControlApi(this IEndpointRouteBuilder routes, AlipayHkGatewaySimulator simulator, IHostApplicationLifetime lifetime)
    {
        RouteGroupBuilder api = routes.MapGroup(Prefix);

        api.MapGet("/health", () => Results.Ok(new { status = "ok" }));

        api.MapGet("/merchants", () => simulator.Merchants.Select(m => MerchantView.From(m, simulator.SignatureHeader)));

        api.MapGet("/payments", (string? merchant, string? status) =>
        {
            ILookup<string, CallbackDelivery> callbacks = simulator.CallbackDeliveries.ToLookup(d => d.OrderId, StringComparer.Ordinal);
            return simulator.Payments
                .Where(p => merchant is null || string.Equals(p.MerchantName, merchant, StringComparison.OrdinalIgnoreCase))
                .Where(p => status is null || string.Equals(PaymentStore.Wire(p.Status), status, StringComparison.OrdinalIgnoreCase))
                .Select(p => PaymentView.From(p, callbacks[p.OrderId]))
                .ToArray();
        });

        api.MapGet("/payments/{id}", (string id) => OnPayment(simulator, id, payment => Results.Ok(View(simulator, payment))));

        api.MapPost("/payments/{id}/pay", async (string id, CancellationToken cancellationToken) =>
            await OnPaymentAsync(async () => View(simulator, await simulator.CompletePaymentAsync(id, cancellationToken))));

        api.MapPost("/payments/{id}/cancel", (string id) => OnPayment(simulator, id, _ => Results.Ok(View(simulator, simulator.CancelPayment(id)))));

        api.MapPost("/payments/{id}/expire", (string id) => OnPayment(simulator, id, _ => Results.Ok(View(simulator, simulator.TimeOutPayment(id)))));

        api.MapGet("/payments/{id}/callbacks", (string id) =>
            OnPayment(simulator, id, payment => Results.Ok(simulator.CallbackDeliveries.Where(d => d.OrderId == payment.OrderId).Select(CallbackView.From))));

        api.MapPost("/payments/{id}/callbacks/redeliver", async (string id, CancellationToken cancellationToken) =>
            await OnPaymentAsync(async () => CallbackView.From(await simulator.RedeliverCallbackAsync(id, cancellationToken))));

        api.MapGet("/callbacks", () => simulator.CallbackDeliveries.Select(CallbackView.From));

        api.MapGet("/faults", () => Faults(simulator));

        api.MapPost("/faults", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            (int count, SimulatedFault fault, SimulatedEndpoint endpoint, string? error) = await ReadFaultAsync(request, cancellationToken);
            if (error is not null)
            {
                return Results.BadRequest(new ErrorView(error));
            }

            simulator.FailNext(count, fault, endpoint);
            return Results.Ok(Faults(simulator));
        });

        api.MapDelete("/faults", () =>
        {
            simulator.ClearFaults();
            return Results.Ok(Faults(simulator));
        });

        api.MapPost("/tokens/expire", () =>
        {
            simulator.ExpireTokens();
            return Results.NoContent();
        });

        api.MapPost("/reset", () =>
        {
            simulator.Reset();
            return Results.NoContent();
        });

        api.MapGet("/journal", (int? limit) =>
        {
            IReadOnlyList<JournalEntry> journal = simulator.Journal;
            int skip = limit is > 0 && limit < journal.Count ? journal.Count - limit.Value : 0;
            return journal.Skip(skip).Select(JournalView.From);
        });

        api.MapGet("/events", (HttpContext context) => ChangeStream.WriteAsync(context, simulator.Changes, lifetime.ApplicationStopping));

        api.MapFallback(() => Results.NotFound(new ErrorView($"No such control call. The calls are listed in docs/simulator.md of the AlipayHk.Pay repository (linked from its README), under \"The control API\".")));
    }

    private static PaymentView View(AlipayHkGatewaySimulator simulator, SimulatedPayment payment) =>
        PaymentView.From(payment, simulator.CallbackDeliveries);

    private static FaultView[] Faults(AlipayHkGatewaySimulator simulator) =>
        simulator.PendingFaults.Select(f => new FaultView(f.Fault, f.Endpoint, f.Remaining)).ToArray();

    /// <summary>Runs a call on one payment; a missing one is a 404, a move the payment cannot make a 409.</summary>
    private static IResult OnPayment(AlipayHkGatewaySimulator simulator, string id, Func<SimulatedPayment, IResult> action)
    {
        try
        {
            SimulatedPayment payment = simulator.GetPayment(id)
                ?? throw new KeyNotFoundException($"The simulator has no payment with order id or merchant order id '{id}'.");
            return action(payment);
        }
        catch (KeyNotFoundException ex)
        {
            return Results.NotFound(new ErrorView(ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            return Results.Conflict(new ErrorView(ex.Message));
        }
    }

    private static async Task<IResult> OnPaymentAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return Results.Ok(await action());
        }
        catch (KeyNotFoundException ex)
        {
            return Results.NotFound(new ErrorView(ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            return Results.Conflict(new ErrorView(ex.Message));
        }
    }

    /// <summary>Reads <c>{"fault":"server_error","endpoint":"create","count":1}</c>; the error names the field.</summary>
    private static async Task<(int Count, SimulatedFault Fault, SimulatedEndpoint Endpoint, string? Error)> ReadFaultAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string faults = string.Join(", ", Enum.GetNames<SimulatedFault>().Select(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName));
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return (0, default, default, "The body must be JSON, such as {\"fault\":\"server_error\",\"endpoint\":\"create\",\"count\":1}.");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (0, default, default, "The body must be a JSON object, such as {\"fault\":\"server_error\",\"endpoint\":\"create\",\"count\":1}.");
            }

            if (!root.TryGetProperty("fault", out JsonElement faultValue) || !TryParseName(faultValue, out SimulatedFault fault))
            {
                return (0, default, default, $"fault is required: one of {faults}.");
            }

            SimulatedEndpoint endpoint = SimulatedEndpoint.Any;
            if (root.TryGetProperty("endpoint", out JsonElement endpointValue) && !TryParseName(endpointValue, out endpoint))
            {
                return (0, default, default, "endpoint must be one of any, auth, create, query.");
            }

            int count = 1;
            if (root.TryGetProperty("count", out JsonElement countValue) && (!countValue.TryGetInt32(out count) || count < 1))
            {
                return (0, default, default, "count must be a whole number of 1 or more.");
            }

            return (count, fault, endpoint, null);
        }
    }

    /// <summary><c>server_error</c>, <c>ServerError</c> or <c>serverError</c>; never a number.</summary>
    private static bool TryParseName<TEnum>(JsonElement value, out TEnum parsed)
        where TEnum : struct, Enum
    {
        parsed = default;
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString()?.Replace("_", string.Empty, StringComparison.Ordinal) : null;
        return !string.IsNullOrEmpty(text)
            && !char.IsAsciiDigit(text[0]) && text[0] != '-'
            && Enum.TryParse(text, ignoreCase: true, out parsed)
            && Enum.IsDefined(parsed);
    }
}
