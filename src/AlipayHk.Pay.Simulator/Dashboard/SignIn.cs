using AlipayHk.Pay.Simulator.Security;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Simulator.Dashboard;

/// <summary>
/// The dashboard's sign-in, when the server has a control token: a page asks for it once, and a POST from that page
/// sets an HttpOnly, SameSite=Strict cookie derived from it (the token is never in a URL, a log or the browser's storage).
/// </summary>
internal static class SignIn
{
    public const string Path = "/simulator/sign-in";

    public static async Task HandleAsync(HttpContext context, ControlToken? token)
    {
        string? given = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false))["control_token"].ToString()
            : null;
        if (token is not null && !token.Matches(given))
        {
            await WritePageAsync(context, wrongToken: true).ConfigureAwait(false);
            return;
        }

        if (token is not null)
        {
            context.Response.Cookies.Append(ControlToken.CookieName, token.CookieValue, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
        }

        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = "/";
    }

    /// <summary>HTTP 401 with the sign-in form.</summary>
    public static async Task WritePageAsync(HttpContext context, bool wrongToken)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Alipay HK gateway simulator: sign in</title></head>
            <body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">
            <h1>Alipay HK gateway simulator</h1>
            <p>This simulator was started with a control token (<code>--control-token</code> or <code>Simulator__ControlToken</code>).
            Enter it once: this browser then keeps a cookie for the dashboard.</p>
            {(wrongToken ? "<p role=\"alert\"><strong>That is not the control token.</strong></p>" : string.Empty)}
            <form method="post" action="{Path}">
            <label>Control token <input type="password" name="control_token" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button>
            </form>
            </body></html>
            """,
            context.RequestAborted).ConfigureAwait(false);
    }
}
