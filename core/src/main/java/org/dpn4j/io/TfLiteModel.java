package org.dpn4j.io;

import static org.dpn4j.io.TfLiteSchema.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A TensorFlow Lite model (a FlatBuffers file with identifier {@code TFL3}), read by hand: its
 * subgraphs with their tensors (shape, type, quantisation, constant data) and their operators in
 * execution order, with the builtin options that a converter needs (stride, padding, dilation,
 * fused activation, depth multiplier, ...). The file is memory-mapped; tensor data are views on it.
 *
 * <p>Quantised values dequantise as {@code real = scale * (q - zero_point)}, with one scale per tensor
 * or one per index along {@code quantized_dimension} (per output channel for convolution weights);
 * int32 biases carry their own scale ({@code input_scale * weight_scale}) in the file.
 */
public final class TfLiteModel {

  public enum Padding { SAME, VALID }

  public enum Activation { NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT }

  /**
   * Quantisation parameters; {@code scale} has one entry per tensor or one per index along
   * {@code quantizedDimension}. A tensor without scales (a float, or an int32 shape) has none: null.
   */
  public record Quantization(float[] scale, long[] zeroPoint, int quantizedDimension, float[] min, float[] max) {
    public boolean perChannel() {
      return scale.length > 1;
    }

    public float scale(int channel) {
      return scale[perChannel() ? channel : 0];
    }

    public long zeroPoint(int channel) {
      return zeroPoint.length == 0 ? 0 : zeroPoint[zeroPoint.length == 1 ? 0 : channel];
    }

    /** One short line: {@code scale=0.0078 zp=128}, or the range of the per-channel values. */
    public String brief() {
      if (!perChannel()) {
        return String.format(Locale.ROOT, "scale=%.6g zp=%d", scale[0], zeroPoint(0));
      }
      float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
      for (float s : scale) {
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
      }
      long zlo = Arrays.stream(zeroPoint).min().orElse(0), zhi = Arrays.stream(zeroPoint).max().orElse(0);
      return String.format(Locale.ROOT, "axis=%d scale[%d]=%.4g..%.4g zp=%s", quantizedDimension, scale.length,
          lo, hi, zlo == zhi ? Long.toString(zlo) : zlo + ".." + zhi);
    }
  }

  /**
   * A tensor of a subgraph; {@code data} is empty unless the tensor is a constant (weights, biases),
   * {@code quantization} null unless it is quantised.
   */
  public record Tensor(int index, String name, int[] shape, DType type, int buffer, Quantization quantization,
      ByteBuffer data) {

    public long elements() {
      return Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact);
    }

    public boolean isConstant() {
      return data.hasRemaining();
    }

    /** The raw little-endian bytes (a read-only view). */
    @Override
    public ByteBuffer data() {
      return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The constant data as real numbers: {@code scale * (q - zero_point)} per tensor or per channel
     * along the quantised dimension; float tensors and integer tensors without quantisation (shape
     * constants) as they are.
     */
    public float[] dequantize() {
      if (!isConstant()) {
        throw new IllegalStateException("tensor " + index + " '" + name + "' holds no constant data");
      }
      if (!type.numeric()) {
        throw new IllegalStateException("tensor " + index + " '" + name + "': no numeric conversion for " + type);
      }
      int n = Safetensors.arrayLength(name, elements());
      if (data.remaining() != type.byteSize(n)) {
        throw new IllegalStateException("tensor " + index + " '" + name + "' holds " + data.remaining()
            + " bytes, its shape needs " + type.byteSize(n) + " (sparse tensors are not densified)");
      }
      Quantization q = quantization;
      if (q == null) {
        return type.toFloats(data, n);
      }
      int channels = q.scale().length;
      int inner = 1;
      for (int d = q.perChannel() ? q.quantizedDimension() + 1 : shape.length; d < shape.length; d++) {
        inner *= shape[d];
      }
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        int c = q.perChannel() ? (i / inner) % channels : 0;
        out[i] = (float) (q.scale(c) * (type.get(data, i) - q.zeroPoint(c)));
      }
      return out;
    }

    /** e.g. {@code 1x224x224x3}; a scalar is {@code scalar}. */
    public String shapeString() {
      return shape.length == 0 ? "scalar"
          : String.join("x", Arrays.stream(shape).mapToObj(Integer::toString).toArray(String[]::new));
    }
  }

  /**
   * An operator: its name ({@code CONV_2D}, or {@code CUSTOM} with {@link #customCode}), tensor
   * indices of inputs and outputs (-1 = optional input left out) and its builtin options by their
   * schema names. The typed accessors throw if the operator has no such option.
   */
  public record Operator(int index, String name, int builtinCode, String customCode, int version, int[] inputs,
      int[] outputs, Map<String, Object> options) {

    public Padding padding() {
      return Padding.valueOf((String) option("padding"));
    }

    public Activation activation() {
      return Activation.valueOf((String) option("fused_activation_function"));
    }

    public int strideH() {
      return intOption("stride_h");
    }

    public int strideW() {
      return intOption("stride_w");
    }

    public int dilationH() {
      return intOption("dilation_h_factor");
    }

    public int dilationW() {
      return intOption("dilation_w_factor");
    }

    public int depthMultiplier() {
      return intOption("depth_multiplier");
    }

    public int intOption(String key) {
      return ((Number) option(key)).intValue();
    }

    public Object option(String key) {
      Object v = options.get(key);
      if (v == null) {
        throw new IllegalStateException("operator " + index + " (" + name + ") has no option " + key
            + "; it has " + options.keySet());
      }
      return v;
    }
  }

  /** A subgraph: tensors by index, its input and output tensor indices, its operators in execution order. */
  public record Subgraph(String name, List<Tensor> tensors, int[] inputs, int[] outputs, List<Operator> operators) {
    public Tensor tensor(int index) {
      return tensors.get(index);
    }

    public Tensor tensor(String name) {
      return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no tensor named '" + name + "'"));
    }
  }

  private final Path path;
  private final int version;
  private final String description;
  private final List<Subgraph> subgraphs;

  private TfLiteModel(Path path, int version, String description, List<Subgraph> subgraphs) {
    this.path = path;
    this.version = version;
    this.description = description;
    this.subgraphs = subgraphs;
  }

  /** Reads {@code file}; a file that is not a well-formed TFLite model gives a {@link WeightFileException}. */
  public static TfLiteModel open(Path file) throws IOException {
    ByteBuffer bytes;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > Integer.MAX_VALUE) {
        throw new WeightFileException(file, "TFLite files over 2 GiB are not supported");
      }
      bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    }
    return read(file, bytes);
  }

  /** Parses a model held in {@code bytes}; {@code file} only names it in error messages. */
  static TfLiteModel read(Path file, ByteBuffer bytes) throws WeightFileException {
    FlatBuffer fb = new FlatBuffer(bytes);
    if (!fb.identifier().equals("TFL3")) {
      throw new WeightFileException(file, "not a TFLite model (no TFL3 identifier at byte 4; "
          + bytes.limit() + " bytes)");
    }
    Reader reader = new Reader(fb);
    try {
      return reader.model(file);
    } catch (FlatBuffer.Corrupt | IndexOutOfBoundsException | ArithmeticException e) {
      throw new WeightFileException(file, "corrupt TFLite model (" + reader.where + "): " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  /** The schema version (3 for current files). */
  public int version() {
    return version;
  }

  public String description() {
    return description;
  }

  public List<Subgraph> subgraphs() {
    return subgraphs;
  }

  /** Subgraph 0, the model proper. */
  public Subgraph main() {
    return subgraphs.get(0);
  }

  /** Tensors of the main subgraph by index. */
  public List<Tensor> tensors() {
    return main().tensors();
  }

  /** Operators of the main subgraph in execution order. */
  public List<Operator> operators() {
    return main().operators();
  }

  /** Parses the tables; {@link #where} names the element being read, for error messages. */
  private static final class Reader {
    private final FlatBuffer fb;
    private String where = "model";

    Reader(FlatBuffer fb) {
      this.fb = fb;
    }

    TfLiteModel model(Path file) {
      FlatBuffer.Table root = fb.root();
      List<ByteBuffer> buffers = new ArrayList<>();
      List<FlatBuffer.Table> bufferTables = root.tables(MODEL_BUFFERS);
      for (int b = 0; b < bufferTables.size(); b++) {
        where = "buffer " + b;
        buffers.add(buffer(bufferTables.get(b)));
      }
      where = "operator codes";
      List<FlatBuffer.Table> codes = root.tables(MODEL_OPERATOR_CODES);
      List<Subgraph> subgraphs = new ArrayList<>();
      List<FlatBuffer.Table> subgraphTables = root.tables(MODEL_SUBGRAPHS);
      for (int s = 0; s < subgraphTables.size(); s++) {
        subgraphs.add(subgraph(s, subgraphTables.get(s), buffers, codes));
      }
      where = "model";
      if (subgraphs.isEmpty()) {
        throw new FlatBuffer.Corrupt("the model has no subgraph");
      }
      return new TfLiteModel(file, root.getInt(MODEL_VERSION, 0), root.string(MODEL_DESCRIPTION), List.copyOf(subgraphs));
    }

    private ByteBuffer buffer(FlatBuffer.Table t) {
      long offset = t.getLong(BUFFER_OFFSET, 0);
      return offset > 1 ? fb.slice(offset, t.getLong(BUFFER_SIZE, 0)) : t.bytes(BUFFER_DATA);
    }

    private Subgraph subgraph(int s, FlatBuffer.Table t, List<ByteBuffer> buffers, List<FlatBuffer.Table> codes) {
      List<Tensor> tensors = new ArrayList<>();
      List<FlatBuffer.Table> tensorTables = t.tables(SUBGRAPH_TENSORS);
      for (int i = 0; i < tensorTables.size(); i++) {
        where = "subgraph " + s + ", tensor " + i;
        tensors.add(tensor(i, tensorTables.get(i), buffers));
      }
      where = "subgraph " + s + ", inputs/outputs";
      int[] inputs = checkIndices(t.ints(SUBGRAPH_INPUTS), tensors.size(), false);
      int[] outputs = checkIndices(t.ints(SUBGRAPH_OUTPUTS), tensors.size(), false);
      List<Operator> operators = new ArrayList<>();
      List<FlatBuffer.Table> opTables = t.tables(SUBGRAPH_OPERATORS);
      for (int i = 0; i < opTables.size(); i++) {
        where = "subgraph " + s + ", operator " + i;
        operators.add(operator(i, opTables.get(i), codes, tensors.size()));
      }
      String name = t.string(SUBGRAPH_NAME);
      return new Subgraph(name == null ? "" : name, List.copyOf(tensors), inputs, outputs, List.copyOf(operators));
    }

    private Tensor tensor(int index, FlatBuffer.Table t, List<ByteBuffer> buffers) {
      int[] shape = t.ints(TENSOR_SHAPE);
      for (int d : shape) {
        if (d < -1) {
          throw new FlatBuffer.Corrupt("shape " + Arrays.toString(shape) + " has a negative dimension");
        }
      }
      DType type = tensorType(t.getByte(TENSOR_TYPE, 0));
      int buffer = t.getUint(TENSOR_BUFFER);
      if (buffer >= buffers.size()) {
        throw new FlatBuffer.Corrupt("buffer index " + buffer + " but the model has " + buffers.size() + " buffers");
      }
      String name = t.string(TENSOR_NAME);
      FlatBuffer.Table q = t.table(TENSOR_QUANTIZATION);
      Quantization quant = q == null || q.floats(QUANT_SCALE).length == 0 ? null : quantization(q, shape);
      Tensor tensor = new Tensor(index, name == null ? "" : name, shape, type, buffer, quant, buffers.get(buffer));
      long have = tensor.data.remaining();
      boolean sparse = t.has(TENSOR_SPARSITY); // its buffer holds only the stored values
      if (have > 0 && !sparse && type.fixedSize() && Arrays.stream(shape).allMatch(d -> d >= 0)
          && type.byteSize(tensor.elements()) != have) {
        throw new FlatBuffer.Corrupt("tensor '" + tensor.name() + "' of shape " + tensor.shapeString() + " and type "
            + type + " needs " + type.byteSize(tensor.elements()) + " bytes, its buffer " + buffer + " has " + have);
      }
      return tensor;
    }

    private static Quantization quantization(FlatBuffer.Table q, int[] shape) {
      float[] scale = q.floats(QUANT_SCALE);
      long[] zeroPoint = q.longs(QUANT_ZERO_POINT);
      int dim = q.getInt(QUANT_DIMENSION, 0);
      if (scale.length > 1 && (dim < 0 || dim >= shape.length || shape[dim] != scale.length)) {
        throw new FlatBuffer.Corrupt(scale.length + " scales along quantized_dimension " + dim + " of shape "
            + Arrays.toString(shape));
      }
      if (zeroPoint.length > 1 && zeroPoint.length != scale.length) {
        throw new FlatBuffer.Corrupt(zeroPoint.length + " zero points for " + scale.length + " scales");
      }
      return new Quantization(scale, zeroPoint, dim, q.floats(QUANT_MIN), q.floats(QUANT_MAX));
    }

    private Operator operator(int index, FlatBuffer.Table t, List<FlatBuffer.Table> codes, int tensorCount) {
      int opcode = t.getUint(OP_OPCODE_INDEX);
      if (opcode >= codes.size()) {
        throw new FlatBuffer.Corrupt("opcode index " + opcode + " but the model has " + codes.size() + " operator codes");
      }
      FlatBuffer.Table code = codes.get(opcode);
      // Codes above 127 live only in builtin_code; older files fill only the deprecated byte.
      int builtin = Math.max(code.getByte(OPCODE_DEPRECATED_BUILTIN, 0), code.getInt(OPCODE_BUILTIN, 0));
      int[] inputs = checkIndices(t.ints(OP_INPUTS), tensorCount, true);
      int[] outputs = checkIndices(t.ints(OP_OUTPUTS), tensorCount, false);
      FlatBuffer.Table optionsTable = t.table(OP_OPTIONS);
      Map<String, Object> options =
          optionsTable == null ? Map.of() : TfLiteSchema.options(t.getUbyte(OP_OPTIONS_TYPE), optionsTable);
      return new Operator(index, operatorName(builtin), builtin, code.string(OPCODE_CUSTOM),
          code.getInt(OPCODE_VERSION, 1), inputs, outputs, options);
    }

    private static int[] checkIndices(int[] indices, int tensorCount, boolean optional) {
      for (int i : indices) {
        if (i >= tensorCount || i < (optional ? -1 : 0)) {
          throw new FlatBuffer.Corrupt("tensor index " + i + " out of range 0.." + (tensorCount - 1));
        }
      }
      return indices;
    }
  }
}
