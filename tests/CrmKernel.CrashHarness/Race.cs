using System.Diagnostics;
using System.Globalization;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Samples.Storage.Sqlite;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.CrashHarness;

/// <summary>
/// The two-process race (issue #22 item 2): 8 writers, 4 in each of two processes, each with its own
/// <see cref="SqliteCrmStore"/> (its own connections) on one file, update one customer. The race is forced across the
/// processes, as the kit's <c>ConcurrentWriters_WithRetry_LoseNoUpdate</c> forces it across threads: in every round every
/// active writer reads, and only when all 8 reads are done (both processes reported) does the parent release every commit
/// at once. Exactly one commit per round may win; every other one must fail with <see cref="ConcurrencyConflictException"/>
/// (<c>CRM-STORE-002</c>, expected = the version read, actual = one more) and is retried in the next round.
/// </summary>
internal static class RaceParent
{
    private const int Writers = 8;
    private const string Counter = "race-counter";

    public static async Task<int> RunAsync(string path, int updates)
    {
        var watch = Stopwatch.StartNew();
        var tenant = new TenantId(RaceWriter.Tenant);
        CustomerId id;
        await using (var store = new SqliteCrmStore($"Data Source={path}"))
        {
            var customer = Customer.Register(tenant, new PersonProfile("Race", "Writer"), SystemClock.Instance);
            await new CustomerRepository(store, SystemClock.Instance).SaveAsync(customer);
            id = customer.Id;
        }

        var children = new[] { Start(path, id, 0), Start(path, id, Writers / 2) };
        var problems = new List<string>();
        var made = new int[Writers];
        var commits = 0;
        var conflicts = 0;
        var saves = 0;
        try
        {
            foreach (var child in children)
            {
                await Expect(child, "ready");
            }

            for (var round = 0; problems.Count == 0; round++)
            {
                var active = Enumerable.Range(0, Writers).Where(w => made[w] < updates).ToArray();
                if (active.Length == 0)
                {
                    break;
                }

                // Gate 1: every writer of both processes has read before any commit is released.
                var versions = new List<long>();
                foreach (var (child, half) in children.Select((c, i) => (c, i)))
                {
                    var mine = active.Where(w => w / (Writers / 2) == half);
                    await child.StandardInput.WriteLineAsync("round " + string.Join(' ', mine));
                    await child.StandardInput.FlushAsync();
                }

                foreach (var child in children)
                {
                    for (string line; (line = await ReadAsync(child)) != "reads-done";)
                    {
                        versions.Add(long.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture));
                    }
                }

                if (versions.Distinct().Count() != 1 || versions.Count != active.Length)
                {
                    problems.Add($"round {round}: the writers read versions {string.Join(',', versions)}");
                    break;
                }

                var version = versions[0];

                // Gate 2: all commits of both processes released together.
                foreach (var child in children)
                {
                    await child.StandardInput.WriteLineAsync("commit");
                    await child.StandardInput.FlushAsync();
                }

                var winners = new List<int>();
                foreach (var child in children)
                {
                    for (string line; (line = await ReadAsync(child)) != "commits-done";)
                    {
                        var f = line.Split(' ');
                        var writer = int.Parse(f[1], CultureInfo.InvariantCulture);
                        if (f[0] == "won")
                        {
                            winners.Add(writer);
                        }
                        else if (f[0] == "conflict" && f[2] == CrmErrorCodes.ConcurrencyConflict
                                 && f[3] == version.ToString(CultureInfo.InvariantCulture) && f[4] == (version + 1).ToString(CultureInfo.InvariantCulture))
                        {
                            conflicts++;
                        }
                        else
                        {
                            problems.Add($"round {round}: writer {writer} over version {version}: {line}");
                        }
                    }
                }

                saves += winners.Count;
                if (winners.Count != 1)
                {
                    problems.Add($"round {round}: {winners.Count} of {active.Length} writers committed over version {version}; exactly one may");
                    break;
                }

                made[winners[0]]++;
                commits++;
            }

            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("quit");
                await child.StandardInput.FlushAsync();
                await child.WaitForExitAsync();
            }
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                    Console.Error.WriteLine($"race child: {await child.StandardError.ReadToEndAsync()}");
                }

                child.Dispose();
            }
        }

        var lost = 0L;
        await using (var store = new SqliteCrmStore($"Data Source={path}"))
        {
            var final = await new CustomerRepository(store, SystemClock.Instance).GetAsync(tenant, id);
            var counter = (long)Number(final, Counter);
            lost = saves - counter;
            if (final.Version != 1 + saves || counter != saves)
            {
                problems.Add($"{saves} saves returned, the customer is at version {final.Version} with counter {counter}");
            }

            for (var w = 0; w < Writers; w++)
            {
                if (problems.Count == 0 && Number(final, $"writer{w}") != updates)
                {
                    problems.Add($"writer {w} made {updates} updates, the customer holds {Number(final, $"writer{w}")}");
                }
            }
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"race sqlite: {problem}");
        }

        Console.WriteLine(
            $"race sqlite: 2 processes, {Writers} writers x {updates} updates on one file, {saves} saves, lost {lost}, {conflicts} conflicts (CRM-STORE-002) retried, {(problems.Count == 0 ? "ok" : "FAILED")} ({watch.Elapsed.TotalSeconds:F1} s)");
        return problems.Count == 0 ? 0 : 1;
    }

    public static decimal Number(Customer customer, string name)
        => customer.CustomAttributes.TryGetValue(name, out var value) ? value.AsNumber() : 0;

    private static Process Start(string path, CustomerId id, int first)
        => Process.Start(Harness.ChildStart("race-child", path, id.ToString(), first.ToString(CultureInfo.InvariantCulture), (Writers / 2).ToString(CultureInfo.InvariantCulture)))
           ?? throw new InvalidOperationException("cannot start a race writer");

    private static async Task Expect(Process child, string expected)
    {
        var line = await ReadAsync(child);
        if (line != expected)
        {
            throw new InvalidOperationException($"race child said '{line}', expected '{expected}'");
        }
    }

    private static async Task<string> ReadAsync(Process child)
        => await child.StandardOutput.ReadLineAsync()
           ?? throw new InvalidOperationException($"a race child stopped: {await child.StandardError.ReadToEndAsync()}");
}

/// <summary>One process of the race: <c>count</c> writers with global numbers from <c>first</c>, each with its own store.</summary>
internal static class RaceWriter
{
    public const string Tenant = "race";

    public static async Task<int> RunAsync(string path, CustomerId id, int first, int count)
    {
        var tenant = new TenantId(Tenant);
        var stores = Enumerable.Range(0, count).Select(_ => new SqliteCrmStore($"Data Source={path}")).ToArray();
        var repositories = stores.Select(s => new CustomerRepository(s, SystemClock.Instance)).ToArray();
        try
        {
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            for (string? line; (line = Console.In.ReadLine()) is not null and not "quit";)
            {
                var active = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
                var read = await Task.WhenAll(active.Select(w => Task.Run(async () => await repositories[w - first].GetAsync(tenant, id))));
                for (var i = 0; i < active.Length; i++)
                {
                    var mine = $"writer{active[i]}";
                    read[i].SetCustomAttribute("race-counter", CustomAttributeValue.FromNumber(RaceParent.Number(read[i], "race-counter") + 1));
                    read[i].SetCustomAttribute(mine, CustomAttributeValue.FromNumber(RaceParent.Number(read[i], mine) + 1));
                    Console.Out.WriteLine($"read {active[i]} {read[i].Version}");
                }

                Console.Out.WriteLine("reads-done");
                Console.Out.Flush();
                if (Console.In.ReadLine() != "commit")
                {
                    return 1;
                }

                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var saves = active.Select((w, i) => Task.Run(async () =>
                {
                    await go.Task;
                    try
                    {
                        await repositories[w - first].SaveAsync(read[i]);
                        return $"won {w}";
                    }
                    catch (ConcurrencyConflictException conflict)
                    {
                        return $"conflict {w} {conflict.ErrorCode} {conflict.ExpectedVersion} {conflict.ActualVersion}";
                    }
                })).ToArray();
                go.SetResult();
                foreach (var outcome in await Task.WhenAll(saves))
                {
                    Console.Out.WriteLine(outcome);
                }

                Console.Out.WriteLine("commits-done");
                Console.Out.Flush();
            }

            return 0;
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }
}
