using System.Configuration;
using AlipayHk.Pay;

namespace MyShop;

/// <summary>The README's "On .NET Framework": the SDK for the whole app, without a container, settings from web.config.</summary>
public static class Payments
{
    // One for the app's lifetime: it keeps the access token, the connections and the record of handled callbacks.
    public static AlipayHkPay AlipayHk { get; } = AlipayHkPay.Create(new AlipayHkPayOptions
    {
        BaseAddress = new Uri(ConfigurationManager.AppSettings["AlipayHkPay:BaseAddress"]),
        Uid = ConfigurationManager.AppSettings["AlipayHkPay:Uid"],
        ClientSecret = ConfigurationManager.AppSettings["AlipayHkPay:ClientSecret"],
    });
}
