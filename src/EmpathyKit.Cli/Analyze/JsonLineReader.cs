namespace EmpathyKit.Cli.Analyze;

/// <summary>
/// Reads a stream as lines of raw bytes (ending at '\n', a trailing '\r' removed), so that a line's bytes can be checked
/// as UTF-8 before anything decodes them, and a UTF-8 byte order mark at the start of the stream is skipped. A line
/// longer than the limit is not kept: it is reported as too long, and the reader skips to the next line, so memory
/// stays bounded by the limit whatever the input.
/// </summary>
internal sealed class JsonLineReader
{
    private const int ChunkSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly MemoryStream _line = new();
    private int _start;
    private int _end;
    private int _number;
    private bool _eof;

    public JsonLineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>
    /// Whether the next line can be read without waiting on the stream: a whole line is already buffered, or the stream
    /// has ended (the rest, if any, is the last line).
    /// </summary>
    public bool NextLineBuffered => _eof || Array.IndexOf(_chunk, (byte)'\n', _start, _end - _start) >= 0;

    /// <summary>Reads the next line; null at the end of the stream.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The line, or null.</returns>
    public async ValueTask<Line?> ReadAsync(CancellationToken cancellationToken)
    {
        _line.SetLength(0);
        bool tooLong = false;
        bool any = false;
        while (true)
        {
            if (_start == _end)
            {
                if (_eof)
                {
                    break;
                }

                _start = 0;
                _end = await _stream.ReadAsync(_chunk, cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                {
                    _eof = true;
                    break;
                }

                continue;
            }

            any = true;
            int newline = Array.IndexOf(_chunk, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            if (!tooLong)
            {
                if (_line.Length + (stop - _start) > _maxLineBytes)
                {
                    tooLong = true;
                    _line.SetLength(0);
                }
                else
                {
                    _line.Write(_chunk, _start, stop - _start);
                }
            }

            if (newline >= 0)
            {
                _start = newline + 1;
                return Finish(tooLong);
            }

            _start = _end;
        }

        return any ? Finish(tooLong) : null;
    }

    private Line Finish(bool tooLong)
    {
        _number++;
        var bytes = new ReadOnlyMemory<byte>(_line.GetBuffer(), 0, (int)_line.Length);
        if (bytes.Length > 0 && bytes.Span[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        if (_number == 1 && bytes.Span.StartsWith("\uFEFF"u8))
        {
            // A byte order mark at the start of the stream.
            bytes = bytes[3..];
        }

        bool blank = !tooLong && bytes.Span.IndexOfAnyExcept(" \t\r"u8) < 0;

        // The bytes are copied: the next read reuses the buffer.
        return new Line(_number, tooLong ? ReadOnlyMemory<byte>.Empty : bytes.ToArray(), tooLong, blank);
    }

    /// <summary>One input line.</summary>
    /// <param name="Number">Its 1-based line number.</param>
    /// <param name="Bytes">Its bytes without the line end (empty when too long).</param>
    /// <param name="TooLong">Whether it was longer than the limit (its bytes were not kept).</param>
    /// <param name="Blank">Whether it is empty or only spaces and tabs.</param>
    public sealed record Line(int Number, ReadOnlyMemory<byte> Bytes, bool TooLong, bool Blank);
}
