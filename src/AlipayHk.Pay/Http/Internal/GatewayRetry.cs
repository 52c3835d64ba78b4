using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace AlipayHk.Pay.Http;

/// <summary>
/// Declares, on a method of the SDK's Refit interfaces, whether its request may be sent again after a transient
/// failure. A convention test checks that every method declares it. Refit puts the interface and the method name of
/// every request in its <see cref="HttpRequestMessage.Options"/>; <see cref="GatewayRetry.Allows"/> reads the
/// declaration back from those, so that it travels with the request at no cost per call.
/// </summary>
/// <param name="mayRetry">True for idempotent requests (the token request, queries); false for a create.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class GatewayRetryAttribute(bool mayRetry) : Attribute
{
    public bool MayRetry { get; } = mayRetry;
}

/// <summary>
/// Whether a gateway request may be retried, as its Refit method declared it (<see cref="GatewayRetryAttribute"/>).
/// A request that declares nothing (not made by the SDK's Refit interfaces, or by a method without the attribute) is
/// never retried: safety does not depend on recognising a URL, so an endpoint added later (a refund) is safe by default.
/// </summary>
/// <remarks>
/// Not an extra entry in <see cref="HttpRequestMessage.Options"/> (a Refit <c>[Property]</c>): Refit fills that
/// dictionary to its first capacity, and a fourth entry grows it on every call, about 250 B (docs/benchmarks.md).
/// </remarks>
internal static class GatewayRetry
{
    private static readonly Dictionary<(Type Interface, string Method), bool> Declared = Declarations();

    /// <summary>Whether <paramref name="request"/>'s method declared it retryable. No declaration means no.</summary>
    internal static bool Allows(HttpRequestMessage? request)
    {
        if (request is null)
        {
            return false;
        }

        var options = (IDictionary<string, object?>)request.Options;
        return options.TryGetValue(Refit.HttpRequestMessageOptions.InterfaceType, out object? type) && type is Type api
            && options.TryGetValue(Refit.HttpRequestMessageOptions.MethodName, out object? name) && name is string method
            && Declared.TryGetValue((api, method), out bool mayRetry) && mayRetry;
    }

    /// <summary>Every declaration of the SDK's Refit interfaces, for the convention test too.</summary>
    internal static IReadOnlyDictionary<(Type Interface, string Method), bool> All => Declared;

    private static Dictionary<(Type, string), bool> Declarations()
    {
        var declared = new Dictionary<(Type, string), bool>();
        Add(declared, typeof(IAlipayHkAuthApi));
        Add(declared, typeof(IAlipayHkPaymentsApi));
        return declared;
    }

    private static void Add(Dictionary<(Type, string), bool> declared, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type api)
    {
        foreach (MethodInfo method in api.GetMethods())
        {
            if (method.GetCustomAttribute<GatewayRetryAttribute>() is { } attribute)
            {
                declared[(api, method.Name)] = attribute.MayRetry;
            }
        }
    }
}
