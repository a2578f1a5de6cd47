using Microsoft.Extensions.Options;

namespace EmpathyKit;

/// <summary>Validates <see cref="EmpathyKitOptions"/> data annotations (source-generated, reflection-free).</summary>
[OptionsValidator]
internal sealed partial class EmpathyKitOptionsValidator : IValidateOptions<EmpathyKitOptions>;
