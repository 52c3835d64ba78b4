using AlipayHk.Pay.Pipeline;

namespace AlipayHk.Pay.Http;

/// <summary>
/// What the SDK knows about one request while it is being sent: its retry declaration, and how many sends to the
/// network it is allowed. One send per attempt: the SDK's own retry and the bearer handler's 401 replay each allow one
/// more, and anything else that sends the same request again (a retrying handler the app added to every client) is
/// refused by <see cref="AttemptHandler"/>.
/// </summary>
/// <remarks>
/// Kept in <c>HttpRequestMessage.Options</c> only on the clients that have such a handler: Refit fills that
/// dictionary to its first capacity, and one more entry grows it (about 250 B a call), which no other app should pay.
/// </remarks>
internal sealed class RequestState
{
    internal const string Key = "AlipayHkPay.RequestState";

    private int _sends;
    private int _allowed = 1;

    /// <summary>The request's state, or <see langword="null"/> before its first send.</summary>
    internal static RequestState? Of(HttpRequestMessage? request) => RequestOptions.Get<RequestState>(request, Key);

    /// <summary>The request's state, made on its first send.</summary>
    internal static RequestState For(HttpRequestMessage request) => Of(request) ?? RequestOptions.Set(request, Key, new RequestState());

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
