using System.Net;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Simulator.Security;

/// <summary>
/// Whether the server is reachable beyond this machine: an address it listens on, or the public URL clients use, that is
/// not loopback. Then anyone who reaches it could drive it, so it needs a control token to start.
/// </summary>
internal static class Exposure
{
    /// <summary>Why the server must not start as set, or <see langword="null"/> when it may.</summary>
    public static string? Refusal(IReadOnlyList<string> urls, Uri? publicUrl, ControlToken? token)
    {
        foreach (string url in urls)
        {
            try
            {
                BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                return $"--urls (ASPNETCORE_URLS): '{url}' is not an address to listen on, such as http://127.0.0.1:5380.";
            }
        }

        if (token is not null)
        {
            return null;
        }

        string? exposed = urls.FirstOrDefault(url => !IsLoopback(BindingAddress.Parse(url)))
            ?? (publicUrl is { } reached && !IsLoopbackHost(reached.Host) ? $"--public-url {reached.GetLeftPart(UriPartial.Authority)}" : null);
        return exposed is null ? null : $"""
            {(exposed.StartsWith("--", StringComparison.Ordinal) ? exposed : "--urls " + exposed)} reaches beyond this machine (not a loopback address), and the simulator has no control token: anyone who reaches it could pay, cancel and reset payments, inject faults and read the merchants' credentials.
            Give it a control token, which the dashboard and the control API then require: set the environment variable Simulator__ControlToken (or pass --control-token) to a secret of {ControlToken.MinimumLength} characters or more, such as the output of 'openssl rand -hex 16'. Scripts send it as "Authorization: Bearer <token>"; a browser enters it once on the dashboard.
            Or keep it on this machine: --urls http://127.0.0.1:5380.
            """;
    }

    /// <summary>Whether a name or address is this machine's loopback: <c>localhost</c>, <c>127.x.x.x</c>, <c>[::1]</c>.</summary>
    public static bool IsLoopbackHost(string host)
    {
        string bare = host.TrimStart('[').TrimEnd(']');
        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(bare, out IPAddress? address) && IPAddress.IsLoopback(address));
    }

    private static bool IsLoopback(BindingAddress address) => address.IsUnixPipe || IsLoopbackHost(address.Host);
}
