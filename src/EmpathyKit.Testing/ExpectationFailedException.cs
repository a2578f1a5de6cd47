namespace EmpathyKit.Testing;

/// <summary>A check of the suite failed; the conformance runner reports it with the case's name.</summary>
internal sealed class ExpectationFailedException : Exception
{
    public ExpectationFailedException()
    {
    }

    public ExpectationFailedException(string message)
        : base(message)
    {
    }

    public ExpectationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
