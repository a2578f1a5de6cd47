using System.Text;

namespace EmpathyKit.Cli.Eval;

/// <summary>A small RFC 4180 reader (quoted fields, doubled quotes, embedded commas and line breaks) for the eval sets.</summary>
internal static class Csv
{
    public static IEnumerable<Dictionary<string, string>> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        List<string>? header = null;
        while (ReadRecord(reader) is { } record)
        {
            if (header is null)
            {
                header = record;
                continue;
            }

            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Count; i++)
            {
                row[header[i]] = i < record.Count ? record[i] : string.Empty;
            }

            yield return row;
        }
    }

    /// <summary>Reads every record as a list of fields, the header included.</summary>
    public static IEnumerable<List<string>> ReadRows(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        while (ReadRecord(reader) is { } record)
        {
            yield return record;
        }
    }

    private static List<string>? ReadRecord(StreamReader reader)
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        while (true)
        {
            int next = reader.Read();
            if (next < 0)
            {
                fields.Add(field.ToString());
                return fields;
            }

            char c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                return fields;
            }
            else
            {
                field.Append(c);
            }
        }
    }
}
