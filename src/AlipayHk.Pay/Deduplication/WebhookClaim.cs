namespace AlipayHk.Pay;

/// <summary>What <see cref="IAlipayHkPayWebhookDeduplicationStore.TryClaimAsync"/> found for a callback's key.</summary>
public enum WebhookClaim
{
    /// <summary>Not seen before (or its record expired): the caller now holds it and must run the handler, then mark it processed or release it.</summary>
    Claimed = 0,

    /// <summary>Another delivery of the same outcome is being handled right now. The endpoint answers 409 so the gateway delivers it again later.</summary>
    InProgress = 1,

    /// <summary>Already handled successfully: a duplicate. The endpoint answers 200 without calling the handler.</summary>
    AlreadyProcessed = 2,
}
