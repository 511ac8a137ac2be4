using System.Reflection;
using System.Reflection.Emit;

namespace CrmKernel.Tests.Architecture;

/// <summary>One use of a type by another: <see cref="From"/> names <see cref="To"/> in <see cref="Via"/>.</summary>
internal sealed record TypeDependency(Type From, Type To, string Via)
{
    public string FromNamespace => TypeDependencies.NamespaceOf(From);

    public string ToNamespace => TypeDependencies.NamespaceOf(To);

    public override string ToString() => $"{TypeDependencies.Name(From)} -> {TypeDependencies.Name(To)} ({Via})";
}

/// <summary>
/// Finds, by reflection, every type a type depends on: its base type, interfaces, generic arguments and constraints,
/// attributes, fields, properties, events, method and constructor signatures, local variables, and every type, method
/// and field a method body references (read from the IL tokens), including compiler-generated closures, iterators and
/// state machines, which count for the type that declares them.
/// </summary>
internal static class TypeDependencies
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every dependency of <paramref name="types"/> on a type for which <paramref name="isOurs"/> is true.</summary>
    public static IReadOnlyList<TypeDependency> Of(IEnumerable<Type> types, Func<Type, bool> isOurs)
    {
        var found = new List<TypeDependency>();
        foreach (var type in types)
        {
            var owner = Owner(type);
            void Add(Type? used, string via)
            {
                foreach (var t in Expand(used))
                {
                    if (isOurs(t) && Owner(t) != owner)
                    {
                        found.Add(new TypeDependency(owner, Owner(t), via));
                    }
                }
            }

            Add(type.BaseType, "base type");
            foreach (var i in type.GetInterfaces())
            {
                Add(i, "interface");
            }

            AddGenericConstraints(type.IsGenericTypeDefinition ? type.GetGenericArguments() : [], Add, "generic constraint");
            AddAttributes(type.CustomAttributes, Add, "attribute");
            foreach (var f in type.GetFields(Declared))
            {
                Add(f.FieldType, $"field {f.Name}");
                AddAttributes(f.CustomAttributes, Add, $"field {f.Name} attribute");
            }

            foreach (var p in type.GetProperties(Declared))
            {
                Add(p.PropertyType, $"property {p.Name}");
                AddAttributes(p.CustomAttributes, Add, $"property {p.Name} attribute");
            }

            foreach (var e in type.GetEvents(Declared))
            {
                Add(e.EventHandlerType, $"event {e.Name}");
            }

            foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                var name = m is ConstructorInfo ? "constructor" : $"method {m.Name}";
                if (m is MethodInfo mi)
                {
                    Add(mi.ReturnType, $"{name} return type");
                    AddGenericConstraints(mi.IsGenericMethodDefinition ? mi.GetGenericArguments() : [], Add, $"{name} generic constraint");
                }

                foreach (var p in m.GetParameters())
                {
                    Add(p.ParameterType, $"{name} parameter {p.Name}");
                    AddAttributes(p.CustomAttributes, Add, $"{name} parameter {p.Name} attribute");
                }

                AddAttributes(m.CustomAttributes, Add, $"{name} attribute");
                AddBody(type, m, Add, $"{name} body");
            }
        }

        return found;
    }

    /// <summary>The namespace a type counts for (a nested or compiler-generated type counts for its outermost type's).</summary>
    public static string NamespaceOf(Type type) => Owner(type).Namespace ?? string.Empty;

    public static string Name(Type type) => $"{type.Namespace}.{type.Name}";

    /// <summary>The strongly connected namespace sets of more than one namespace: each is a dependency loop.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Loops(IReadOnlyDictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var loops = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.TryGetValue(v, out var next) ? next.Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    loops.Add(component);
                }
            }
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return loops;
    }

    private static Type Owner(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var t in Expand(type.GetElementType()))
            {
                yield return t;
            }

            yield break;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            yield return type.GetGenericTypeDefinition();
            foreach (var t in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return t;
            }

            yield break;
        }

        yield return type;
    }

    private static void AddGenericConstraints(Type[] parameters, Action<Type?, string> add, string via)
    {
        foreach (var p in parameters)
        {
            foreach (var c in p.GetGenericParameterConstraints())
            {
                add(c, via);
            }
        }
    }

    private static void AddAttributes(IEnumerable<CustomAttributeData> attributes, Action<Type?, string> add, string via)
    {
        foreach (var a in attributes)
        {
            add(a.AttributeType, via);
            foreach (var arg in a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue)))
            {
                add(arg.ArgumentType, via);
                add(arg.Value as Type, via);
            }
        }
    }

    private static void AddBody(Type type, MethodBase method, Action<Type?, string> add, string via)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            return;
        }

        foreach (var local in body.LocalVariables)
        {
            add(local.LocalType, via);
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var module = method.Module;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineType:
                case OperandType.InlineTok:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                    var member = module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    switch (member)
                    {
                        case Type t:
                            add(t, via);
                            break;
                        case FieldInfo f:
                            add(f.DeclaringType, via);
                            add(f.FieldType, via);
                            break;
                        case MethodBase m:
                            add(m.DeclaringType, via);
                            if (m is MethodInfo mi)
                            {
                                add(mi.ReturnType, via);
                                foreach (var g in mi.IsGenericMethod ? mi.GetGenericArguments() : [])
                                {
                                    add(g, via);
                                }
                            }

                            foreach (var p in m.GetParameters())
                            {
                                add(p.ParameterType, via);
                            }

                            break;
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(opCode.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
