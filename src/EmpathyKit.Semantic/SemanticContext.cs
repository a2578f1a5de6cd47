namespace EmpathyKit.Semantic;

/// <summary>How <see cref="SemanticCrisisModel"/> summarises the earlier turns' embeddings into one context vector.</summary>
internal enum SemanticContext
{
    /// <summary>The element-wise mean.</summary>
    Mean,

    /// <summary>The element-wise maximum.</summary>
    Max,
}
