using EmpathyKit.Semantic;

namespace EmpathyKit.Tests.Semantic;

public sealed class MiniLmEncoderTests
{
    private static MiniLmEncoder Encoder => MiniLmEncoder.Shared;

    [Fact]
    public void Encoder_gives_384_floats_of_unit_length()
    {
        float[] vector = Encoder.Encode("I can't sleep and I feel so alone since the move.");
        Assert.Equal(MiniLmEncoder.Dimensions, vector.Length);
        Assert.All(vector, v => Assert.True(float.IsFinite(v)));
        double norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        Assert.InRange(norm, 0.999, 1.001);
    }

    [Fact]
    public void Identical_text_gives_an_identical_vector_and_different_text_a_different_one()
    {
        float[] a = Encoder.Encode("we're planning a trip to the golden gate bridge");
        float[] b = Encoder.Encode("we're planning a trip to the golden gate bridge");
        float[] c = Encoder.Encode("my cat knocked a glass off the table");
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Whitespace_and_typographic_quotes_do_not_change_the_vector()
    {
        Assert.Equal(Encoder.Encode("I don't know\nwhat to do"), Encoder.Encode("  I don\u2019t   know what to do "));
    }

    [Fact]
    public void Similar_meanings_are_closer_than_unrelated_ones()
    {
        float[] a = Encoder.Encode("I feel so lonely tonight");
        float[] b = Encoder.Encode("nobody is around and I feel alone this evening");
        float[] c = Encoder.Encode("the spreadsheet formula returns an error");
        Assert.True(Cosine(a, b) > Cosine(a, c) + 0.2);
    }

    [Fact]
    public void Cache_returns_the_same_vector_and_keys_on_a_digest()
    {
        string text = "cache check " + Guid.NewGuid().ToString("N");
        ReadOnlyMemory<float> first = Encoder.GetOrAdd(text);
        ReadOnlyMemory<float> second = Encoder.GetOrAdd(text);
        Assert.True(first.Equals(second), "the second call should return the cached memory itself");
        Assert.Equal(Encoder.Encode(text), first.ToArray());
        Assert.True(Encoder.CachedCount is > 0 and <= MiniLmEncoder.CacheCapacity);
    }

    [Fact]
    public void Long_input_is_cut_to_the_maximum_length_and_keeps_the_separator()
    {
        string text = string.Join(' ', Enumerable.Repeat("everything has been a lot lately", 60));
        long[] ids = Encoder.Tokenize(text);
        long[] shortIds = Encoder.Tokenize("hello");
        Assert.Equal(MiniLmEncoder.MaxTokens, ids.Length);
        Assert.Equal(shortIds[0], ids[0]);
        Assert.Equal(shortIds[^1], ids[^1]);
        Assert.Equal(MiniLmEncoder.Dimensions, Encoder.Encode(text).Length);
    }

    [Fact]
    public void Empty_text_encodes()
    {
        Assert.Equal(MiniLmEncoder.Dimensions, Encoder.Encode(string.Empty).Length);
    }

    [Fact]
    public void Concurrent_calls_agree()
    {
        string[] texts = ["I had a long day at work", "my sister called and we argued again", "maybe I'll go for a walk later", "I feel so tired of everything lately"];
        float[][] expected = [.. texts.Select(Encoder.Encode)];
        float[][] actual = new float[texts.Length * 4][];
        Parallel.For(0, actual.Length, i => actual[i] = Encoder.Encode(texts[i % texts.Length]));
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % texts.Length], actual[i]);
        }
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);
}
