using System.Net;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Simulator.Security;

/// <summary>
/// The names a request may give in its <c>Host</c> header: <c>localhost</c> and loopback addresses, the hosts the
/// server listens on, the public URL's host, and, when it listens on every interface, this machine's name and the
/// address the request came in on. Anything else is a page's DNS rebinding (<c>evil.example</c> resolved to 127.0.0.1).
/// </summary>
internal sealed class AllowedHosts
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase) { "localhost" };
    private readonly bool _anyInterface;

    public AllowedHosts(IEnumerable<string> urls, Uri? publicUrl)
    {
        foreach (BindingAddress address in urls.Select(BindingAddress.Parse).Where(address => !address.IsUnixPipe))
        {
            if (address.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
            {
                _anyInterface = true;
            }
            else
            {
                _names.Add(Bare(address.Host));
            }
        }

        if (publicUrl is not null)
        {
            _names.Add(Bare(publicUrl.Host));
        }

        if (_anyInterface)
        {
            _names.Add(Dns.GetHostName()); // What the banner shows for a wildcard address.
        }
    }

    /// <summary>Whether <paramref name="context"/>'s Host names this server.</summary>
    public bool Allows(HttpContext context)
    {
        string host = Bare(context.Request.Host.Host);
        if (host.Length == 0)
        {
            return false;
        }

        if (_names.Contains(host) || Exposure.IsLoopbackHost(host))
        {
            return true;
        }

        // An address literal is never a rebinding: the browser's origin is that address itself.
        return _anyInterface
            && IPAddress.TryParse(host, out IPAddress? literal)
            && context.Connection.LocalIpAddress is { } local
            && Normal(literal).Equals(Normal(local));
    }

    /// <summary>What a refused request is told: which names this server answers to.</summary>
    public string Describe() => string.Join(", ", _names.Order(StringComparer.OrdinalIgnoreCase))
        + ", a loopback address" + (_anyInterface ? ", or the address a request comes in on" : string.Empty);

    private static string Bare(string host) => host.TrimStart('[').TrimEnd(']');

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
