using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EmpathyKit.Testing;

/// <summary>
/// The suite's checks, with no test framework behind them: each throws <see cref="ExpectationFailedException"/> naming
/// the expression that failed, what it was and what was expected.
/// </summary>
internal static class Expect
{
    public static void True(bool condition, string? because = null, [CallerArgumentExpression(nameof(condition))] string? what = null)
    {
        if (!condition)
        {
            Fail($"{what} is false{(string.IsNullOrEmpty(because) ? string.Empty : $" ({because})")}");
        }
    }

    public static void Equal<T>(T expected, T actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Fail($"{what} is {Show(actual)}, expected {Show(expected)}");
        }
    }

    public static void NotEqual<T>(T unexpected, T actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        if (EqualityComparer<T>.Default.Equals(unexpected, actual))
        {
            Fail($"{what} is {Show(actual)}, expected anything else");
        }
    }

    public static void SequenceEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        List<T> want = [.. expected];
        List<T> got = [.. actual];
        if (!want.SequenceEqual(got))
        {
            Fail($"{what} is {Show(got)}, expected {Show(want)}");
        }
    }

    public static void Null<T>(T? actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
        where T : class
    {
        if (actual is not null)
        {
            Fail($"{what} is {Show(actual)}, expected null");
        }
    }

    public static void Empty<T>(IEnumerable<T> actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        List<T> got = [.. actual];
        if (got.Count != 0)
        {
            Fail($"{what} is {Show(got)}, expected empty");
        }
    }

    public static T Single<T>(IEnumerable<T> actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        List<T> got = [.. actual];
        if (got.Count != 1)
        {
            Fail($"{what} has {got.Count} elements {Show(got)}, expected exactly one");
        }

        return got[0];
    }

    public static void All<T>(IEnumerable<T> items, Action<T> check, [CallerArgumentExpression(nameof(items))] string? what = null)
    {
        int index = 0;
        foreach (T item in items)
        {
            try
            {
                check(item);
            }
            catch (ExpectationFailedException ex)
            {
                throw new ExpectationFailedException($"{what}[{index}]: {ex.Message}", ex);
            }

            index++;
        }
    }

    public static void Contains<T>(T item, IEnumerable<T> actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        List<T> got = [.. actual];
        if (!got.Contains(item))
        {
            Fail($"{what} is {Show(got)}, expected it to contain {Show(item)}");
        }
    }

    public static void Contains(string part, string actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        if (!actual.Contains(part, StringComparison.Ordinal))
        {
            Fail($"{what} does not contain {Show(part)}");
        }
    }

    public static void DoesNotContain(string part, string actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        if (actual.Contains(part, StringComparison.Ordinal))
        {
            Fail($"{what} contains {Show(part)}");
        }
    }

    public static void StartsWith(string prefix, string actual, [CallerArgumentExpression(nameof(actual))] string? what = null)
    {
        if (!actual.StartsWith(prefix, StringComparison.Ordinal))
        {
            Fail($"{what} is {Show(actual)}, expected it to start with {Show(prefix)}");
        }
    }

    /// <summary>Awaits <paramref name="action"/> and expects it to throw exactly <typeparamref name="TException"/>.</summary>
    public static async Task<TException> ThrowsAsync<TException>(Func<Task> action, [CallerArgumentExpression(nameof(action))] string? what = null)
        where TException : Exception
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex.GetType() == typeof(TException))
        {
            return (TException)ex;
        }
        catch (Exception ex)
        {
            throw new ExpectationFailedException($"{what} threw {ex.GetType().Name}, expected {typeof(TException).Name}", ex);
        }

        throw new ExpectationFailedException($"{what} completed, expected it to throw {typeof(TException).Name}");
    }

    /// <summary>What went wrong: a failed check's own message, or the exception that was thrown (the store's, or the vault's over it).</summary>
    public static string Describe(Exception exception) =>
        exception is ExpectationFailedException ? exception.Message : $"{exception.GetType().FullName} was thrown: {exception.Message}";

    [DoesNotReturn]
    private static void Fail(string message) => throw new ExpectationFailedException(message);

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Show)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
