using System.Buffers.Binary;
using System.Text;

namespace EmpathyKit.Semantic.Encoder;

/// <summary>
/// Just enough of the ONNX file format (protocol buffers: ModelProto, GraphProto, NodeProto, TensorProto) to find a
/// model's nodes and weights, to overwrite a weight in place and to expose an intermediate tensor as an extra output.
/// Reads only; the few writes keep every other byte of the file as it was.
/// </summary>
/// <remarks>
/// Field numbers from onnx.proto (ModelProto.graph 7; GraphProto node 1, initializer 5, output 12; NodeProto input 1,
/// output 2, op_type 4; TensorProto dims 1, data_type 2, name 8, raw_data 9). Only weights stored as raw little-endian
/// data can be overwritten, as all-MiniLM-L6-v2's are.
/// </remarks>
internal sealed class OnnxGraph
{
    /// <summary>ONNX's element type for 32-bit floats.</summary>
    public const int FloatType = 1;

    private readonly int _graphStart;
    private readonly int _graphLength;
    private readonly int _graphFieldStart;

    private OnnxGraph(byte[] model, int graphFieldStart, int graphStart, int graphLength, Dictionary<string, Initializer> initializers, List<Node> nodes)
    {
        Model = model;
        _graphFieldStart = graphFieldStart;
        _graphStart = graphStart;
        _graphLength = graphLength;
        Initializers = initializers;
        Nodes = nodes;
    }

    /// <summary>Gets the model's bytes (the array parsed; <see cref="Overwrite"/> writes into it).</summary>
    public byte[] Model { get; }

    /// <summary>Gets the weights by name.</summary>
    public IReadOnlyDictionary<string, Initializer> Initializers { get; }

    /// <summary>Gets the nodes in file order.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>Parses a model.</summary>
    /// <param name="model">The file's bytes.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model with a graph.</exception>
    public static OnnxGraph Parse(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int graphFieldStart = -1, graphStart = -1, graphLength = -1;
        var reader = new Reader(model, 0, model.Length);
        while (reader.More)
        {
            int fieldStart = reader.Position;
            (int field, int wire) = reader.Tag();
            if (field == 7 && wire == 2)
            {
                graphLength = reader.Length();
                graphFieldStart = fieldStart;
                graphStart = reader.Position;
                reader.Skip(graphLength);
            }
            else
            {
                reader.SkipValue(wire);
            }
        }

        if (graphStart < 0)
        {
            throw new InvalidDataException("The ONNX model has no graph.");
        }

        var initializers = new Dictionary<string, Initializer>(StringComparer.Ordinal);
        var nodes = new List<Node>();
        var graph = new Reader(model, graphStart, graphStart + graphLength);
        while (graph.More)
        {
            (int field, int wire) = graph.Tag();
            if (wire != 2)
            {
                graph.SkipValue(wire);
                continue;
            }

            int length = graph.Length();
            int start = graph.Position;
            graph.Skip(length);
            if (field == 1)
            {
                nodes.Add(ReadNode(model, start, length));
            }
            else if (field == 5)
            {
                Initializer tensor = ReadTensor(model, start, length);
                initializers[tensor.Name] = tensor;
            }
        }

        return new OnnxGraph(model, graphFieldStart, graphStart, graphLength, initializers, nodes);
    }

    /// <summary>
    /// Maps each weight matrix a MatMul multiplies by to the name its bias carries: the weight of a MatMul whose output
    /// goes straight into an Add with an initializer named "….bias" is named "….weight" (PyTorch's exporter numbers the
    /// transposed matrices and keeps the biases' names).
    /// </summary>
    /// <returns>From the "….weight" name to the initializer's name in the file.</returns>
    public Dictionary<string, string> NamedWeights()
    {
        var producedBy = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (Node node in Nodes)
        {
            foreach (string output in node.Outputs)
            {
                producedBy[output] = node;
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Node add in Nodes.Where(n => n.Op == "Add"))
        {
            string? bias = add.Inputs.FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && Initializers.ContainsKey(i));
            string? other = add.Inputs.FirstOrDefault(i => i != bias);
            if (bias is null || other is null || !producedBy.TryGetValue(other, out Node? matmul) || matmul.Op != "MatMul")
            {
                continue;
            }

            string? weight = matmul.Inputs.FirstOrDefault(Initializers.ContainsKey);
            if (weight is not null)
            {
                names[string.Concat(bias.AsSpan(0, bias.Length - ".bias".Length), ".weight")] = weight;
            }
        }

        return names;
    }

    /// <summary>Reads a float weight.</summary>
    /// <param name="name">The initializer's name in the file.</param>
    /// <returns>Its values.</returns>
    public float[] ReadFloats(string name)
    {
        Initializer tensor = FloatTensor(name);
        var values = new float[tensor.DataLength / sizeof(float)];
        ReadOnlySpan<byte> data = Model.AsSpan(tensor.DataOffset, tensor.DataLength);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * sizeof(float))..]);
        }

        return values;
    }

    /// <summary>Overwrites a float weight in place, in <see cref="Model"/>; the file's length does not change.</summary>
    /// <param name="name">The initializer's name in the file.</param>
    /// <param name="values">The new values: exactly as many as the weight has.</param>
    /// <exception cref="InvalidDataException">The weight is missing, not raw floats, or of another size.</exception>
    public void Overwrite(string name, ReadOnlySpan<float> values)
    {
        Initializer tensor = FloatTensor(name);
        if (values.Length * sizeof(float) != tensor.DataLength)
        {
            throw new InvalidDataException($"The weight '{name}' has {tensor.DataLength / sizeof(float)} values, not {values.Length}.");
        }

        Span<byte> data = Model.AsSpan(tensor.DataOffset, tensor.DataLength);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data[(i * sizeof(float))..], values[i]);
        }
    }

    /// <summary>Returns a copy of the model with one more graph output: an intermediate float tensor, by name.</summary>
    /// <param name="tensor">The tensor's name (a node's output).</param>
    /// <returns>The new file's bytes.</returns>
    public byte[] WithOutput(string tensor)
    {
        if (!Nodes.Any(n => n.Outputs.Contains(tensor)))
        {
            throw new InvalidDataException($"No node of the ONNX model outputs '{tensor}'.");
        }

        // ValueInfoProto { name = 1; type = 2: TypeProto { tensor_type = 1: { elem_type = 1: FLOAT } } }.
        byte[] name = Encoding.UTF8.GetBytes(tensor);
        byte[] type = [0x0A, 0x02, 0x08, FloatType];
        var info = new List<byte> { 0x0A };
        WriteVarint(info, (ulong)name.Length);
        info.AddRange(name);
        info.Add(0x12);
        WriteVarint(info, (ulong)type.Length);
        info.AddRange(type);

        var output = new List<byte> { (12 << 3) | 2 };
        WriteVarint(output, (ulong)info.Count);
        output.AddRange(info);

        var graphField = new List<byte> { (7 << 3) | 2 };
        WriteVarint(graphField, (ulong)(_graphLength + output.Count));

        int graphEnd = _graphStart + _graphLength;
        var result = new byte[_graphFieldStart + graphField.Count + _graphLength + output.Count + (Model.Length - graphEnd)];
        int at = 0;
        Model.AsSpan(0, _graphFieldStart).CopyTo(result);
        at += _graphFieldStart;
        graphField.CopyTo(result, at);
        at += graphField.Count;
        Model.AsSpan(_graphStart, _graphLength).CopyTo(result.AsSpan(at));
        at += _graphLength;
        output.CopyTo(result, at);
        at += output.Count;
        Model.AsSpan(graphEnd).CopyTo(result.AsSpan(at));
        return result;
    }

    private Initializer FloatTensor(string name)
    {
        if (!Initializers.TryGetValue(name, out Initializer? tensor))
        {
            throw new InvalidDataException($"The ONNX model has no weight '{name}'.");
        }

        if (tensor.DataType != FloatType || tensor.DataOffset < 0)
        {
            throw new InvalidDataException($"The weight '{name}' is not stored as raw 32-bit floats.");
        }

        return tensor;
    }

    private static Node ReadNode(byte[] model, int start, int length)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        string op = string.Empty;
        var reader = new Reader(model, start, start + length);
        while (reader.More)
        {
            (int field, int wire) = reader.Tag();
            if (wire == 2 && field is 1 or 2 or 4)
            {
                string value = reader.String();
                switch (field)
                {
                    case 1:
                        inputs.Add(value);
                        break;
                    case 2:
                        outputs.Add(value);
                        break;
                    default:
                        op = value;
                        break;
                }
            }
            else
            {
                reader.SkipValue(wire);
            }
        }

        return new Node(op, inputs, outputs);
    }

    private static Initializer ReadTensor(byte[] model, int start, int length)
    {
        var dims = new List<long>();
        int dataType = 0, dataOffset = -1, dataLength = 0;
        string name = string.Empty;
        var reader = new Reader(model, start, start + length);
        while (reader.More)
        {
            (int field, int wire) = reader.Tag();
            switch (field, wire)
            {
                case (1, 0):
                    dims.Add((long)reader.Varint());
                    break;
                case (2, 0):
                    dataType = (int)reader.Varint();
                    break;
                case (8, 2):
                    name = reader.String();
                    break;
                case (9, 2):
                    dataLength = reader.Length();
                    dataOffset = reader.Position;
                    reader.Skip(dataLength);
                    break;
                default:
                    reader.SkipValue(wire);
                    break;
            }
        }

        return new Initializer(name, dims, dataType, dataOffset, dataLength);
    }

    private static void WriteVarint(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }

    /// <summary>A node: its operator and the names of its inputs and outputs.</summary>
    public sealed record Node(string Op, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

    /// <summary>A weight: its name, shape, element type and where its raw data lies in the file (offset -1: not raw).</summary>
    public sealed record Initializer(string Name, IReadOnlyList<long> Dims, int DataType, int DataOffset, int DataLength);

    /// <summary>A protocol-buffers reader over a range of bytes.</summary>
    private struct Reader(byte[] bytes, int start, int end)
    {
        private int _position = start;

        public readonly int Position => _position;

        public readonly bool More => _position < end;

        public (int Field, int Wire) Tag()
        {
            ulong tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_position >= end)
                {
                    throw new InvalidDataException("The ONNX model ends inside a number.");
                }

                byte b = bytes[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("The ONNX model has a number longer than ten bytes.");
        }

        public int Length()
        {
            ulong length = Varint();
            if (length > (ulong)(end - _position))
            {
                throw new InvalidDataException("The ONNX model has a field longer than what contains it.");
            }

            return (int)length;
        }

        public string String()
        {
            int length = Length();
            string value = Encoding.UTF8.GetString(bytes, _position, length);
            _position += length;
            return value;
        }

        public void Skip(int count) => _position += count;

        public void SkipValue(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    Check(8);
                    _position += 8;
                    break;
                case 2:
                    int length = Length();
                    _position += length;
                    break;
                case 5:
                    Check(4);
                    _position += 4;
                    break;
                default:
                    throw new InvalidDataException($"The ONNX model has a field of unknown wire type {wire}.");
            }
        }

        private readonly void Check(int count)
        {
            if (end - _position < count)
            {
                throw new InvalidDataException("The ONNX model ends inside a field.");
            }
        }
    }
}
