using System.Diagnostics.CodeAnalysis;

namespace ImageStreams.Controllers.Scheduling;

/// <summary>
/// Gives equal strings one instance. Every sync reads a stream anew, so without it each of many tags keeps its own copy
/// of the same namespace, tag name, source or image digest. A fixed table: a string takes the slot of the one before it,
/// so strings no tag uses any more are not kept. Not thread-safe.
/// </summary>
internal sealed class StringPool
{
    private readonly string?[] slots;

    /// <param name="size">Slots in the table; equal strings share an instance while their slot holds it.</param>
    public StringPool(int size = 16_384)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        slots = new string?[size];
    }

    /// <summary>The pooled instance equal to <paramref name="value"/>, which becomes the pooled one when there is none.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public string? Get(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var slot = (int)((uint)StringComparer.Ordinal.GetHashCode(value) % (uint)slots.Length);
        if (slots[slot] is { } held && string.Equals(held, value, StringComparison.Ordinal))
        {
            return held;
        }
        slots[slot] = value;
        return value;
    }
}
