using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Recommender.Tests.Fakes;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Artifacts;

/// <summary>
/// Model zips built to hurt: sizes that lie, entries that inflate past what they declare, numbers
/// that are not numbers. Each is an <see cref="InvalidDataException"/>, found before memory is spent.
/// </summary>
public sealed class HostileModelFileTests
{
    private static byte[] ValidZip()
    {
        var zip = new MemoryStream();
        ModelArtifact.Write(TestModels.WithScores(1, ["alice"], ["p1", "p2"], [2f, 1f], popularity: [3f, 1f]), zip);
        return zip.ToArray();
    }

    /// <summary>Rewrites the uncompressed size the zip declares for <paramref name="name"/>, in its local header and its central directory record.</summary>
    private static byte[] WithDeclaredSize(byte[] zip, string name, uint size)
    {
        var patched = zip.ToArray();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (var i = 0; i + 46 < patched.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(patched.AsSpan(i));
            if (signature == 0x04034b50 && patched.AsSpan(i + 30).StartsWith(nameBytes)
                && BinaryPrimitives.ReadUInt16LittleEndian(patched.AsSpan(i + 26)) == nameBytes.Length)
                BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(i + 22), size);
            if (signature == 0x02014b50 && patched.AsSpan(i + 46).StartsWith(nameBytes)
                && BinaryPrimitives.ReadUInt16LittleEndian(patched.AsSpan(i + 28)) == nameBytes.Length)
                BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(i + 24), size);
        }
        return patched;
    }

    private static byte[] WithEntry(byte[] zip, string name, byte[] content)
    {
        var copy = new MemoryStream();
        copy.Write(zip);
        using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry(name)!.Delete();
            using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(content);
        }
        return copy.ToArray();
    }

    private static Exception? ReadError(byte[] zip) => Record.Exception(() => ModelArtifact.Read(new MemoryStream(zip)));

    [Fact]
    public void A_valid_zip_reads()
    {
        Assert.Null(ReadError(ValidZip()));
    }

    [Fact]
    public void A_deflated_entry_that_inflates_past_its_declared_size_is_rejected()
    {
        // products.json is deflated; the zip now claims it holds 4 bytes, as a zip bomb's tiny header would.
        var error = ReadError(WithDeclaredSize(ValidZip(), "products.json", 4));

        Assert.IsType<InvalidDataException>(error);
    }

    [Fact]
    public void An_array_entry_declaring_gigabytes_is_rejected_before_anything_is_allocated()
    {
        var zip = WithDeclaredSize(ValidZip(), "popularity.f32", 0xFFFF_FFF0);
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var error = Record.Exception(() => ZipEntries.ReadArray<float>(archive, "popularity.f32", 0xFFFF_FFF0 / sizeof(float)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.IsType<InvalidDataException>(error);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes were allocated for an entry that holds a few");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_float_array_holding_a_non_finite_value_is_rejected(float value)
    {
        // popularity: the three products (p1, p2 and the test model's delisted one).
        var popularity = new byte[3 * sizeof(float)];
        BinaryPrimitives.WriteSingleLittleEndian(popularity.AsSpan(4), value);

        var error = ReadError(WithEntry(ValidZip(), "popularity.f32", popularity));

        Assert.IsType<InvalidDataException>(error);
        Assert.Contains("popularity.f32", error.Message);
    }

    [Fact]
    public void Trending_may_say_no_score_with_negative_infinity_but_not_NaN()
    {
        var trending = new byte[3 * sizeof(float)];
        BinaryPrimitives.WriteSingleLittleEndian(trending, float.NegativeInfinity);
        Assert.Null(ReadError(WithEntry(ValidZip(), "trending.f32", trending)));

        BinaryPrimitives.WriteSingleLittleEndian(trending, float.NaN);
        Assert.IsType<InvalidDataException>(ReadError(WithEntry(ValidZip(), "trending.f32", trending)));
    }
}
