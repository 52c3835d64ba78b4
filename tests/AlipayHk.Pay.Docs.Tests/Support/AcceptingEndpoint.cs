using System.Net;

namespace AlipayHk.Pay.Docs.Tests.Support;

/// <summary>A webhook receiver that takes every callback (HTTP 200), in memory: for blocks whose notify URL is not on this machine.</summary>
internal sealed class AcceptingEndpoint : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
}
