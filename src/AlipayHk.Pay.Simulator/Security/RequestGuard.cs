using AlipayHk.Pay.Simulator.ControlApi;
using AlipayHk.Pay.Simulator.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AlipayHk.Pay.Simulator.Security;

/// <summary>
/// What every request goes through before the simulator sees it, so that no web page the tester has open can drive it:
/// <list type="number">
/// <item>the <c>Host</c> must name this server (no DNS rebinding);</item>
/// <item>a state-changing request from a browser must come from this server's own origin (its dashboard, its pay page);</item>
/// <item>with a control token, the control API and the dashboard need it: a bearer header, or the dashboard's cookie;</item>
/// <item>a state-changing control call is JSON or has no body: a cross-site form (text/plain, urlencoded, multipart) cannot be one.</item>
/// </list>
/// The gateway's own endpoints and the shopper's pay page need no token: the SDK and a phone use them as they are.
/// </summary>
internal sealed class RequestGuard(AllowedHosts hosts, ControlToken? token)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        HttpRequest request = context.Request;
        bool control = request.Path.StartsWithSegments(ControlEndpoints.Prefix, StringComparison.Ordinal);
        bool changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        string? refusal = null;
        int status = StatusCodes.Status403Forbidden;
        if (!hosts.Allows(context))
        {
            (status, refusal) = (StatusCodes.Status400BadRequest,
                $"Host '{request.Host}' is not an address of this simulator, which answers to {hosts.Describe()}. "
                + "Behind another name (a docker-compose service, a tunnel), start it with --public-url naming it.");
        }
        else if (changes && CrossOrigin(request) is { } origin)
        {
            refusal = $"A request from another site ({origin}) may not change the simulator: use its dashboard, or a script (curl, a test suite).";
        }
        else if (token is not null && (control || DashboardEndpoints.IsDashboard(request.Path)) && !Authorized(request))
        {
            if (!control)
            {
                await SignIn.WritePageAsync(context, wrongToken: false).ConfigureAwait(false);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"alipayhk-simulator\"";
            (status, refusal) = (StatusCodes.Status401Unauthorized,
                $"This simulator needs its control token (set with {token.Source}): send \"Authorization: Bearer <token>\", or sign in on the dashboard.");
        }
        else if (control && changes && !JsonOrEmpty(request))
        {
            (status, refusal) = (StatusCodes.Status415UnsupportedMediaType,
                "A control call takes a JSON body (Content-Type: application/json), or no body at all.");
        }

        if (refusal is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = status;
        if (control)
        {
            await context.Response.WriteAsJsonAsync(new ErrorView(refusal), ControlJson.Options, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(refusal, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The foreign origin a browser says the request comes from, or <see langword="null"/> for this server's own (or none: a script).</summary>
    private static string? CrossOrigin(HttpRequest request)
    {
        string origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            string own = $"{request.Scheme}://{request.Host.Value}";
            return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) ? null : origin;
        }

        // No Origin (an older browser's form): the fetch metadata still tells a request made by another site.
        return request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site" ? "another site" : null;
    }

    private bool Authorized(HttpRequest request)
    {
        string authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? token!.Matches(authorization[Bearer.Length..].Trim())
            : token!.MatchesCookie(request.Cookies[ControlToken.CookieName]);
    }

    private static bool JsonOrEmpty(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type))
        {
            return string.IsNullOrEmpty(request.ContentType) && request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0;
        }

        return type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
    }
}
