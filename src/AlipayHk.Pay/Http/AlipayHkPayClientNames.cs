namespace AlipayHk.Pay;

/// <summary>
/// The names of the SDK's <see cref="System.Net.Http.IHttpClientFactory"/> clients, for configuring them on purpose,
/// for example a proxy or a client certificate:
/// <c>services.AddHttpClient(AlipayHkPayClientNames.Payments).ConfigurePrimaryHttpMessageHandler(...)</c>.
/// </summary>
/// <remarks>
/// The SDK owns retries and timeouts on these clients. A handler that retries (the standard resilience handler, a Polly
/// policy handler) is taken off them, wherever it was added; any other handler runs inside each attempt, and a second
/// send of a request within one attempt is refused, so a create is never re-sent blindly (docs/hosting.md, "Hosting
/// with .NET Aspire and app-wide HttpClient defaults").
/// </remarks>
public static class AlipayHkPayClientNames
{
    /// <summary>The client of the payment calls (create, query) of the default merchant: <c>AlipayHkPay.Payments</c>.</summary>
    public const string Payments = "AlipayHkPay.Payments";

    /// <summary>The client of the token request of the default merchant: <c>AlipayHkPay.Auth</c>.</summary>
    public const string Auth = "AlipayHkPay.Auth";

    /// <summary>The payments client of the merchant registered as <paramref name="merchantName"/>: <c>AlipayHkPay.Payments.{merchantName}</c>.</summary>
    /// <param name="merchantName">The name given to <c>AddAlipayHkPay(name, ...)</c>.</param>
    /// <returns>The client's name.</returns>
    public static string PaymentsFor(string merchantName) => For(Payments, merchantName);

    /// <summary>The token client of the merchant registered as <paramref name="merchantName"/>: <c>AlipayHkPay.Auth.{merchantName}</c>.</summary>
    /// <param name="merchantName">The name given to <c>AddAlipayHkPay(name, ...)</c>.</param>
    /// <returns>The client's name.</returns>
    public static string AuthFor(string merchantName) => For(Auth, merchantName);

    private static string For(string client, string merchantName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(merchantName);
        return client + "." + merchantName;
    }
}
