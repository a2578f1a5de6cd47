using System.Reflection;
using System.Text;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Api;

/// <summary>
/// Public-API approval: the public surface of each package is dumped by reflection and compared with api/*.txt.
/// After an intended change, run the tests with EMPATHYKIT_UPDATE_API=1 and commit the updated files.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Assemblies => new() { "EmpathyKit.Abstractions", "EmpathyKit", "EmpathyKit.PostgreSql", "EmpathyKit.OpenAI", "EmpathyKit.Semantic" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Public_api_matches_the_approved_file(string assemblyName)
    {
        string actual = Dump(Assembly.Load(assemblyName));
        string path = Path.Combine(SharedData.RepositoryRoot, "api", assemblyName + ".txt");
        if (Environment.GetEnvironmentVariable("EMPATHYKIT_UPDATE_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests with EMPATHYKIT_UPDATE_API=1 to create it.");
        string approved = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            File.WriteAllText(Path.ChangeExtension(path, ".received.txt"), actual);
        }

        Assert.True(approved == actual, $"The public API of {assemblyName} changed. Compare {Path.ChangeExtension(path, ".received.txt")} with {path}; if intended, rerun with EMPATHYKIT_UPDATE_API=1.");
    }

    private static string Dump(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (Type type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : "class";
            string bases = string.Join(", ", new[] { type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) ? Name(b) : null }
                .Concat(type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal)).Where(n => n is not null));
            text.Append(kind).Append(' ').Append(Name(type)).Append(bases.Length > 0 ? " : " + bases : string.Empty).Append('\n');
            if (type.IsEnum)
            {
                foreach (string name in Enum.GetNames(type))
                {
                    text.Append("  ").Append(name).Append(" = ").Append(Convert.ToInt64(Enum.Parse(type, name), System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                }

                continue;
            }

            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            IEnumerable<string> members = type.GetMembers(flags)
                .Where(m => m is not MethodInfo { IsSpecialName: true } && m is not Type)
                .Select(Describe)
                .Order(StringComparer.Ordinal);
            foreach (string member in members)
            {
                text.Append("  ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Describe(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m => $"{(m.IsStatic ? "static " : string.Empty)}{Name(m.ReturnType)} {m.Name}{(m.IsGenericMethod ? "<" + string.Join(", ", m.GetGenericArguments().Select(Name)) + ">" : string.Empty)}({Parameters(m)})",
        PropertyInfo p => $"{(p.GetMethod?.IsStatic == true ? "static " : string.Empty)}{Name(p.PropertyType)} {p.Name} {{ {(p.GetMethod?.IsPublic == true ? "get; " : string.Empty)}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit") ? "init; " : "set; ") : string.Empty)}}}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty)}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        _ => member.ToString() ?? member.Name,
    };

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsByRef)
        {
            return "ref " + Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        string name = (type.Namespace is { } ns ? ns + "." : string.Empty) + (type.IsNested ? type.DeclaringType!.Name + "+" : string.Empty) + type.Name;
        if (!type.IsGenericType)
        {
            return name;
        }

        return name[..name.IndexOf('`', StringComparison.Ordinal)] + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }
}
