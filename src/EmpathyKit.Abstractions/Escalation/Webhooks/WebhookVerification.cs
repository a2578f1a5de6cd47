namespace EmpathyKit.Webhooks;

/// <summary>What <see cref="StandardWebhooks.Verify"/> found.</summary>
public enum WebhookVerification
{
    /// <summary>A signature made with one of the receiver's secrets over this id, timestamp and body, within the tolerance.</summary>
    Valid,

    /// <summary>A <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> header is missing or empty.</summary>
    MissingHeaders,

    /// <summary>The timestamp is not whole seconds since the Unix epoch.</summary>
    BadTimestamp,

    /// <summary>The timestamp is further from the receiver's clock than the tolerance (a replay, or a clock far off).</summary>
    OutsideTolerance,

    /// <summary>No <c>v1</c> signature matches: the body, id or timestamp was altered, or it was signed with another secret.</summary>
    NoValidSignature,
}
