#if NETFRAMEWORK
using System.Net;
using System.Reflection;

namespace AlipayHk.Pay.Compatibility;

/// <summary>
/// .NET Framework's <see cref="HttpClientHandler"/> allows 2 connections per server outside ASP.NET
/// (<see cref="ServicePointManager.DefaultConnectionLimit"/>): a back office serving several counters would queue its
/// calls to the gateway, each wait counted against an attempt's timeout. While the handler and the default still have
/// that value, the SDK's clients get <see cref="Raised"/> (.NET has no limit). <c>MaxConnectionsPerServer</c> came with
/// .NET Framework 4.7.1, after the 4.6.2 reference assemblies: found at run time; on 4.6.2 nothing changes (docs/netframework.md).
/// </summary>
internal static class ConnectionLimit
{
    internal const int Raised = 50;

    private const int FrameworkDefault = 2;

    private static readonly PropertyInfo? MaxConnectionsPerServer = typeof(HttpClientHandler).GetProperty("MaxConnectionsPerServer", typeof(int));

    internal static void Raise(HttpMessageHandler primary)
    {
        if (primary is HttpClientHandler handler && MaxConnectionsPerServer is { CanWrite: true } property
            && ServicePointManager.DefaultConnectionLimit == FrameworkDefault && property.GetValue(handler) is FrameworkDefault)
        {
            property.SetValue(handler, Raised);
        }
    }
}
#endif
