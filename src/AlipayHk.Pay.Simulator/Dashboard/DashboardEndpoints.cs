using System.Reflection;
using AlipayHk.Pay.Simulator.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AlipayHk.Pay.Simulator.Dashboard;

/// <summary>
/// The dashboard: one HTML page at <c>/</c>, its script and its style sheet, embedded in the tool (plain HTML and
/// JavaScript, no build step). Everything it shows and does goes through the control API.
/// </summary>
internal static class DashboardEndpoints
{
    public const string ScriptPath = "/simulator/dashboard/dashboard.js";
    public const string StylePath = "/simulator/dashboard/dashboard.css";

    /// <summary>Whether <paramref name="path"/> is the dashboard's page or one of its files: with a control token, they need it.</summary>
    public static bool IsDashboard(PathString path) => path == "/" || path.StartsWithSegments("/simulator/dashboard", StringComparison.Ordinal);

    public static void MapDashboard(this IEndpointRouteBuilder routes, ControlToken? token)
    {
        byte[] page = Load("index.html");
        byte[] script = Load("dashboard.js");
        byte[] style = Load("dashboard.css");
        routes.MapGet("/", () => Results.Bytes(page, "text/html; charset=utf-8"));
        routes.MapGet(ScriptPath, () => Results.Bytes(script, "text/javascript; charset=utf-8"));
        routes.MapGet(StylePath, () => Results.Bytes(style, "text/css; charset=utf-8"));
        routes.MapGet("/favicon.ico", () => Results.NoContent()); // Browsers ask; the gateway's journal need not show it.
        routes.MapPost(SignIn.Path, (HttpContext context) => SignIn.HandleAsync(context, token));
    }

    private static byte[] Load(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Dashboard/" + name)
            ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded in the tool.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
