namespace Recommender.Training.Artifacts;

/// <summary>
/// A zip entry's stream that yields no more than the entry declared and then says whether it held
/// exactly that: the declared size is what the caps were checked against, so a deflated entry
/// that inflates further (a zip bomb) or falls short is rejected, not read on.
/// </summary>
internal sealed class DeclaredLengthStream(Stream inner, long declared, string name) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => declared;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var remaining = declared - _read;
        if (remaining == 0)
        {
            // One byte more than declared is enough to know the entry lied.
            if (buffer.Length > 0 && inner.Read(stackalloc byte[1]) > 0) throw TooLong();
            return 0;
        }
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        _read += n;
        return n;
    }

    /// <summary>Throws unless exactly the declared bytes were read and nothing follows them.</summary>
    public void CheckFullyRead()
    {
        if (_read != declared)
            throw new InvalidDataException($"{name} holds fewer bytes than the {declared} it declares.");
        if (inner.Read(stackalloc byte[1]) > 0) throw TooLong();
    }

    private InvalidDataException TooLong() => new($"{name} holds more bytes than the {declared} it declares.");

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
