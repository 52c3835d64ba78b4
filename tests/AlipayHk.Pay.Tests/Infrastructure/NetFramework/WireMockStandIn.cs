// The part of WireMock.Net's API the core tests use, for their .NET Framework build (run under Mono): WireMock.Net
// does not restore for .NET Framework here (its netstandard2.0 build needs ASP.NET Core 2.x packages the feed does
// not serve), so GatewayStub.NetFramework.cs serves the same stubs from a small HTTP/1.1 server of its own, and the
// test files compile unchanged. Only what the tests call is here.
using System.Globalization;

namespace WireMock
{
    /// <summary>A request the stub received.</summary>
    public interface IRequestMessage
    {
        string Path { get; }

        string Method { get; }

        string? Body { get; }

        IDictionary<string, WireMock.Types.WireMockList<string>>? Query { get; }

        IDictionary<string, WireMock.Types.WireMockList<string>>? Headers { get; }
    }
}

namespace WireMock.Types
{
    /// <summary>A header's values; its text is the value when there is one, as WireMock's.</summary>
    public sealed class WireMockList<T> : List<T>
    {
        public WireMockList(IEnumerable<T> values)
            : base(values)
        {
        }

        public override string ToString() => Count == 1 ? Convert.ToString(this[0], CultureInfo.InvariantCulture) ?? string.Empty : string.Join(", ", this);
    }
}

namespace WireMock.Logging
{
    /// <summary>One request in the stub's log.</summary>
    public interface ILogEntry
    {
        IRequestMessage? RequestMessage { get; }
    }
}

namespace WireMock.ResponseBuilders
{
    /// <summary>The faults the tests ask for.</summary>
#pragma warning disable CA1707 // WireMock's names
    public enum FaultType
    {
        NONE,

        /// <summary>The connection closed with no answer.</summary>
        EMPTY_RESPONSE,

        /// <summary>A 200 whose chunked body is broken off: the answer is lost mid-way.</summary>
        MALFORMED_RESPONSE_CHUNK,
    }
#pragma warning restore CA1707

    /// <summary>Builds one stubbed answer.</summary>
    public interface IResponseBuilder
    {
        IResponseBuilder WithStatusCode(int code);

        IResponseBuilder WithHeader(string name, string value);

        IResponseBuilder WithBody(string body);

        IResponseBuilder WithBody(Func<IRequestMessage, Task<string>> body);

        IResponseBuilder WithDelay(int milliseconds);

        IResponseBuilder WithFault(FaultType fault, double? percentage = null);
    }

    /// <summary>WireMock's entry point for a new answer.</summary>
    public static class Response
    {
        public static IResponseBuilder Create() => new AlipayHk.Pay.Tests.Infrastructure.StubResponse();
    }
}
