using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageStreams.Testing.Fuzzing;

/// <summary>
/// Seeded random changes to valid inputs, for tests that feed a parser or an endpoint thousands of near-valid inputs.
/// The same seed gives the same inputs, so a failure names its seed and iteration and can be replayed.
/// </summary>
public sealed class Mutator(int seed)
{
    private const string Alphabet = "abcz09AZ-_.:/@+[]%~ \t\n\r\0\u007f\u00e9\u2028\ud83d\ude00{}\"'\\,;=#*!?&$";

    private static readonly string[] Interesting =
    [
        "", " ", "null", "true", "-1", "0", "1e309", "18446744073709551616", "NaN", "..", "../..", "/", "//", "\0", "\n",
        "sha256:", "sha256:" + new string('a', 64), "sha512:" + new string('b', 128), "a:b@c", "::1", "[::1]:5000",
        "localhost:0", "x" + new string('y', 300), "%2e%2e", "\u202e", "A", "latest", "*", "{{", "'", "\"",
    ];

    /// <summary>The seed in <c>IMAGESTREAMS_FUZZ_SEED</c> (to explore or replay), else <paramref name="fixedSeed"/>.</summary>
    public static Mutator Seeded(int fixedSeed) =>
        new(int.TryParse(Environment.GetEnvironmentVariable("IMAGESTREAMS_FUZZ_SEED"), out var chosen) ? chosen : fixedSeed);

    public Random Random { get; } = new(seed);

    public int Seed { get; } = seed;

    /// <summary>
    /// Runs <paramref name="body"/> with a new iteration number until <paramref name="iterations"/> ran or
    /// <paramref name="budget"/> passed; a failure is rethrown naming the seed and iteration.
    /// </summary>
    public async Task RunAsync(int iterations, TimeSpan budget, Func<int, Task> body)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations && watch.Elapsed < budget; i++)
        {
            try
            {
                await body(i);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"seed {Seed}, iteration {i}: {e.Message}", e);
            }
        }
    }

    public void Run(int iterations, TimeSpan budget, Action<int> body) =>
        RunAsync(iterations, budget, i =>
        {
            body(i);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    /// <summary>One to four edits of <paramref name="text"/>: inserts, deletions, repeats, replacements, cuts.</summary>
    public string Mutate(string text)
    {
        var builder = new StringBuilder(text);
        var edits = Random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            var at = builder.Length == 0 ? 0 : Random.Next(builder.Length);
            switch (Random.Next(7))
            {
                case 0:
                    builder.Insert(at, Alphabet[Random.Next(Alphabet.Length)]);
                    break;
                case 1 when builder.Length > 0:
                    builder.Remove(at, Math.Min(Random.Next(1, 8), builder.Length - at));
                    break;
                case 2 when builder.Length > 0:
                    var length = Math.Min(Random.Next(1, 16), builder.Length - at);
                    builder.Insert(at, builder.ToString(at, length));
                    break;
                case 3 when builder.Length > 0:
                    builder[at] = Alphabet[Random.Next(Alphabet.Length)];
                    break;
                case 4:
                    builder.Length = at;
                    break;
                case 5:
                    builder.Insert(at, Pick(Interesting));
                    break;
                default:
                    builder.Insert(at, RandomText(Random.Next(1, 6)));
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>A copy of <paramref name="node"/> with one to three values replaced, removed or added, at any depth.</summary>
    public JsonNode? MutateJson(JsonNode? node)
    {
        var copy = node?.DeepClone();
        var edits = Random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var nodes = new List<JsonNode>();
            Collect(copy, nodes);
            if (nodes.Count == 0 || Random.Next(10) == 0)
            {
                copy = RandomValue(2);
                continue;
            }
            var target = Pick(nodes);
            var parent = target.Parent;
            switch (parent)
            {
                case JsonObject obj:
                    var name = target.GetPropertyName();
                    if (Random.Next(4) == 0)
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        obj[name] = RandomValue(2);
                    }
                    break;
                case JsonArray array:
                    var index = target.GetElementIndex();
                    if (Random.Next(4) == 0)
                    {
                        array.RemoveAt(index);
                    }
                    else
                    {
                        array[index] = RandomValue(2);
                    }
                    break;
                default:
                    if (target is JsonObject root)
                    {
                        root[Mutate("field")] = RandomValue(2);
                    }
                    break;
            }
        }
        return copy;
    }

    /// <summary>A value of any JSON type, containers up to <paramref name="depth"/> levels.</summary>
    public JsonNode? RandomValue(int depth) => Random.Next(depth > 0 ? 9 : 6) switch
    {
        0 => null,
        1 => JsonValue.Create(Random.Next(2) == 0),
        2 => JsonValue.Create(Random.Next(4) == 0 ? long.MinValue + Random.Next(2) : Random.Next(-5, 1000)),
        3 => JsonValue.Create(Random.NextDouble() * 1e300),
        4 => JsonValue.Create(Pick(Interesting)),
        5 => JsonValue.Create(Mutate(RandomText(Random.Next(1, 12)))),
        6 or 7 => new JsonObject(Enumerable.Range(0, Random.Next(4)).DistinctBy(i => i).Select(i =>
            KeyValuePair.Create($"{RandomText(Random.Next(1, 8))}{i}", RandomValue(depth - 1)))),
        _ => new JsonArray(Enumerable.Range(0, Random.Next(4)).Select(_ => RandomValue(depth - 1)).ToArray()),
    };

    public string RandomText(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = "abcdefghijklmnopqrstuvwxyz0123456789-._"[Random.Next(39)];
        }
        return new string(chars);
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        switch (node)
        {
            case JsonObject obj:
                into.Add(obj);
                foreach (var (_, child) in obj)
                {
                    Collect(child, into);
                }
                break;
            case JsonArray array:
                into.Add(array);
                foreach (var child in array)
                {
                    Collect(child, into);
                }
                break;
            case not null:
                into.Add(node);
                break;
        }
    }
}
