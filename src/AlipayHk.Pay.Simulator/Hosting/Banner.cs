using AlipayHk.Pay.Testing;

namespace AlipayHk.Pay.Simulator.Hosting;

/// <summary>What the server prints at start: where it is, and everything a client needs to use it, ready to paste.</summary>
internal static class Banner
{
    public static void Write(TextWriter output, AlipayHkGatewaySimulator simulator, IReadOnlyList<string> listening)
    {
        Uri address = simulator.BaseAddress;
        output.WriteLine("Alipay HK gateway simulator (AlipayHk.Pay.Simulator): a fake CBTIS gateway, no real money, no real credentials.");
        output.WriteLine($"  Listening on   {string.Join(", ", listening)}");
        output.WriteLine($"  Base address   {address}");
        output.WriteLine($"  Dashboard      {address}");
        output.WriteLine($"  Control API    {new Uri(address, "simulator/api/")}");
        foreach (SimulatedMerchant merchant in simulator.Merchants)
        {
            output.WriteLine();
            output.WriteLine($"Merchant \"{merchant.Name}\": uid {merchant.Uid}, client secret {merchant.ClientSecret}, webhook key {merchant.WebhookKey}");
            output.WriteLine("  Point the SDK at it with these environment variables:");
            output.WriteLine($"  export AlipayHkPay__BaseAddress={address}");
            output.WriteLine($"  export AlipayHkPay__Uid={merchant.Uid}");
            output.WriteLine($"  export AlipayHkPay__ClientSecret={merchant.ClientSecret}");
            output.WriteLine($"  export AlipayHkPay__WebhookKey={merchant.WebhookKey}");
            output.WriteLine($"  export AlipayHkPay__WebhookSignatureHeader={simulator.SignatureHeader}");
        }

        output.WriteLine();
        output.WriteLine("These are the simulator's own fake credentials. Press Ctrl+C to stop.");
        output.Flush();
    }
}
