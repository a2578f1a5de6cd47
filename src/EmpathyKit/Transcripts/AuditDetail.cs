using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EmpathyKit.Transcripts;

/// <summary>Builds the compact, content-free JSON detail of audit entries.</summary>
internal static class AuditDetail
{
    public static string Of(params (string Name, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach ((string name, object? value) in fields)
            {
                switch (value)
                {
                    case null:
                        writer.WriteNull(name);
                        break;
                    case bool b:
                        writer.WriteBoolean(name, b);
                        break;
                    case int i:
                        writer.WriteNumber(name, i);
                        break;
                    case long l:
                        writer.WriteNumber(name, l);
                        break;
                    case DateTimeOffset t:
                        writer.WriteString(name, t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                        break;
                    case Guid g:
                        writer.WriteString(name, g.ToString("D"));
                        break;
                    case IEnumerable<string> list:
                        writer.WriteStartArray(name);
                        foreach (string item in list)
                        {
                            writer.WriteStringValue(item);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        writer.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
