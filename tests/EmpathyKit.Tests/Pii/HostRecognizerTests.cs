using System.Text.RegularExpressions;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Pii;

public sealed partial class HostRecognizerTests
{
    [Fact]
    public async Task A_host_recognizer_added_through_di_redacts_its_format()
    {
        using var host = new TestHost(configure: b => b.AddPiiRecognizer(_ => new PatientIdRecognizer()));
        await host.Chat.SendAsync("c-patient", "my patient id is PT-448812, can you look it up?");
        IReadOnlyList<ChatMessage> sent = host.Provider.Requests[^1];
        Assert.Contains("[PATIENT_ID_1]", sent[^1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("PT-448812", sent[^1].Text, StringComparison.Ordinal);
    }

    private sealed partial class PatientIdRecognizer : IPiiRecognizer
    {
        public string Name => "patient_id";

        public void Recognize(PiiText text, ICollection<PiiEntity> results)
        {
            foreach (Match m in PatientId().Matches(text.Text))
            {
                results.Add(new PiiEntity("PATIENT_ID", m.Index, m.Index + m.Length, 1.0, "patient_id_pattern"));
            }
        }

        [GeneratedRegex(@"\bPT-\d{6}\b")]
        private static partial Regex PatientId();
    }
}
