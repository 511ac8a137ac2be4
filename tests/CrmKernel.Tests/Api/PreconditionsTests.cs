using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using Xunit;

namespace CrmKernel.Tests.Api;

/// <summary>The kernel's one argument-check helper.</summary>
public sealed class PreconditionsTests
{
    [Fact]
    public void Check_Failing_ThrowsWithTheInterpolatedMessage_AndTheParameterName()
    {
        var id = new CustomerId(Guid.Parse("0192f0c1-7a9e-7c3d-9a4b-1f2e3d4c5b6a"));

        var error = Assert.Throws<ArgumentException>(() => Preconditions.Check(false, $"Customer {id} is not in tenant {42}.", "customerId"));

        Assert.Equal("customerId", error.ParamName);
        Assert.StartsWith("Customer 0192f0c1-7a9e-7c3d-9a4b-1f2e3d4c5b6a is not in tenant 42.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasControlCharacter_AgreesWithCharIsControl_ForEveryUtf16CodeUnit()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var text = new string((char)c, 1);
            Assert.True(char.IsControl((char)c) == Preconditions.HasControlCharacter(text), $"U+{c:X4}");
            // Also where a vectorised search looks last: at the end of a long run of ordinary text.
            Assert.True(char.IsControl((char)c) == Preconditions.HasControlCharacter(new string('a', 70) + text), $"U+{c:X4} at the end");
        }
    }

    [FsCheck.Xunit.Property]
    public bool HasControlCharacter_IsAnyCharIsControl(string? text)
        => Preconditions.HasControlCharacter(text) == (text ?? "").Any(char.IsControl);

    [Fact]
    public void Check_Passing_NeverFormatsTheMessage()
    {
        var formatted = 0;
        string Expensive()
        {
            formatted++;
            return "text";
        }

        Preconditions.Check(true, $"never {Expensive()}", "value");

        Assert.Equal(0, formatted);
        Assert.Throws<ArgumentException>(() => Preconditions.Check(false, $"now {Expensive()}", "value"));
        Assert.Equal(1, formatted);
    }

    [Fact]
    public void TypedIdConstruction_AllocatesNothing()
    {
        var guid = Guid.Parse("0192f0c1-7a9e-7c3d-9a4b-1f2e3d4c5b6a");
        _ = new TouchpointId(guid);

        // Measured a few times, as CurrencyTests does: the runtime may allocate on this thread once in a while
        // (tiered-compilation bookkeeping); an allocation by the constructors shows in every measurement.
        var fewest = long.MaxValue;
        for (var attempt = 0; attempt < 5 && fewest > 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1_000; i++)
            {
                _ = new TouchpointId(guid);
                _ = new CustomerId(guid);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }
}
