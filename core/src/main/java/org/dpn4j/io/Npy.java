package org.dpn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) and {@code .npz} archives of them
 * ({@code np.savez}, {@code np.savez_compressed}), so that probabilities and label maps can be
 * exchanged with Python tools. Read: float64, float32, float16, uint8 and int32, in C or Fortran
 * order, little- or big-endian; arrays come back in C order, little-endian. Written: the same types
 * in C order, little-endian (what {@code numpy.save} writes on x86 and ARM), atomically (a temporary
 * file in the same directory, then a rename).
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** NumPy's {@code descr} of each supported type, little-endian. */
  private static String descr(DType t) {
    return switch (t) {
      case F32 -> "<f4";
      case F16 -> "<f2";
      case U8 -> "|u1";
      case I32 -> "<i4";
      default -> throw new IllegalArgumentException(".npy files of " + t + " are not supported");
    };
  }

  /** What {@link #read} accepts, for error messages. */
  public static final String SUPPORTED =
      "float64, float32, float16, uint8, int32; little- or big-endian; C or Fortran order";

  private static DType typeOf(String descr, String source) throws IOException {
    String code = descr.length() == 3 && "<>|=".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : "?";
    return switch (code) {
      case "f8" -> DType.F64;
      case "f4" -> DType.F32;
      case "f2" -> DType.F16;
      case "u1" -> DType.U8;
      case "i4" -> DType.I32;
      default -> throw new IOException(
          source + ": unsupported .npy dtype '" + descr + "' (" + numpyName(descr) + "); supported: " + SUPPORTED);
    };
  }

  /** NumPy's name of a dtype string, for messages ('<i8' -> int64). */
  private static String numpyName(String descr) {
    String code = descr.isEmpty() ? "" : descr.substring(1);
    return switch (code.isEmpty() ? ' ' : code.charAt(0)) {
      case 'i' -> "int" + 8 * Integer.parseInt("0" + code.substring(1));
      case 'u' -> "uint" + 8 * Integer.parseInt("0" + code.substring(1));
      case 'f' -> "float" + 8 * Integer.parseInt("0" + code.substring(1));
      case 'c' -> "complex" + 8 * Integer.parseInt("0" + code.substring(1));
      case 'b' -> "bool";
      case 'O' -> "Python objects";
      default -> "not a numeric type";
    };
  }

  /** An array read from a {@code .npy} file: its type, shape and little-endian raw data. */
  public record NpyArray(DType dtype, int[] shape, ByteBuffer data) {

    /** Number of elements (the product of the shape; 1 for a 0-d array). */
    public int size() {
      return Npy.size(shape);
    }

    /** The values as floats, whatever the stored type (uint8 read as 0..255). */
    public float[] toFloats() {
      return dtype.toFloats(data, size());
    }

    /** The values as ints; only for the integer types (uint8 read as 0..255). */
    public int[] toInts() {
      int n = size();
      int[] out = new int[n];
      ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      switch (dtype) {
        case U8 -> {
          for (int i = 0; i < n; i++) {
            out[i] = b.get(i) & 0xff;
          }
        }
        case I32 -> b.asIntBuffer().get(out);
        default -> throw new IllegalStateException("a " + dtype + " array has no integer values");
      }
      return out;
    }

    @Override
    public String toString() {
      return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
  }

  /**
   * Reads a {@code .npy} file, or the only array of an {@code .npz} archive; a missing file, a bad
   * magic, header or type, truncated data, or an archive of several arrays is an error naming the
   * file.
   */
  public static NpyArray read(Path file) throws IOException {
    return read(file, null);
  }

  /**
   * Reads a {@code .npy} file, or array {@code key} of an {@code .npz} archive ({@code np.savez}'s
   * keyword; null: the archive's only array). The kind is recognised by content, not by name.
   */
  public static NpyArray read(Path file, String key) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + ": no such file");
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": a folder, not a .npy or .npz file");
    }
    byte[] all = Files.readAllBytes(file);
    if (all.length >= 4 && all[0] == 'P' && all[1] == 'K' && all[2] == 3 && all[3] == 4) {
      return NpzArchive.read(file, key);
    }
    if (key != null) {
      throw new IOException(file + ": a key ('" + key + "') is for .npz archives; this is not one");
    }
    return parse(all, file.toString());
  }

  /** Parses the bytes of a {@code .npy} file; {@code source} names it in errors. */
  static NpyArray parse(byte[] all, String source) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), MAGIC)) {
      throw new IOException(source + ": not a .npy file (missing the \\x93NUMPY magic)");
    }
    int major = all[6];
    long headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (all.length < 12) {
        throw new IOException(source + ": truncated .npy header");
      }
      headerLen = b.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new IOException(source + ": unsupported .npy format version " + major + "." + all[7]);
    }
    if (headerStart + headerLen > all.length) {
      throw new IOException(
          source + ": truncated .npy header (" + headerLen + " bytes announced, " + (all.length - headerStart) + " present)");
    }
    String header =
        new String(all, headerStart, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = field(DESCR, header, "descr", source);
    DType dtype = typeOf(descr, source);
    boolean fortran = field(FORTRAN, header, "fortran_order", source).equals("True");
    int[] shape = parseShape(field(SHAPE, header, "shape", source), source);
    int dataStart = (int) (headerStart + headerLen);
    long need = dtype.byteSize(size(shape));
    long have = all.length - dataStart;
    if (have < need) {
      throw new IOException(
          source + ": truncated .npy data: shape " + Arrays.toString(shape) + " of " + dtype + " needs " + need
              + " bytes, the file holds " + have);
    }
    byte[] data = Arrays.copyOfRange(all, dataStart, dataStart + (int) need);
    if (descr.charAt(0) == '>') {
      swapBytes(data, (int) dtype.byteSize(1));
    }
    if (fortran) {
      data = fortranToC(data, shape, (int) dtype.byteSize(1));
    }
    return new NpyArray(dtype, shape, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
  }

  /** Reverses the bytes of every {@code width}-byte element in place (big- to little-endian). */
  private static void swapBytes(byte[] data, int width) {
    for (int at = 0; at < data.length; at += width) {
      for (int i = 0, j = width - 1; i < j; i++, j--) {
        byte t = data[at + i];
        data[at + i] = data[at + j];
        data[at + j] = t;
      }
    }
  }

  /**
   * Fortran order (first index fastest) to C order (last index fastest): element (i0, ..., ik) sits
   * at sum(i_j * prod(shape[0..j-1])) in the file.
   */
  private static byte[] fortranToC(byte[] f, int[] shape, int width) {
    int n = size(shape);
    int rank = shape.length;
    int[] fStride = new int[rank];
    for (int j = 0, s = 1; j < rank; j++) {
      fStride[j] = s;
      s *= shape[j];
    }
    byte[] c = new byte[f.length];
    int[] index = new int[rank];
    int from = 0;
    for (int i = 0; i < n; i++) {
      System.arraycopy(f, from * width, c, i * width, width);
      // Next C index: the last axis runs fastest; keep the Fortran offset in step.
      for (int j = rank - 1; j >= 0; j--) {
        if (++index[j] < shape[j]) {
          from += fStride[j];
          break;
        }
        from -= (shape[j] - 1) * fStride[j];
        index[j] = 0;
      }
    }
    return c;
  }

  private static String field(Pattern p, String header, String name, String file) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": bad .npy header, no '" + name + "' entry: " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(String s, String file) throws IOException {
    String[] parts = s.split(",");
    int n = 0;
    int[] shape = new int[parts.length];
    for (String part : parts) {
      String t = part.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        shape[n] = Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
      } catch (NumberFormatException e) {
        throw new IOException(file + ": bad .npy shape '(" + s + ")'");
      }
      if (shape[n] < 0) {
        throw new IOException(file + ": negative dimension in .npy shape '(" + s + ")'");
      }
      n++;
    }
    int[] result = Arrays.copyOf(shape, n);
    if ((long) size(result) * 4 > Integer.MAX_VALUE) {
      throw new IOException(file + ": .npy array of shape " + Arrays.toString(result) + " is too large");
    }
    return result;
  }

  static int size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
  }

  /** Writes float32 values of the given C-order shape. */
  public static void writeFloat32(Path file, float[] values, int... shape) throws IOException {
    write(file, DType.F32, shape, values.length, b -> b.asFloatBuffer().put(values));
  }

  /** Writes float16 values (rounded to nearest even) of the given C-order shape. */
  public static void writeFloat16(Path file, float[] values, int... shape) throws IOException {
    write(file, DType.F16, shape, values.length, b -> {
      for (int i = 0; i < values.length; i++) {
        b.putShort(2 * i, Half.fromFloat(values[i]));
      }
    });
  }

  /** Writes int32 values of the given C-order shape. */
  public static void writeInt32(Path file, int[] values, int... shape) throws IOException {
    write(file, DType.I32, shape, values.length, b -> b.asIntBuffer().put(values));
  }

  /** Writes uint8 values (0..255, given as ints and checked) of the given C-order shape. */
  public static void writeUint8(Path file, int[] values, int... shape) throws IOException {
    write(file, DType.U8, shape, values.length, b -> {
      for (int i = 0; i < values.length; i++) {
        if (values[i] < 0 || values[i] > 255) {
          throw new IllegalArgumentException(
              file + ": value " + values[i] + " at index " + i + " does not fit in uint8");
        }
        b.put(i, (byte) values[i]);
      }
    });
  }

  /**
   * Writes {@code n} values of type t and the given shape (checked to hold n), which {@code fill}
   * puts into the little-endian data buffer.
   */
  private static void write(Path file, DType t, int[] shape, int n, java.util.function.Consumer<ByteBuffer> fill)
      throws IOException {
    ByteBuffer b = allocate(n, t, shape, file);
    fill.accept(b);
    write(file, t, shape, b);
  }

  private static ByteBuffer allocate(int n, DType t, int[] shape, Path file) {
    if (size(shape) != n) {
      throw new IllegalArgumentException(
          file + ": shape " + Arrays.toString(shape) + " holds " + size(shape) + " values, " + n + " given");
    }
    return ByteBuffer.allocate((int) t.byteSize(n)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void write(Path file, DType t, int[] shape, ByteBuffer data) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    if (shape.length > 1) {
      dims.setLength(dims.length() - 2);
    } else if (shape.length == 1) {
      dims.setLength(dims.length() - 1);
    }
    String dict = "{'descr': '" + descr(t) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    // The header (magic + 4 length bytes for v1 ... + dict + '\n') is padded to a multiple of 64 bytes.
    int unpadded = 10 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    if (header.length() > 0xffff) {
      throw new IOException(file + ": .npy header too long for format 1.0");
    }
    ByteBuffer head = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    head.put(header.getBytes(StandardCharsets.ISO_8859_1));
    AtomicFiles.write(file, head.array(), data.array());
  }
}
