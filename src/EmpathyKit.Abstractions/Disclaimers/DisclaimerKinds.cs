namespace EmpathyKit;

/// <summary>Kinds of disclaimer a policy can add to a reply.</summary>
public static class DisclaimerKinds
{
    /// <summary>The bot says it is an AI, not a person or a clinician.</summary>
    public const string AiDisclosure = "ai_disclosure";

    /// <summary>The bot states a boundary (no diagnosis, no medication advice).</summary>
    public const string Boundary = "boundary";

    /// <summary>The bot lists crisis resources.</summary>
    public const string CrisisResources = "crisis_resources";
}
