using CrmKernel.Storage.InMemory;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.Storage;

/// <summary>
/// The in-memory stores page by id through <see cref="OrderedIdSet{TId}"/>: after any sequence of adds and removes it
/// holds what a <see cref="SortedSet{T}"/> would, and the ids after any cursor come in the same order.
/// </summary>
public sealed class OrderedIdSetProperties
{
    [Property(MaxTest = 60)]
    public Property After_any_adds_and_removes_it_answers_as_a_sorted_set_does()
    {
        // Enough operations over a small range to split chunks (512 ids), empty them and hit ids twice.
        var operation = Gen.Zip(Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false))), Gen.Choose(0, 3_000));
        var gen = Gen.Zip(operation.ArrayOf(4_000), Gen.Choose(-1, 3_001).ArrayOf(20));
        return Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (operations, cursors) = input;
            var set = new OrderedIdSet<int>();
            var model = new SortedSet<int>();
            foreach (var (add, id) in operations)
            {
                if ((add ? set.Add(id) : set.Remove(id)) != (add ? model.Add(id) : model.Remove(id)))
                {
                    return false;
                }
            }

            return set.Count == model.Count
                   && set.SequenceEqual(model)
                   && set.After(null).SequenceEqual(model)
                   && cursors.All(c => set.After(c).SequenceEqual(model.Where(id => id > c)))
                   && cursors.All(c => set.Page(c, 7).SequenceEqual(model.Where(id => id > c).Take(7)))
                   && set.Page(null, 0).SequenceEqual([]);
        });
    }

    [Fact]
    public void An_empty_set_has_nothing_after_any_cursor_and_removes_nothing()
    {
        var set = new OrderedIdSet<int>();
        Assert.Empty(set.After(5));
        Assert.Empty(set);
        Assert.False(set.Remove(5));
        Assert.True(set.Add(5));
        Assert.False(set.Add(5));
        Assert.True(set.Remove(5));
        Assert.Empty(set.After(null));
    }
}
