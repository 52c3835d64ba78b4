using Microsoft.Extensions.Options;

namespace AlipayHk.Pay;

/// <summary>
/// One merchant account the app registered: the default one (<c>AddAlipayHkPay(...)</c>, key <c>""</c>) or a named one
/// (<c>AddAlipayHkPay("shop-b", ...)</c>). Its options are the named options of that key; its internal services (token
/// cache, token source, HTTP clients) are keyed services of that key, so no merchant ever sees another's token.
/// </summary>
internal sealed class Merchant(string key, IOptionsMonitor<AlipayHkPayOptions> options)
{
    /// <summary>The services key and options name: <c>""</c> for the default merchant.</summary>
    internal string Key { get; } = key;

    /// <summary>The merchant's name, or <see langword="null"/> for the default merchant (telemetry's <c>alipayhk.merchant</c>).</summary>
    internal string? Name => Key.Length == 0 ? null : Key;

    /// <summary>The merchant's options now.</summary>
    internal AlipayHkPayOptions Options => options.Get(Key);

    /// <summary>How messages name the merchant: <c>AlipayHkPay</c>, or <c>AlipayHkPay merchant 'shop-b'</c>.</summary>
    internal static string Describe(string key) => key.Length == 0 ? "AlipayHkPay" : $"AlipayHkPay merchant '{key}'";

    /// <summary>The name of the merchant's payments HTTP client (<see cref="AlipayHkPayClientNames"/>).</summary>
    internal static string PaymentsClient(string key) => key.Length == 0 ? AlipayHkPayClientNames.Payments : AlipayHkPayClientNames.PaymentsFor(key);

    /// <summary>The name of the merchant's token HTTP client.</summary>
    internal static string AuthClient(string key) => key.Length == 0 ? AlipayHkPayClientNames.Auth : AlipayHkPayClientNames.AuthFor(key);
}
