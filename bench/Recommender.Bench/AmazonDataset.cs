namespace Recommender.Bench;

/// <summary>One user of an Amazon dataset file and the items they interacted with, oldest first.</summary>
internal sealed record AmazonUser(int Id, int[] Items);

/// <summary>
/// Reads the S3-Rec/ICLRec format (shared/datasets/README.md): one line per user,
/// <c>user item1 item2 …</c>, positive integer ids separated by single spaces.
/// </summary>
internal static class AmazonDataset
{
    public static List<AmazonUser> Read(string path)
    {
        var users = new List<AmazonUser>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
                throw new FormatException($"{path}:{lineNumber}: expected 'user item1 item2 …'");
            var items = new int[fields.Length - 1];
            for (var i = 0; i < items.Length; i++)
                items[i] = ParseId(fields[i + 1], path, lineNumber);
            users.Add(new AmazonUser(ParseId(fields[0], path, lineNumber), items));
        }
        return users;
    }

    private static int ParseId(string field, string path, int lineNumber) =>
        int.TryParse(field, out var id) && id > 0
            ? id
            : throw new FormatException($"{path}:{lineNumber}: '{field}' is not a positive integer id");
}
