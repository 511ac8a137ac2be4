using NodaTime;

namespace CrmKernel.Benchmarks.Channels;

/// <summary>A clock that moves one second per reading (the benchmarks do not reference NodaTime.Testing).</summary>
internal sealed class BenchClock(Instant start) : IClock
{
    private Instant _now = start;

    public Instant GetCurrentInstant()
    {
        var now = _now;
        _now += Duration.FromSeconds(1);
        return now;
    }
}
