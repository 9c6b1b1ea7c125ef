using System.Globalization;

namespace ImageStreams.Cli.Printers;

/// <summary>Byte counts the way oc prints image and layer sizes.</summary>
internal static class Sizes
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

    /// <summary>
    /// Decimal units with four significant digits and no trailing zeros ("75.84MB", "1.266kB", "512B"): the rules of
    /// docker/go-units' HumanSize.
    /// </summary>
    public static string Human(long bytes)
    {
        double size = bytes;
        var unit = 0;
        while (size >= 1000 && unit < Units.Length - 1)
        {
            size /= 1000;
            unit++;
        }
        return size.ToString("G4", CultureInfo.InvariantCulture) + Units[unit];
    }
}
