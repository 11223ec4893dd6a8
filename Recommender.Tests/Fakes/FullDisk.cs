namespace Recommender.Tests.Fakes;

/// <summary>
/// Files that fail like a full disk once <see cref="IsFull"/> is set: the first bytes are written,
/// then "No space left on device". Tests run as root, so a read-only directory would not stop a
/// write; this fails at the one seam the model store writes through.
/// </summary>
public sealed class FullDisk
{
    public bool IsFull { get; set; }

    /// <summary>Bytes a file may take before the disk is full.</summary>
    public long FreeBytes { get; init; } = 1000;

    public Stream Create(string path)
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        return IsFull ? new SpaceLimitedStream(file, FreeBytes) : file;
    }

    private sealed class SpaceLimitedStream(FileStream inner, long capacity) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > capacity)
                throw new IOException("No space left on device");
            inner.Write(buffer);
            _written += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
