using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ImageStreams.Builder.Layers;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Builder.Tests.Layers;

public class LayerWriterTests : IDisposable
{
    private readonly TempDirectory directory = new("layers");

    public void Dispose() => directory.Dispose();

    [Fact]
    public void Write_SameEntriesInAnyOrder_GiveTheSameDigests()
    {
        var entries = Entries();

        var first = LayerWriter.Write(entries, directory.Combine("a.tar.gz"), DateTimeOffset.UnixEpoch, CompressionLevel.Optimal);
        var second = LayerWriter.Write(entries.AsEnumerable().Reverse(), directory.Combine("b.tar.gz"), DateTimeOffset.UnixEpoch, CompressionLevel.Optimal);

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.DiffId, second.DiffId);
        Assert.Equal(new FileInfo(first.Path).Length, first.Size);
    }

    [Fact]
    public void Write_HoldsNothingOfTheProcessOrTheMoment_EvenForLongNames()
    {
        var layer = LayerWriter.Write(Entries(), directory.Combine("a.tar.gz"), DateTimeOffset.UnixEpoch, CompressionLevel.Optimal);

        using var gzip = new GZipStream(File.OpenRead(layer.Path), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        var text = Encoding.ASCII.GetString(tar.ToArray());
        // PAX headers are named after the writing process; GNU long names use a fixed name.
        Assert.DoesNotContain("PaxHeaders", text);
        Assert.Contains("././@LongLink", text);
        tar.Position = 0;
        using var reader = new TarReader(tar);
        var names = new List<string>();
        while (reader.GetNextEntry() is GnuTarEntry entry)
        {
            names.Add(entry.Name);
            Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
            Assert.Equal(DateTimeOffset.UnixEpoch, entry.AccessTime);
            Assert.Equal("", entry.UserName);
        }
        Assert.Equal(Entries().Select(e => e.Type == TarEntryType.Directory ? e.Path + "/" : e.Path).Order(StringComparer.Ordinal), names);
    }

    private List<LayerEntry> Entries()
    {
        var file = directory.Combine("content.txt");
        File.WriteAllText(file, "content");
        var longName = "app/" + new string('n', 150) + ".txt";
        return
        [
            new LayerEntry { Path = "app", Type = TarEntryType.Directory, Mode = (UnixFileMode)0b111_101_101 },
            new LayerEntry { Path = "app/file.txt", Type = TarEntryType.RegularFile, Mode = (UnixFileMode)0b110_100_100, SourceFile = file },
            new LayerEntry { Path = longName, Type = TarEntryType.RegularFile, Mode = (UnixFileMode)0b110_100_100, Content = [1, 2, 3], Uid = 1001 },
            new LayerEntry { Path = "app/link", Type = TarEntryType.SymbolicLink, Mode = (UnixFileMode)0b111_111_111, LinkTarget = "file.txt" },
        ];
    }
}
