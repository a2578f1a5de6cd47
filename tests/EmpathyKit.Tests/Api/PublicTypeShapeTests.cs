using System.Reflection;
using System.Text;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Api;

/// <summary>
/// What the public API analyzer does not track: each public type's kind (class, sealed, static, abstract, struct,
/// interface, enum), its base type and the interfaces it implements. Members, signatures, nullability, enum values and
/// default values are checked at build time by Microsoft.CodeAnalysis.PublicApiAnalyzers against each library's
/// PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt. The type lines are dumped by reflection and compared with
/// api/*.types.txt; after an intended change, run the tests with EMPATHYKIT_UPDATE_API=1 and commit the updated files.
/// </summary>
public sealed class PublicTypeShapeTests
{
    public static TheoryData<string> Assemblies => new() { "EmpathyKit.Abstractions", "EmpathyKit", "EmpathyKit.PostgreSql", "EmpathyKit.OpenAI", "EmpathyKit.Semantic", "EmpathyKit.SemanticKernel", "EmpathyKit.Testing" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Public_type_shapes_match_the_approved_file(string assemblyName)
    {
        string actual = Dump(Assembly.Load(assemblyName));
        string path = Path.Combine(SharedData.RepositoryRoot, "api", assemblyName + ".types.txt");
        string received = Path.Combine(SharedData.RepositoryRoot, "api", assemblyName + ".types.received.txt");
        if (Environment.GetEnvironmentVariable("EMPATHYKIT_UPDATE_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests with EMPATHYKIT_UPDATE_API=1 to create it.");
        string approved = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            File.WriteAllText(received, actual);
        }

        Assert.True(approved == actual, $"A public type of {assemblyName} changed kind, base type or interfaces. Compare {received} with {path}; if intended, rerun with EMPATHYKIT_UPDATE_API=1.");
    }

    private static string Dump(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (Type type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";
            string bases = string.Join(", ", new[] { type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) ? Name(b) : null }
                .Concat(type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal)).Where(n => n is not null));
            text.Append(kind).Append(' ').Append(Name(type)).Append(bases.Length > 0 ? " : " + bases : string.Empty).Append('\n');
        }

        return text.ToString();
    }

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
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
