using AlipayHk.Pay.Testing;
using PosTerminal.Cli;

namespace PosTerminal.Hosting;

/// <summary>The shopper in front of the terminal, played against the simulator: pays, gives up, or walks away.</summary>
internal static class SimulatedShopper
{
    /// <summary>
    /// Acts on <paramref name="orderId"/> once <paramref name="after"/> has passed on <paramref name="time"/>. The timer is
    /// armed before this returns.
    /// </summary>
    public static async Task RunAsync(
        AlipayHkGatewaySimulator simulator,
        string orderId,
        ShopperBehaviour behaviour,
        TimeSpan after,
        TimeProvider time,
        Action<string> say,
        CancellationToken cancellationToken)
    {
        if (behaviour == ShopperBehaviour.WalksAway)
        {
            return;
        }

        await Task.Delay(after, time, cancellationToken);
        try
        {
            if (behaviour == ShopperBehaviour.Pays)
            {
                say("[simulator] The shopper scans the code and pays in the wallet app.");
                await simulator.CompletePaymentAsync(orderId, cancellationToken); // Sends the signed callback.
            }
            else
            {
                say("[simulator] The shopper gives up; the gateway closes the order.");
                simulator.CancelPayment(orderId);
            }
        }
        catch (InvalidOperationException)
        {
            // No longer pending: someone paid from the simulator's page in a browser first.
        }
    }
}
