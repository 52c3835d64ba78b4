using System.Reflection;

namespace AlipayHk.Pay.Tests.Conventions;

/// <summary>Rules every public type of the SDK follows, checked across the whole surface (as stripe-dotnet does).</summary>
public sealed class PublicApiConventionTests
{
    private static readonly Type[] PublicTypes = typeof(IAlipayHkPayClient).Assembly.GetExportedTypes();

    [Fact]
    public void Every_public_async_method_takes_a_cancellation_token()
    {
        var offenders = PublicTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
            .Where(m => !(m.Name == nameof(IAsyncDisposable.DisposeAsync) && typeof(IAsyncDisposable).IsAssignableFrom(m.DeclaringType))) // the interface's signature
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");

        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_public_exception_derives_from_AlipayHkPayException()
    {
        var offenders = PublicTypes
            .Where(t => typeof(Exception).IsAssignableFrom(t) && t != typeof(AlipayHkPayException))
            .Where(t => !typeof(AlipayHkPayException).IsAssignableFrom(t))
            .Select(t => t.Name);

        Assert.Empty(offenders);
    }

    [Fact]
    public void Public_types_live_in_the_sdk_namespace_or_the_di_namespace()
    {
        var offenders = PublicTypes
            .Where(t => t.Namespace is not ("AlipayHk.Pay" or "Microsoft.Extensions.DependencyInjection"))
            .Select(t => t.FullName);

        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_public_class_that_is_not_meant_for_inheritance_is_sealed()
    {
        var offenders = PublicTypes
            .Where(t => t.IsClass && !t.IsAbstract && !t.IsSealed && !typeof(Exception).IsAssignableFrom(t))
            .Select(t => t.Name);

        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_public_enum_has_its_zero_value_named()
    {
        var offenders = PublicTypes.Where(t => t.IsEnum && !Enum.IsDefined(t, 0)).Select(t => t.Name);

        Assert.Empty(offenders);
    }
}
