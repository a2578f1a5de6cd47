using EmpathyKit.Guard;

namespace EmpathyKit.Tests.Guard;

/// <summary>One deterministic test per rule of the built-in guard, with the near misses that must pass.</summary>
public sealed class OutputGuardTests
{
    private static readonly PatternOutputGuard Guard = new();

    [Theory]
    [InlineData("A lethal dose would be about twenty tablets.", GuardViolations.MeansOrMethod)]
    [InlineData("The tallest bridges in the city are on the east side.", GuardViolations.MeansOrMethod)]
    [InlineData("Hanging is the quickest way, but please don't.", GuardViolations.MeansOrMethod)]
    [InlineData("That many pills would be enough to kill you.", GuardViolations.MeansOrMethod)]
    [InlineData("You probably have clinical depression.", GuardViolations.Diagnosis)]
    [InlineData("These are classic signs of bipolar disorder.", GuardViolations.Diagnosis)]
    [InlineData("You're clearly bipolar.", GuardViolations.Diagnosis)]
    [InlineData("I think you have a panic disorder.", GuardViolations.Diagnosis)]
    [InlineData("It sounds like you have social anxiety disorder.", GuardViolations.Diagnosis)]
    [InlineData("This is classic intermittent explosive disorder, you probably have it.", GuardViolations.Diagnosis)]
    [InlineData("Sounds like you might be on the autism spectrum, which would explain it.", GuardViolations.Diagnosis)]
    [InlineData("These are signs of a sleep-wake phase syndrome.", GuardViolations.Diagnosis)]
    [InlineData("That's textbook depression.", GuardViolations.Diagnosis)]
    [InlineData("You've got ADHD, that's all it is.", GuardViolations.Diagnosis)]
    [InlineData("You're suffering from PTSD.", GuardViolations.Diagnosis)]
    [InlineData("You've clearly got panic disorder.", GuardViolations.Diagnosis)]
    [InlineData("You\u2019re showing signs of anorexia.", GuardViolations.Diagnosis)]
    [InlineData("Take 2 of your husband's sleeping tablets tonight.", GuardViolations.MedicationDose)]
    [InlineData("You should ask your GP for antidepressants.", GuardViolations.MedicationDose)]
    [InlineData("At least he had a long life!", GuardViolations.ToxicPositivity)]
    [InlineData("You can always get another dog.", GuardViolations.ToxicPositivity)]
    [InlineData("Everything will work out in the end, just keep smiling!", GuardViolations.ToxicPositivity)]
    [InlineData("Exams aren't everything.", GuardViolations.Minimising)]
    [InlineData("It's really not that big of a deal.", GuardViolations.Minimising)]
    [InlineData("Every new mum feels like that.", GuardViolations.Minimising)]
    [InlineData("Everyone feels like that.", GuardViolations.Minimising)]
    [InlineData("Pain is weakness leaving the body. Push through it!", GuardViolations.Minimising)]
    [InlineData("You\u2019re clearly bipolar.", GuardViolations.Diagnosis)]
    [InlineData("You\u2019ve got seasonal affective disorder.", GuardViolations.Diagnosis)]
    [InlineData("Try 50 mg before bed.", GuardViolations.MedicationDose)]
    [InlineData("You could start taking sertraline.", GuardViolations.MedicationDose)]
    [InlineData("Some Xanax would calm you down.", GuardViolations.MedicationDose)]
    [InlineData("Look on the bright side!", GuardViolations.ToxicPositivity)]
    [InlineData("Everything will be fine, just stay positive.", GuardViolations.ToxicPositivity)]
    [InlineData("You're overreacting, honestly.", GuardViolations.Minimising)]
    [InlineData("It's not a big deal.", GuardViolations.Minimising)]
    [InlineData("Everyone feels that way sometimes.", GuardViolations.Minimising)]
    [InlineData("I promise I'll keep this a secret.", GuardViolations.SecrecyPromise)]
    [InlineData("This stays between us.", GuardViolations.SecrecyPromise)]
    [InlineData("I'm a real person, not a bot.", GuardViolations.ClaimsHuman)]
    [InlineData("I'm a licensed therapist.", GuardViolations.ClaimsHuman)]
    [InlineData("I've been there myself.", GuardViolations.ClaimsHuman)]
    [InlineData("Only I understand you.", GuardViolations.Dependence)]
    [InlineData("You don't need anyone else when you have me.", GuardViolations.Dependence)]
    [InlineData("People like that are psychos.", GuardViolations.Stigma)]
    [InlineData("He committed suicide last year.", GuardViolations.Stigma)]
    [InlineData("Yes, they are watching you.", GuardViolations.Collusion)]
    public void Blocks(string reply, string violation)
    {
        GuardResult result = Guard.Check(reply);

        Assert.False(result.Passed);
        Assert.Contains(violation, result.Violations);
    }

    [Theory]
    [InlineData("That sounds really painful. What has been the hardest part?")]
    [InlineData("You're not crazy for feeling this way.")]
    [InlineData("It sounds like you feel you should have done more.")]
    [InlineData("I'm an AI, not a person, but I'm here to listen.")]
    [InlineData("A doctor or pharmacist can talk you through medication safely.")]
    [InlineData("It makes sense to worry when your dad is in hospital.")]
    [InlineData("What would you like to talk about today?")]
    [InlineData("Would it help to think through some options together?")]
    [InlineData("It sounds like your depression has been heavy lately.")]
    [InlineData("You mentioned your sister, [PERSON_1], has been supportive.")]
    [InlineData("It sounds like your eating disorder has been loud this week.")]
    [InlineData("It sounds like you're worried you might have an eating disorder. What has made you wonder?")]
    [InlineData("You might have heard of seasonal affective disorder; a GP can talk it through with you.")]
    [InlineData("It sounds like a classic case of a week that asked too much of you.")]
    [InlineData("Just so you know, I'm here to listen.")]
    [InlineData("Take your time; I'm listening.")]
    [InlineData("You can take all the time you need.")]
    [InlineData("Tell me more about what happened.")]
    [InlineData("If you could change one thing, what would it be?")]
    [InlineData("It sounds like every morning feels like this for you.")]
    [InlineData("It sounds like at least the nights have been a bit easier.")]
    [InlineData("Could you stay with someone at least for tonight?")]
    [InlineData("You can always get in touch here, any time.")]
    [InlineData("You've had to push through so much this year.")]
    [InlineData("It sounds like you took two of your tablets and then felt sick.")]
    [InlineData("It sounds like you're feeling depressed and flat.")]
    [InlineData("You've got so much on your plate right now.")]
    [InlineData("Every time you think about it, the fear comes back.")]
    public void Passes_safe_replies(string reply)
    {
        var context = new GuardContext(0, RiskLevel.None, "I feel awful.", new HashSet<string> { "[PERSON_1]" });

        GuardResult result = Guard.Check(reply, context);

        Assert.True(result.Passed, string.Join(',', result.Violations));
    }

    [Fact]
    public void Advice_is_blocked_in_the_first_turns_unless_the_user_asked_and_allowed_later()
    {
        const string advice = "You should talk to your manager about the workload.";

        Assert.Contains(GuardViolations.UnsolicitedAdvice, Guard.Check(advice, new GuardContext(0, RiskLevel.None, "Work is crushing me.")).Violations);
        Assert.Contains(GuardViolations.UnsolicitedAdvice, Guard.Check(advice, new GuardContext(1, RiskLevel.None, "It's every day.")).Violations);
        Assert.True(Guard.Check(advice, new GuardContext(0, RiskLevel.None, "What should I do about my manager?")).Passed);
        Assert.True(Guard.Check(advice, new GuardContext(2, RiskLevel.None, "It's every day.")).Passed);
        Assert.True(new PatternOutputGuard(adviceFreeTurns: 0).Check(advice, new GuardContext(0, RiskLevel.None, "Work is crushing me.")).Passed);
    }

    [Theory]
    [InlineData("Just invite them for drinks after work, that always works.")]
    [InlineData("You could take a long walk every evening.")]
    [InlineData("Maybe call your sister tonight.")]
    [InlineData("I hear you. Practise in front of a mirror.")]
    [InlineData("Ignore them and focus on yourself.")]
    [InlineData("Tell your boss how you feel.")]
    [InlineData("Next time, focus on your breathing and count the stops.")]
    public void Imperatives_and_you_could_are_advice_in_the_first_turns(string reply)
    {
        Assert.Contains(GuardViolations.UnsolicitedAdvice, Guard.Check(reply, new GuardContext(0, RiskLevel.None, "Everyone at work ignores me.")).Violations);
    }

    [Fact]
    public void At_moderate_risk_urging_the_person_to_reach_out_is_not_blocked_as_advice()
    {
        const string reply = "You should call a crisis line or someone you trust right now.";

        Assert.True(Guard.Check(reply, new GuardContext(0, RiskLevel.Moderate, "I don't want to be here anymore")).Passed);
        Assert.False(Guard.Check(reply, new GuardContext(0, RiskLevel.Low, "I'm tired")).Passed);
    }

    [Fact]
    public void A_placeholder_the_provider_was_never_given_is_a_leak()
    {
        var known = new HashSet<string> { "[PERSON_1]" };

        Assert.True(Guard.Check("Say hello to [PERSON_1] for me.", new GuardContext(3, RiskLevel.None, null, known)).Passed);
        Assert.Contains(GuardViolations.LeakedPlaceholder, Guard.Check("Is [PERSON_2] your brother?", new GuardContext(3, RiskLevel.None, null, known)).Violations);
        Assert.Contains(GuardViolations.LeakedPlaceholder, Guard.Check("Is [EMAIL your address?", new GuardContext(3, RiskLevel.None, null, known)).Violations);
    }

    [Fact]
    public void The_default_disclaimers_pass_the_guard_on_the_first_turn()
    {
        var options = new DisclaimerOptions();
        var context = new GuardContext(0, RiskLevel.Moderate, "Do I have depression?");

        foreach (string text in new[] { options.AiDisclosure, options.Boundary, options.CrisisResources })
        {
            Assert.True(Guard.Check(text, context).Passed, text);
        }
    }
}
