using System.Reflection;
using System.Runtime.CompilerServices;
using CrmKernel.Customers;
using Xunit;

namespace CrmKernel.Tests.Api;

/// <summary>
/// Walks every public constructor and method of the src packages and proves that passing null for a
/// parameter the API declares non-nullable is rejected with an <see cref="ArgumentNullException"/>
/// naming that parameter. New types are covered without new tests.
/// </summary>
public sealed class NullArgumentTests
{
    /// <summary>
    /// Members that take a non-nullable reference but legitimately do not check it, each with its reason.
    /// </summary>
    private static readonly Dictionary<string, string> AllowList = new(StringComparer.Ordinal)
    {
        // Compiler-generated record-struct members: the compiler writes them; they are not part of our contract.
        ["PrintMembers"] = "compiler-generated record member",
    };

    public static IEnumerable<Assembly> SrcAssemblies =>
    [
        typeof(Customer).Assembly,
        Assembly.Load("CrmKernel.Metrics"),
        Assembly.Load("CrmKernel.Import"),
        typeof(CrmKernel.Testing.CrmArbitraries).Assembly,
    ];

    [Fact]
    public async Task EveryPublicMember_RejectsNullReferenceArguments_NamingTheParameter()
    {
        var nullability = new NullabilityInfoContext();
        var failures = new List<string>();
        var missingSamples = new SortedSet<string>(StringComparer.Ordinal);
        var checkedParameters = 0;

        foreach (var type in SrcAssemblies.SelectMany(a => a.GetExportedTypes()).Where(t => !t.ContainsGenericParameters))
        {
            var members = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Cast<MethodBase>()
                .Concat(type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(m => !m.IsAbstract && !m.ContainsGenericParameters && !AllowList.ContainsKey(m.Name))
                .Where(m => m.GetCustomAttribute<CompilerGeneratedAttribute>() is null)
                .Where(m => !(type.IsAbstract && m is ConstructorInfo));

            foreach (var member in members)
            {
                var parameters = member.GetParameters();
                if (parameters.Any(p => p.ParameterType.IsByRefLike || p.ParameterType.IsByRef || p.ParameterType.IsPointer))
                {
                    continue;
                }

                for (var i = 0; i < parameters.Length; i++)
                {
                    var parameter = parameters[i];
                    if (parameter.ParameterType.IsValueType || nullability.Create(parameter).WriteState != NullabilityState.NotNull)
                    {
                        continue;
                    }

                    if (!TryBuildArguments(member, parameters, i, out var target, out var arguments, missingSamples))
                    {
                        continue;
                    }

                    checkedParameters++;
                    var outcome = await InvokeAsync(member, target, arguments);
                    if (outcome is not ArgumentNullException ane || ane.ParamName != parameter.Name)
                    {
                        failures.Add($"{type.Name}.{member.Name}({parameter.Name}): {(outcome is null ? "no exception" : $"{outcome.GetType().Name} for '{(outcome as ArgumentException)?.ParamName}'")}");
                    }
                }
            }
        }

        Assert.True(missingSamples.Count == 0, "Add a sample value to SampleValues for: " + string.Join(", ", missingSamples));
        Assert.True(failures.Count == 0, "Null not rejected with ArgumentNullException naming the parameter:\n" + string.Join("\n", failures));
        Assert.True(checkedParameters > 40, $"Only {checkedParameters} parameters were checked: the walk is not reaching the API.");
    }

    private static bool TryBuildArguments(MethodBase member, ParameterInfo[] parameters, int nullIndex, out object? target, out object?[] arguments, ISet<string> missing)
    {
        target = null;
        arguments = new object?[parameters.Length];
        var complete = true;
        if (!member.IsStatic && member is MethodInfo)
        {
            complete &= Sample(member.DeclaringType!, out target, missing);
        }

        for (var j = 0; j < parameters.Length; j++)
        {
            if (j != nullIndex)
            {
                complete &= Sample(parameters[j].ParameterType, out arguments[j], missing);
            }
        }

        return complete;
    }

    private static bool Sample(Type type, out object? value, ISet<string> missing)
    {
        if (SampleValues.TryCreate(type, out value))
        {
            return true;
        }

        missing.Add(type.FullName ?? type.Name);
        return false;
    }

    private static async Task<Exception?> InvokeAsync(MethodBase member, object? target, object?[] arguments)
    {
        try
        {
            var result = member is ConstructorInfo ctor ? ctor.Invoke(arguments) : member.Invoke(target, arguments);
            switch (result)
            {
                case Task task:
                    await task;
                    break;
                case ValueTask valueTask:
                    await valueTask;
                    break;
                default:
                    if (result?.GetType() is { IsGenericType: true } resultType && resultType.GetGenericTypeDefinition() == typeof(ValueTask<>))
                    {
                        await (Task)resultType.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(result, null)!;
                    }

                    break;
            }

            return null;
        }
        catch (TargetInvocationException e)
        {
            return e.InnerException;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
