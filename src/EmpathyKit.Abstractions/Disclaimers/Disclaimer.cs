namespace EmpathyKit;

/// <summary>A disclaimer added to a reply.</summary>
/// <param name="Kind">The kind (see <see cref="DisclaimerKinds"/>).</param>
/// <param name="Text">The text shown to the user.</param>
public sealed record Disclaimer(string Kind, string Text);
