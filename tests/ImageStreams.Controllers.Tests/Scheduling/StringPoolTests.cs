using ImageStreams.Controllers.Scheduling;

namespace ImageStreams.Controllers.Tests.Scheduling;

public sealed class StringPoolTests
{
    [Fact]
    public void EqualStrings_ComeBackAsOneInstance()
    {
        var pool = new StringPool();
        var first = new string("sha256:abc".AsSpan());
        var second = new string("sha256:abc".AsSpan());

        Assert.NotSame(first, second);
        Assert.Same(first, pool.Get(first));
        Assert.Same(first, pool.Get(second));
        Assert.Null(pool.Get(null));
    }

    [Fact]
    public void AStringThatTakesASlot_ReplacesTheOneBefore_SoTheTableStaysItsSize()
    {
        // One slot: every string shares it, and only the newest one is kept.
        var pool = new StringPool(size: 1);
        var a = new string("a".AsSpan());
        var b = new string("b".AsSpan());

        Assert.Same(a, pool.Get(a));
        Assert.Same(b, pool.Get(b));
        var again = new string("a".AsSpan());
        Assert.Same(again, pool.Get(again));
        Assert.Same(again, pool.Get(new string("a".AsSpan())));
    }

    [Fact]
    public void ASizeBelowOne_IsRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => new StringPool(size: 0));
}
