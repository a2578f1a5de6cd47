using System.Text.RegularExpressions;
using EmpathyKit.Empathy;
using EmpathyKit.Guard;
using EmpathyKit.Text;
using EmpathyKit.Responders;
using EmpathyKit.Sentiment;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Responders;

/// <summary>
/// Issue 14, item 6: the offline responder never mirrors risk. At moderate risk and above it checks in on safety; at
/// every level it never repeats words about means, plans, ingestion or harm; and its reflections are grammatical.
/// </summary>
public sealed partial class OfflineResponderSafetyTests
{
    /// <summary>Disclosures of plans, ingestion and means (with what the user said that must never come back).</summary>
    public static TheoryData<string, string[]> Disclosures => new()
    {
        { "I've been planning my suicide for weeks and I think I'm ready now", ["planning", "suicide", "weeks", "ready"] },
        { "I just drank a glass of bleach.", ["drank", "glass", "bleach"] },
        { "I bought rope this afternoon", ["bought", "rope", "afternoon"] },
        { "I took a handful of my sleeping pills an hour ago", ["handful", "sleeping", "pills", "hour"] },
        { "I keep thinking about jumping off the bridge near my flat", ["jumping", "bridge", "flat"] },
        { "There's a knife in my drawer and I can't stop looking at it", ["knife", "drawer", "looking"] },
        { "I've been cutting my arms again", ["cutting", "arms"] },
        { "I want to kill myself tonight", ["kill", "tonight"] },
    };

    public static TheoryData<string, RiskLevel> DisclosuresAtRisk
    {
        get
        {
            var data = new TheoryData<string, RiskLevel>();
            foreach (object[] row in Disclosures)
            {
                data.Add((string)row[0], RiskLevel.Moderate);
                data.Add((string)row[0], RiskLevel.High);
            }

            data.Add("I just drank a glass of bleach.", RiskLevel.Imminent);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(DisclosuresAtRisk))]
    public void At_moderate_risk_and_above_the_reply_is_a_safety_check_in_that_quotes_nothing(string message, RiskLevel level)
    {
        string reply = Reply([new ChatMessage(ChatRole.User, message)], message, level);

        Assert.Matches(ThanksOrGladRegex(), reply);
        Assert.Matches(SafetyQuestionRegex(), reply);
        Assert.Matches(ReachPersonRegex(), reply);
        Assert.DoesNotMatch(DigitRegex(), reply); // the crisis lines come as a disclaimer, never from the responder
        Assert.Null(FirstQuotedWord(message, reply));
        Assert.DoesNotContain("It sounds like this has been weighing", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("thanks")]
    [InlineData("bye")]
    [InlineData("are you a bot?")]
    [InlineData("I'm so tired of everything")]
    public void At_moderate_risk_every_kind_of_message_gets_the_check_in(string message)
    {
        string reply = Reply([new ChatMessage(ChatRole.User, message)], message, RiskLevel.Moderate);

        Assert.Matches(SafetyQuestionRegex(), reply);
        Assert.Matches(ReachPersonRegex(), reply);
    }

    [Fact]
    public void Check_ins_are_deterministic_varied_pass_the_guard_and_keep_asking_about_safety()
    {
        const string Message = "I bought rope this afternoon";
        var scorer = new EpitomeScorer();
        var history = new List<ChatMessage>();
        var replies = new List<string>();
        for (int turn = 0; turn < 10; turn++)
        {
            history.Add(new ChatMessage(ChatRole.User, Message));
            string reply = Reply(history, Message, RiskLevel.High);
            Assert.Equal(reply, Reply(history, Message, RiskLevel.High));

            var violations = new List<string>();
            ReplyPatterns.FindViolations(reply, new GuardContext(turn, RiskLevel.High, Message), GuardOptions.DefaultAdviceFreeTurns, violations);
            Assert.True(violations.Count == 0, $"turn {turn}: {string.Join(',', violations)} in {reply}");
            EmpathyScore score = scorer.Score(new EmpathyScoreRequest(Message, reply, turn, [.. replies]));
            Assert.DoesNotContain(EmpathyFlags.Generic, score.Flags);

            // Past the rotation (six of each part) the question and the invitation are said again rather than left out.
            Assert.Matches(SafetyQuestionRegex(), reply);
            Assert.Matches(ReachPersonRegex(), reply);
            Assert.Null(FirstQuotedWord(Message, reply));
            replies.Add(reply);
            history.Add(new ChatMessage(ChatRole.Assistant, reply));
        }

        Assert.Equal(6, replies.Take(6).Distinct(StringComparer.Ordinal).Count());
        string[] firstSentences = [.. replies.Take(6).Select(r => r.Split(['.', '?'], 2)[0])];
        Assert.Equal(6, firstSentences.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Disclosures))]
    public void Below_moderate_risk_words_about_means_plans_or_harm_are_never_reflected(string message, string[] userWords)
    {
        // The detector may have missed it: the responder still refuses to repeat it, whatever the level says.
        Assert.True(OfflineResponder.MentionsRisk(message));
        Assert.Null(OfflineResponder.Reflect(message));
        foreach (RiskLevel level in new[] { RiskLevel.None, RiskLevel.Low })
        {
            foreach (bool withCrisis in new[] { true, false })
            {
                string reply = Reply([new ChatMessage(ChatRole.User, message)], message, withCrisis ? level : null);

                Assert.False(OfflineResponder.MentionsRisk(reply), reply);
                foreach (string word in userWords)
                {
                    Assert.DoesNotMatch(new Regex($@"\b{word}\b", RegexOptions.IgnoreCase), reply);
                }

                Assert.Null(FirstQuotedWord(message, reply));
            }
        }
    }

    [Theory]
    [InlineData("I've been planning my week around the appointments")]
    [InlineData("I planned everything out")]
    [InlineData("My dog died and I feel so empty")]
    [InlineData("I feel like I'm dying inside")]
    [InlineData("I've been taking my tablets every morning")]
    [InlineData("I OD'd last year and I'm scared it'll happen again")]
    [InlineData("I self-harmed again after the argument")]
    [InlineData("Honestly I just want it all to end, my whole life feels pointless")]
    [InlineData("My family would be better off without me")]
    [InlineData("I've been hurting myself when it gets bad")]
    [InlineData("I'm scared of heights so the bridge on my commute is awful")]
    public void The_risk_check_is_one_general_word_set_covering_inflections_and_near_misses(string message)
    {
        // Harmless uses ("planning my week") cost only the specific reflection; the general one is used instead.
        Assert.True(OfflineResponder.MentionsRisk(message));
        Assert.Null(OfflineResponder.Reflect(message));
    }

    [Theory]
    [InlineData("I can't sleep since the move")]
    [InlineData("My boss humiliated me in front of the whole team today")]
    [InlineData("I feel so empty and alone lately")]
    public void Messages_without_risk_words_are_still_reflected(string message)
    {
        Assert.False(OfflineResponder.MentionsRisk(message));
        Assert.NotNull(OfflineResponder.Reflect(message));
    }

    [Theory]
    [InlineData("Yesterday my mum shouted at me", "yesterday your mum shouted at you")]
    [InlineData("Work has been crushing me for months", "work has been crushing you for months")]
    [InlineData("Everyone's moved on except me", "everyone's moved on except you")]
    [InlineData("My partner shouted at me again last night", "your partner shouted at you again last night")]
    [InlineData("I've been so tired since the move", "you've been so tired since the move")]
    [InlineData("I’ve been so tired since the move", "you've been so tired since the move")]
    [InlineData("Ive been feeling low all week", "you've been feeling low all week")]
    [InlineData("I'm exhausted from looking after everyone else", "you're exhausted from looking after everyone else")]
    [InlineData("Honestly I was so embarrassed at work", "you were so embarrassed at work")]
    [InlineData("Been awake all night because my mind won't stop", "you've been awake all night because your mind won't stop")]
    [InlineData("Can't sleep, my head won't stop racing", "you can't sleep, your head won't stop racing")]
    [InlineData("Feeling like my life is falling apart", "you're feeling like your life is falling apart")]
    [InlineData("Miss my dad so much lately", "you miss your dad so much lately")]
    [InlineData("Sam and I broke up last week", "Sam and you broke up last week")]
    [InlineData("London has been so lonely for me", "London has been so lonely for you")]
    [InlineData("ADHD makes my days so hard", "ADHD makes your days so hard")]
    [InlineData("[PERSON_1] left me last week", "[PERSON_1] left you last week")]
    public void Reflections_start_in_lower_case_unless_they_open_with_a_name_and_keep_their_subject(string message, string expected)
    {
        Assert.Equal(expected, OfflineResponder.Reflect(message));

        // In the reply the reflection sits after its frame ("So …", "It sounds like …") exactly as reflected.
        string reply = Reply([new ChatMessage(ChatRole.User, message)], message, RiskLevel.None);
        Assert.Contains(expected + ".", reply, StringComparison.Ordinal);
        Assert.DoesNotMatch(FrameThenCapitalRegex(), reply.Replace("ADHD", "adhd", StringComparison.Ordinal).Replace("London", "london", StringComparison.Ordinal).Replace("Sam", "sam", StringComparison.Ordinal));
    }

    private static string Reply(List<ChatMessage> history, string message, RiskLevel? level)
    {
        var options = new ChatOptions();
        options.SetTurnReport(new TurnReport
        {
            TurnIndex = history.Count(m => m.Role == ChatRole.User) - 1,
            Sentiment = LexiconSentimentAnalyzer.Analyze(message),
            Crisis = level is { } l ? new CrisisAssessment(l, l == RiskLevel.None ? [] : [CrisisCategory.Distress], []) : null,
        });
        return OfflineResponder.Compose(history, options);
    }

    /// <summary>The first run of three words of the message (content words only) that the reply repeats, if any.</summary>
    private static string? FirstQuotedWord(string message, string reply)
    {
        string[] stop = ["this", "that", "been", "have", "with", "just", "i've", "i'm", "can't", "there's", "about", "near", "again", "think", "keep", "want", "stop", "thinking", "right"];
        foreach (Match word in WordRegex().Matches(message))
        {
            string w = word.Value.ToLowerInvariant();
            if (w.Length >= 4 && !stop.Contains(w) && Regex.IsMatch(reply, $@"\b{Regex.Escape(w)}\b", RegexOptions.IgnoreCase))
            {
                return w;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\b(?:thank you|thanks|glad you)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ThanksOrGladRegex();

    [GeneratedRegex(@"(?:ending your life|safe (?:right now|where you are)|how safe are you)[^.?!]*\?", RegexOptions.IgnoreCase)]
    private static partial Regex SafetyQuestionRegex();

    [GeneratedRegex(@"\b(?:a person|someone (?:you trust|close to you|now)|crisis line)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReachPersonRegex();

    [GeneratedRegex(@"\d")]
    private static partial Regex DigitRegex();

    [GeneratedRegex(@"[\p{L}'’]+")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"(?:\bSo|It sounds like|It seems like|saying,|right,|hearing is that|It sounds as if) [A-Z]")]
    private static partial Regex FrameThenCapitalRegex();
}
