using System.Text;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>Generated text of a given shape, for the cost and robustness tests.</summary>
internal static class TextShapes
{
    /// <summary>A unit repeated to exactly <paramref name="length"/> characters (the last repetition cut).</summary>
    public static string Repeat(string unit, int length)
    {
        var builder = new StringBuilder(length + unit.Length);
        while (builder.Length < length)
        {
            builder.Append(unit);
        }

        return builder.ToString(0, length);
    }
}
