namespace EmpathyKit;

/// <summary>A crisis line in the directory.</summary>
/// <param name="Name">The service's name (for example "988 Suicide &amp; Crisis Lifeline").</param>
/// <param name="Number">The number or short code as a person would dial or text it.</param>
/// <param name="HowToReach">How to reach it (for example "call or text", "text HOME").</param>
public sealed record CrisisLine(string Name, string Number, string HowToReach);
