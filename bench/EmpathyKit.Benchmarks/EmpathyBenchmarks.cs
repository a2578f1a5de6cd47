using BenchmarkDotNet.Attributes;
using EmpathyKit.Empathy;
using EmpathyKit.Guard;
using EmpathyKit.Responders;
using EmpathyKit.Sentiment;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Benchmarks;

/// <summary>The empathy engine's in-process parts on a 100-character message and a reply of similar length.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class EmpathyBenchmarks
{
    /// <summary>About 100 characters: what a good reply looks like.</summary>
    private const string Reply = "That sounds exhausting. It sounds like the move has left you alone at night. What are evenings like?";

    /// <summary>About 100 characters with a word ("disorder") that also wakes the guard's gated label-diagnosis pattern.</summary>
    private const string ReplyWithLabelCue = "It sounds like your eating disorder has been loud this week. What has it been like in the evenings?";

    private readonly PatternOutputGuard _guard = new();
    private readonly EpitomeScorer _scorer = new();
    private readonly GuardContext _context = new(0, RiskLevel.None, Messages.Short, new HashSet<string>(StringComparer.Ordinal));
    private readonly EmpathyScoreRequest _request = new(Messages.Short, Reply, 3, ["That sounds really painful. What has been the hardest part of this for you?"]);
    private List<ChatMessage> _history = null!;
    private ChatOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _history = [new ChatMessage(ChatRole.User, Messages.Short)];
        _options = new ChatOptions().SetTurnReport(new TurnReport { Sentiment = LexiconSentimentAnalyzer.Analyze(Messages.Short) });
    }

    [Benchmark]
    public SentimentResult Emotion_analysis_100_chars() => LexiconSentimentAnalyzer.Analyze(Messages.Short);

    [Benchmark]
    public GuardResult Guard_100_char_reply() => _guard.Check(Reply, _context);

    [Benchmark]
    public GuardResult Guard_100_char_reply_with_label_cue() => _guard.Check(ReplyWithLabelCue, _context);

    [Benchmark]
    public EmpathyScore Score_100_char_reply() => _scorer.Score(_request);

    [Benchmark]
    public string Offline_reply_100_chars() => OfflineResponder.Compose(_history, _options);
}
