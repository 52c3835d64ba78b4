using System.Net;
using System.Net.Http.Headers;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// The primary handler under both the SDK and the hand-written baseline: drains the request body (as a socket
/// handler would, so lazily serialized content is paid for) and answers with a fresh response carrying the
/// gateway's example bytes.
/// </summary>
internal sealed class InMemoryGateway : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        string path = request.RequestUri!.AbsolutePath;
        byte[] body = path.EndsWith(GatewayExamples.QueryPath, StringComparison.Ordinal) ? GatewayExamples.QueryResponse
            : path.EndsWith(GatewayExamples.CreatePath, StringComparison.Ordinal) ? GatewayExamples.CreateResponse
            : path.EndsWith(GatewayExamples.TokenPath, StringComparison.Ordinal) ? GatewayExamples.TokenResponse
            : [];
        var response = new HttpResponseMessage(body.Length == 0 ? HttpStatusCode.NotFound : HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(body),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
        return response;
    }
}
