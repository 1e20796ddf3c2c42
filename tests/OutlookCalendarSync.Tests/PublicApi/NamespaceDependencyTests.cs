using System.Reflection;
using OutlookCalendarSync.Calendars;

namespace OutlookCalendarSync.Tests.PublicApi;

/// <summary>
/// The core package's namespaces by concept form layers without a cycle: Model ← Conflicts ← Results ← Calendars ← Reconciliation
/// ← Engine, with Stores beside them, and none of them names a Microsoft Graph or MSAL type. What a type references is read by
/// reflection from its signatures: base type, interfaces, fields, properties, events, constructor and method parameters and return
/// types (generic arguments included), of public and internal members alike, and of compiler-generated types (the captures of
/// lambdas); method bodies are not decompiled, so a type used only inside a body is not seen.
/// </summary>
public sealed class NamespaceDependencyTests
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly string[] Layered =
    [
        "OutlookCalendarSync.Model",
        "OutlookCalendarSync.Conflicts",
        "OutlookCalendarSync.Reporting",
        "OutlookCalendarSync.Calendars",
        "OutlookCalendarSync.Stores",
        "OutlookCalendarSync.Reconciliation",
        "OutlookCalendarSync.Engine",
    ];

    [Fact]
    public void ConceptNamespaces_HaveNoCycle()
    {
        Dictionary<string, Dictionary<string, string>> edges = Edges();

        List<string>? cycle = FindCycle(edges);

        Assert.True(cycle is null, cycle is null ? string.Empty : "Namespace cycle: " + string.Join(
            " → ",
            cycle.Zip(cycle.Skip(1), (from, to) => $"{from} (via {edges[from][to]})").Append(cycle[^1])));
    }

    [Theory]
    [InlineData("OutlookCalendarSync.Model", "")]
    [InlineData("OutlookCalendarSync.Conflicts", "OutlookCalendarSync.Model")]
    [InlineData("OutlookCalendarSync.Reporting", "OutlookCalendarSync.Model OutlookCalendarSync.Conflicts")]
    [InlineData("OutlookCalendarSync.Calendars", "OutlookCalendarSync.Model OutlookCalendarSync.Reporting")]
    [InlineData("OutlookCalendarSync.Stores", "OutlookCalendarSync.Model")]
    public void PortAndOutputNamespaces_DependOnlyOnTheLayersBelow(string ofNamespace, string allowed)
    {
        HashSet<string> permitted = [.. allowed.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        Dictionary<string, Dictionary<string, string>> edges = Edges();

        string[] extra = edges.TryGetValue(ofNamespace, out Dictionary<string, string>? targets)
            ? targets.Where(t => !permitted.Contains(t.Key)).Select(t => $"{t.Key} (via {t.Value})").ToArray()
            : [];

        Assert.Empty(extra);
    }

    [Fact]
    public void EnginePortsAndModel_NameNoGraphOrMsalType()
    {
        string[] offending = CoreTypes()
            .Where(t => Layered.Contains(t.Namespace))
            .SelectMany(t => ReferencedTypes(t).Select(r => (From: t, To: r)))
            .Where(p => p.To.Namespace is { } ns && (ns.StartsWith("Microsoft.Graph", StringComparison.Ordinal)
                || ns.StartsWith("Microsoft.Identity", StringComparison.Ordinal) || ns.StartsWith("Microsoft.Kiota", StringComparison.Ordinal)))
            .Select(p => $"{p.From.FullName} → {p.To.FullName}")
            .Distinct()
            .ToArray();

        Assert.Empty(offending);
    }

    private static IEnumerable<Type> CoreTypes() => typeof(ICalendarStore).Assembly.GetTypes();

    /// <summary>namespace → (namespace it references → one example "Type → Type").</summary>
    private static Dictionary<string, Dictionary<string, string>> Edges()
    {
        var edges = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (Type type in CoreTypes().Where(t => Layered.Contains(t.Namespace)))
        {
            foreach (Type referenced in ReferencedTypes(type))
            {
                if (referenced.Namespace is { } to && to != type.Namespace && Layered.Contains(to))
                {
                    Dictionary<string, string> targets = edges.TryGetValue(type.Namespace!, out Dictionary<string, string>? found)
                        ? found
                        : edges[type.Namespace!] = new(StringComparer.Ordinal);
                    targets.TryAdd(to, $"{type.Name} → {referenced.Name}");
                }
            }
        }

        return edges;
    }

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        var direct = new List<Type?> { type.BaseType };
        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetFields(Everything).Select(f => f.FieldType));
        direct.AddRange(type.GetProperties(Everything).Select(p => p.PropertyType));
        direct.AddRange(type.GetEvents(Everything).Select(e => e.EventHandlerType));
        foreach (MethodBase method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            direct.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                direct.Add(info.ReturnType);
            }
        }

        return direct.OfType<Type>().SelectMany(Unwrap).Distinct();
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            return Unwrap(type.GetElementType()!);
        }

        if (type.IsGenericParameter)
        {
            return [];
        }

        Type declared = type;
        while (declared.DeclaringType is { } outer && !declared.IsGenericParameter)
        {
            declared = outer;
        }

        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap).Prepend(declared) : [declared];
    }

    private static List<string>? FindCycle(Dictionary<string, Dictionary<string, string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (string next in edges.TryGetValue(node, out Dictionary<string, string>? targets) ? targets.Keys.ToArray() : [])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (string node in Layered)
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
