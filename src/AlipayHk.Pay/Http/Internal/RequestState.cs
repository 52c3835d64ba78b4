namespace AlipayHk.Pay.Http;

/// <summary>
/// What the SDK knows about one request while it is being sent, kept in its <see cref="HttpRequestMessage.Options"/>:
/// how many sends to the network it is allowed. One send per attempt: the SDK's own retry and the bearer handler's 401 replay each allow one more, and
/// anything else that sends the same request again (a retrying handler the app added to every client) is refused by
/// <see cref="AttemptHandler"/>.
/// </summary>
internal sealed class RequestState
{
    internal static readonly HttpRequestOptionsKey<RequestState> Key = new("AlipayHkPay.RequestState");

    private int _sends;
    private int _allowed = 1;

    internal static RequestState? Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out RequestState? state) ? state : null;

    /// <summary>The SDK decided to send the request once more (a retry, or the replay after a 401).</summary>
    internal void AllowAnotherSend() => Interlocked.Increment(ref _allowed);

    /// <summary>Counts a send; false, counting nothing, when the request has used up the sends the SDK allowed it.</summary>
    internal bool TryStartSend()
    {
        while (true)
        {
            int sends = Volatile.Read(ref _sends);
            if (sends >= Volatile.Read(ref _allowed))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _sends, sends + 1, sends) == sends)
            {
                return true;
            }
        }
    }
}
