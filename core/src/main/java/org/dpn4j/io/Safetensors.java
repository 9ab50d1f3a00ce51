package org.dpn4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of
 * JSON ({@code name -> {dtype, shape, data_offsets: [begin, end]}} plus an optional
 * {@code "__metadata__"} string map), then the tensors' little-endian bytes, offsets counted from the
 * end of the header.
 *
 * <p>{@link #open} reads only the header; each tensor's bytes are memory-mapped when asked for, so a
 * 500 MB file never sits in the Java heap at once. The checks are those of the reference library:
 * the tensors must tile the data section exactly (no overlap, no gap, nothing after the last one).
 * {@link #write} is atomic: a temporary file in the target's directory, renamed over the target.
 */
public final class Safetensors {

  public static final String METADATA_KEY = "__metadata__";
  /** The reference library's limit; a larger length means a corrupt or foreign file. */
  static final long MAX_HEADER_BYTES = 100_000_000;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** One tensor's header entry; {@code begin} and {@code end} are offsets into the data section. */
  public record Info(String name, DType dtype, long[] shape, long begin, long end) {
    public long elements() {
      return Safetensors.elements(shape);
    }
  }

  /** A tensor's raw little-endian bytes with its type and shape; what {@link #write} takes. */
  public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {
    public Tensor {
      if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
        throw new IllegalArgumentException("bad tensor name '" + name + "'");
      }
      shape = shape.clone();
      long need = dtype.byteSize(Safetensors.elements(shape));
      if (data.remaining() != need) {
        throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of "
            + dtype + " needs " + need + " bytes, data has " + data.remaining());
      }
      data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static Tensor ofFloats(String name, long[] shape, float[] values) {
      ByteBuffer b = littleEndian(4L * values.length);
      b.asFloatBuffer().put(values);
      return new Tensor(name, DType.F32, shape, b);
    }

    public static Tensor ofInts(String name, long[] shape, int[] values) {
      ByteBuffer b = littleEndian(4L * values.length);
      b.asIntBuffer().put(values);
      return new Tensor(name, DType.I32, shape, b);
    }

    /** Unsigned bytes (U8). */
    public static Tensor ofBytes(String name, long[] shape, byte[] values) {
      return new Tensor(name, DType.U8, shape, ByteBuffer.wrap(values.clone()));
    }

    /** The raw little-endian bytes (a view of its own, so that reading it moves no shared position). */
    @Override
    public ByteBuffer data() {
      return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elements() {
      return Safetensors.elements(shape);
    }

    /** The values as floats, converted from any numeric type (see {@link DType#get}). */
    public float[] toFloats() {
      return dtype.toFloats(data, arrayLength(name, elements()));
    }
  }

  private final Path path;
  private final long dataStart;
  private final Map<String, String> metadata;
  private final Map<String, Info> infos; // in data order

  private Safetensors(Path path, long dataStart, Map<String, String> metadata, Map<String, Info> infos) {
    this.path = path;
    this.dataStart = dataStart;
    this.metadata = metadata;
    this.infos = infos;
  }

  /** Reads and checks the header of {@code file}; tensor data stays on disk until {@link #read}. */
  public static Safetensors open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new WeightFileException(file, "only " + size + " bytes: too short for the 8-byte header length");
      }
      long n = readFully(ch, 0, 8).getLong();
      if (n < 2 || n > MAX_HEADER_BYTES) {
        throw new WeightFileException(file, "bad header length " + n + " (must be 2.." + MAX_HEADER_BYTES
            + "): not a safetensors file");
      }
      if (8 + n > size) {
        throw new WeightFileException(file, "header length " + n + " runs past the end of the file ("
            + size + " bytes): truncated or not a safetensors file");
      }
      ByteBuffer header = readFully(ch, 8, (int) n);
      return parseHeader(file, header, 8 + n, size - 8 - n);
    }
  }

  public Path path() {
    return path;
  }

  /** The {@code __metadata__} map (empty if the file has none). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensors' header entries in the order of their data. */
  public List<Info> tensors() {
    return List.copyOf(infos.values());
  }

  public Info info(String name) {
    Info info = infos.get(name);
    if (info == null) {
      throw new IllegalArgumentException(path + ": no tensor '" + name + "'");
    }
    return info;
  }

  /**
   * Tensor {@code name} with its bytes memory-mapped (read-only), or read into memory where the file
   * system cannot map (a model inside a jar, {@code org.dpn4j.model.Models}).
   */
  public Tensor read(String name) throws IOException {
    Info info = info(name);
    long length = info.end() - info.begin();
    if (length > Integer.MAX_VALUE) {
      throw new WeightFileException(path, "tensor '" + name + "' has " + length + " bytes: over 2 GiB cannot be mapped");
    }
    ByteBuffer data;
    if (length == 0) {
      data = ByteBuffer.allocate(0);
    } else {
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        try {
          data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), length);
        } catch (UnsupportedOperationException e) {
          data = readFully(ch, dataStart + info.begin(), (int) length);
        }
      }
    }
    return new Tensor(name, info.dtype(), info.shape(), data);
  }

  /** Tensor {@code name} converted to floats. */
  public float[] floats(String name) throws IOException {
    return read(name).toFloats();
  }

  /**
   * Writes {@code tensors} and {@code metadata} to {@code file} atomically (temporary file in the same
   * directory, then a rename). As the reference writer does, the data is ordered by element size
   * (largest first), then by name, so that every tensor is aligned to its element size.
   */
  public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) throws IOException {
    List<Tensor> ordered = new ArrayList<>(tensors);
    ordered.sort(Comparator.comparingLong((Tensor t) -> -t.dtype().byteSize(1)).thenComparing(Tensor::name));
    byte[] header = headerBytes(ordered, metadata);
    AtomicFiles.write(
        file,
        (FileChannel ch) -> {
          ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
          AtomicFiles.writeFully(ch, length);
          AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
          for (Tensor t : ordered) {
            AtomicFiles.writeFully(ch, t.data());
          }
        });
  }

  private static byte[] headerBytes(List<Tensor> ordered, Map<String, String> metadata) {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(METADATA_KEY);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Tensor t : ordered) {
      if (!t.dtype().inSafetensors()) {
        throw new IllegalArgumentException("tensor '" + t.name() + "': " + t.dtype() + " cannot be stored in safetensors");
      }
      if (root.has(t.name())) {
        throw new IllegalArgumentException("tensor name '" + t.name() + "' appears twice");
      }
      ObjectNode entry = root.putObject(t.name());
      entry.put("dtype", t.dtype().name());
      ArrayNode shape = entry.putArray("shape");
      Arrays.stream(t.shape()).forEach(shape::add);
      long end = offset + t.data.remaining();
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
    byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
    Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    return padded;
  }

  private static Safetensors parseHeader(Path file, ByteBuffer header, long dataStart, long dataLength)
      throws WeightFileException {
    JsonNode root;
    try {
      root = JSON.readTree(StandardCharsets.UTF_8.decode(header).toString());
    } catch (JsonProcessingException e) {
      throw new WeightFileException(file, "invalid JSON header: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new WeightFileException(file, "invalid JSON header: not an object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Info> list = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(METADATA_KEY)) {
        parseMetadata(file, e.getValue(), metadata);
      } else {
        list.add(parseInfo(file, e.getKey(), e.getValue()));
      }
    }
    list.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
    checkTiling(file, list, dataLength);
    Map<String, Info> infos = new LinkedHashMap<>();
    list.forEach(i -> infos.put(i.name(), i));
    return new Safetensors(file, dataStart, Map.copyOf(metadata), infos);
  }

  private static void parseMetadata(Path file, JsonNode node, Map<String, String> out) throws WeightFileException {
    if (!node.isObject()) {
      throw new WeightFileException(file, "__metadata__ is not an object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new WeightFileException(file, "__metadata__ value of '" + e.getKey() + "' is not a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static Info parseInfo(Path file, String name, JsonNode node) throws WeightFileException {
    String where = "tensor '" + name + "': ";
    if (!node.isObject()) {
      throw new WeightFileException(file, where + "entry is not an object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new WeightFileException(file, where + "missing dtype");
    }
    DType dtype = dtypeOf(dtypeNode.textValue());
    if (dtype == null) {
      throw new WeightFileException(file, where + "unknown dtype '" + dtypeNode.textValue() + "'");
    }
    long[] shape = naturals(file, where + "shape", node.get("shape"), -1);
    long[] offsets = naturals(file, where + "data_offsets", node.get("data_offsets"), 2);
    if (offsets[1] < offsets[0]) {
      throw new WeightFileException(file, where + "data_offsets " + Arrays.toString(offsets) + " end before they begin");
    }
    long need;
    try {
      need = dtype.byteSize(elements(shape));
    } catch (ArithmeticException e) {
      throw new WeightFileException(file, where + "shape " + Arrays.toString(shape) + " is too large");
    }
    if (need != offsets[1] - offsets[0]) {
      throw new WeightFileException(file, where + "shape " + Arrays.toString(shape) + " of " + dtype + " needs "
          + need + " bytes, data_offsets " + Arrays.toString(offsets) + " give " + (offsets[1] - offsets[0]));
    }
    return new Info(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static DType dtypeOf(String name) {
    for (DType d : DType.values()) {
      if (d.inSafetensors() && d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /** A JSON array of non-negative integers, of length {@code length} unless that is negative. */
  private static long[] naturals(Path file, String what, JsonNode node, int length) throws WeightFileException {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw new WeightFileException(file, what + " must be an array" + (length >= 0 ? " of " + length : "")
          + " of non-negative integers, got " + node);
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
        throw new WeightFileException(file, what + " must hold non-negative integers, got " + node);
      }
      out[i] = v.asLong();
    }
    return out;
  }

  /** The tensors, sorted by offset, must cover [0, dataLength) exactly. */
  private static void checkTiling(Path file, List<Info> sorted, long dataLength) throws WeightFileException {
    long at = 0;
    String previous = null;
    for (Info i : sorted) {
      if (i.begin() < at) {
        throw new WeightFileException(file, "tensors '" + previous + "' and '" + i.name() + "' overlap (data_offsets "
            + i.begin() + " < " + at + ")");
      }
      if (i.begin() > at) {
        throw new WeightFileException(file, "gap in the data before tensor '" + i.name() + "' (bytes " + at + ".."
            + i.begin() + " belong to no tensor)");
      }
      at = i.end();
      previous = i.name();
    }
    if (at > dataLength) {
      throw new WeightFileException(file, "truncated: tensor '" + previous + "' ends at data offset " + at
          + ", the file holds only " + dataLength + " data bytes");
    }
    if (at < dataLength) {
      throw new WeightFileException(file, (dataLength - at) + " bytes after the last tensor belong to no tensor");
    }
  }

  static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  static int arrayLength(String name, long elements) {
    if (elements > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor '" + name + "' has " + elements + " elements: too many for one array");
    }
    return (int) elements;
  }

  private static ByteBuffer littleEndian(long bytes) {
    return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new IOException("unexpected end of file at byte " + (position + b.position()));
      }
    }
    return b.flip();
  }
}
