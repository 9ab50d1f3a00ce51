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
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0), so that probabilities and label maps
 * can be exchanged with Python tools. Supported element types: float32, float16, uint8 and int32, in
 * C order, little-endian (what {@code numpy.save} writes on x86 and ARM). Writing is atomic: a
 * temporary file in the same directory, then a rename.
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

  private static DType typeOf(String descr, Path file) throws IOException {
    return switch (descr) {
      case "<f4" -> DType.F32;
      case "<f2" -> DType.F16;
      case "|u1", "<u1" -> DType.U8;
      case "<i4" -> DType.I32;
      default -> throw new IOException(
          file + ": unsupported .npy dtype '" + descr + "' (supported: float32 '<f4', float16 '<f2',"
              + " uint8 '|u1', int32 '<i4', little-endian)");
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

  /** Reads a {@code .npy} file; a bad magic, header or truncated data is an error naming the file. */
  public static NpyArray read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), MAGIC)) {
      throw new IOException(file + ": not a .npy file (missing the \\x93NUMPY magic)");
    }
    int major = all[6];
    long headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (all.length < 12) {
        throw new IOException(file + ": truncated .npy header");
      }
      headerLen = b.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new IOException(file + ": unsupported .npy format version " + major + "." + all[7]);
    }
    if (headerStart + headerLen > all.length) {
      throw new IOException(
          file + ": truncated .npy header (" + headerLen + " bytes announced, " + (all.length - headerStart) + " present)");
    }
    String header =
        new String(all, headerStart, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    DType dtype = typeOf(field(DESCR, header, "descr", file), file);
    if (field(FORTRAN, header, "fortran_order", file).equals("True")) {
      throw new IOException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
    }
    int[] shape = parseShape(field(SHAPE, header, "shape", file), file);
    int dataStart = (int) (headerStart + headerLen);
    long need = dtype.byteSize(size(shape));
    long have = all.length - dataStart;
    if (have < need) {
      throw new IOException(
          file + ": truncated .npy data: shape " + Arrays.toString(shape) + " of " + dtype + " needs " + need
              + " bytes, the file holds " + have);
    }
    ByteBuffer data = ByteBuffer.wrap(all, dataStart, (int) need).slice().order(ByteOrder.LITTLE_ENDIAN);
    return new NpyArray(dtype, shape, data);
  }

  private static String field(Pattern p, String header, String name, Path file) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": bad .npy header, no '" + name + "' entry: " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(String s, Path file) throws IOException {
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
    ByteBuffer b = allocate(values.length, DType.F32, shape, file);
    b.asFloatBuffer().put(values);
    write(file, DType.F32, shape, b);
  }

  /** Writes float16 values (rounded to nearest even) of the given C-order shape. */
  public static void writeFloat16(Path file, float[] values, int... shape) throws IOException {
    ByteBuffer b = allocate(values.length, DType.F16, shape, file);
    for (int i = 0; i < values.length; i++) {
      b.putShort(2 * i, Half.fromFloat(values[i]));
    }
    write(file, DType.F16, shape, b);
  }

  /** Writes int32 values of the given C-order shape. */
  public static void writeInt32(Path file, int[] values, int... shape) throws IOException {
    ByteBuffer b = allocate(values.length, DType.I32, shape, file);
    b.asIntBuffer().put(values);
    write(file, DType.I32, shape, b);
  }

  /** Writes uint8 values (0..255, given as ints and checked) of the given C-order shape. */
  public static void writeUint8(Path file, int[] values, int... shape) throws IOException {
    ByteBuffer b = allocate(values.length, DType.U8, shape, file);
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 255) {
        throw new IllegalArgumentException(
            file + ": value " + values[i] + " at index " + i + " does not fit in uint8");
      }
      b.put(i, (byte) values[i]);
    }
    write(file, DType.U8, shape, b);
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
