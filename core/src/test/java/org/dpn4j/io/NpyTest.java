package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  @TempDir Path dir;

  /** numpy 2.4: {@code np.save(f, (np.arange(6, dtype='<f4').reshape(2, 3) / 4).astype('<f4'))}. */
  private static final String NUMPY_F4_2X3 =
      "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73"
          + "652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020"
          + "202020202020202020202020202020202020202020202020202020202020200a000000000000803e0000003f0000403f"
          + "0000803f0000a03f";

  /** numpy 2.4: {@code np.lib.format.write_array(f, np.array([3, 4], dtype='<i4'), version=(2, 0))}. */
  private static final String NUMPY_I4_V2 =
      "934e554d50590200740000007b276465736372273a20273c6934272c2027666f727472616e5f6f72646572273a204661"
          + "6c73652c20277368617065273a2028322c292c207d202020202020202020202020202020202020202020202020202020"
          + "202020202020202020202020202020202020202020202020202020202020200a0300000004000000";

  @Test
  void writesTheSameBytesAsNumpy() throws IOException {
    Path f = dir.resolve("a.npy");
    Npy.writeFloat32(f, new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, 2, 3);
    assertEquals(NUMPY_F4_2X3, HexFormat.of().formatHex(Files.readAllBytes(f)));
  }

  @Test
  void readsNumpyFilesOfVersionOneAndTwo() throws IOException {
    Path f = dir.resolve("a.npy");
    Files.write(f, HexFormat.of().parseHex(NUMPY_F4_2X3));
    Npy.NpyArray a = Npy.read(f);
    assertEquals(DType.F32, a.dtype());
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, a.toFloats());

    Files.write(f, HexFormat.of().parseHex(NUMPY_I4_V2));
    Npy.NpyArray b = Npy.read(f);
    assertArrayEquals(new int[] {2}, b.shape());
    assertArrayEquals(new int[] {3, 4}, b.toInts());
  }

  @Test
  void roundTripsEveryType() throws IOException {
    Path f = dir.resolve("r.npy");
    float[] floats = {1.5f, -2f, 3.25e-3f, 1e6f, 0f, -0f};
    Npy.writeFloat32(f, floats, 3, 2);
    assertArrayEquals(floats, Npy.read(f).toFloats());

    float[] halves = {1f, -2.5f, 65504f, 0x1p-24f, 0.5f, 1024f};
    Npy.writeFloat16(f, halves, 6);
    Npy.NpyArray h = Npy.read(f);
    assertEquals(DType.F16, h.dtype());
    assertArrayEquals(halves, h.toFloats());

    int[] bytes = {0, 1, 254, 255};
    Npy.writeUint8(f, bytes, 2, 2);
    assertArrayEquals(bytes, Npy.read(f).toInts());

    int[] ints = {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE};
    Npy.writeInt32(f, ints, 5);
    assertArrayEquals(ints, Npy.read(f).toInts());
    assertArrayEquals(new int[] {5}, Npy.read(f).shape());
  }

  @Test
  void halfPrecisionRoundsToNearestEven() {
    assertEquals(0x3c00, Half.fromFloat(1f) & 0xffff);
    assertEquals(0x7bff, Half.fromFloat(65504f) & 0xffff);
    assertEquals(0x7c00, Half.fromFloat(65520f) & 0xffff); // rounds up to infinity
    assertEquals(0x0001, Half.fromFloat(0x1p-24f) & 0xffff); // smallest subnormal
    assertEquals(0x0000, Half.fromFloat(0x1p-26f) & 0xffff);
    assertEquals(0x2e66, Half.fromFloat(0.1f) & 0xffff);
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    assertEquals(0x3c00, Half.fromFloat(1f + 0x1p-11f) & 0xffff);
    assertEquals(0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f) & 0xffff);
    assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
    for (int bits = 0; bits < 0x7c00; bits++) {
      assertEquals(bits, Half.fromFloat(Half.toFloat((short) bits)) & 0xffff, "bits " + bits);
    }
  }

  @Test
  void badFilesGiveClearErrors() throws IOException {
    Path f = dir.resolve("bad.npy");
    Files.write(f, "hello world, not numpy".getBytes());
    assertMessage(f, "not a .npy file");

    byte[] good = HexFormat.of().parseHex(NUMPY_F4_2X3);
    Files.write(f, Arrays.copyOf(good, good.length - 3));
    assertMessage(f, "truncated .npy data");

    Files.write(f, Arrays.copyOf(good, 40));
    assertMessage(f, "truncated .npy header");

    Files.write(f, new String(good, java.nio.charset.StandardCharsets.ISO_8859_1)
        .replace("<f4", "<i8").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertMessage(f, "unsupported .npy dtype '<i8' (int64); supported: " + Npy.SUPPORTED);

    Files.write(f, new String(good, java.nio.charset.StandardCharsets.ISO_8859_1)
        .replace("'shape'", "'shope'").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertMessage(f, "no 'shape' entry");
  }

  @Test
  void writingChecksShapeAndRange() {
    Path f = dir.resolve("w.npy");
    assertThrows(IllegalArgumentException.class, () -> Npy.writeFloat32(f, new float[5], 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Npy.writeUint8(f, new int[] {256}, 1));
  }

  private static void assertMessage(Path f, String part) {
    IOException e = assertThrows(IOException.class, () -> Npy.read(f));
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), "the message names the file: " + e.getMessage());
  }

  // ---- files as NumPy writes them (core/src/test/resources/npy, made by make_fixtures.py) -------

  /** The fixtures NumPy wrote (make_fixtures.py beside them). */
  static final Path FIXTURES = Path.of("core/src/test/resources/npy");

  @Test
  void everyLayoutNumPyWritesReadsAsTheSameCOrderValues() throws IOException {
    Npy.NpyArray ref = Npy.read(FIXTURES.resolve("p_f32.npy"));
    assertArrayEquals(new int[] {11, 6, 8}, ref.shape());
    float[] expected = ref.toFloats();
    // float64 -> float rounds as NumPy's astype(float32) did: exactly the same values.
    for (String f : new String[] {"p_f64.npy", "p_fortran.npy", "p_be.npy", "p_f64_fortran_be.npy", "p.npz",
        "p_compressed.npz"}) {
      Npy.NpyArray a = Npy.read(FIXTURES.resolve(f));
      assertArrayEquals(new int[] {11, 6, 8}, a.shape(), f);
      assertArrayEquals(expected, a.toFloats(), 0f, f);
    }
    assertEquals(DType.F64, Npy.read(FIXTURES.resolve("p_f64_fortran_be.npy")).dtype());
    assertArrayEquals(expected, Npy.read(FIXTURES.resolve("p_f16.npy")).toFloats(), 5e-4f, "float16");
    float[] hwl = Npy.read(FIXTURES.resolve("p_hwl.npy")).toFloats();
    assertArrayEquals(hwl, Npy.read(FIXTURES.resolve("p_hwl_fortran.npy")).toFloats(), 0f, "(H, W, L) Fortran");
    assertEquals(expected[(3 * 6 + 2) * 8 + 5], hwl[(2 * 8 + 5) * 11 + 3], "label 3 at y=2, x=5");
  }

  @Test
  void anNpzOfSeveralArraysNeedsAKey() throws IOException {
    Path two = FIXTURES.resolve("p_two.npz");
    IOException e = assertThrows(IOException.class, () -> Npy.read(two));
    assertTrue(e.getMessage().startsWith(two + ": 2 arrays [probs, logits]"), e.getMessage());
    assertArrayEquals(Npy.read(FIXTURES.resolve("p_f32.npy")).toFloats(), Npy.read(two, "probs").toFloats(), 0f);
    assertArrayEquals(new int[] {11, 6, 8}, Npy.read(two, "logits").shape());
    IOException missing = assertThrows(IOException.class, () -> Npy.read(two, "p"));
    assertTrue(missing.getMessage().contains(two + ": no array 'p' in this .npz; it holds [probs, logits]"),
        missing.getMessage());
    IOException notNpz = assertThrows(IOException.class, () -> Npy.read(FIXTURES.resolve("p_f32.npy"), "probs"));
    assertTrue(notNpz.getMessage().contains("is for .npz archives"), notNpz.getMessage());
  }

  @Test
  void typesNumPyHasButWeDoNotAreRefusedByName() throws IOException {
    assertMessage(FIXTURES.resolve("p_i64.npy"), "unsupported .npy dtype '<i8' (int64)");
    assertMessage(FIXTURES.resolve("p_c64.npy"), "unsupported .npy dtype '<c8' (complex64)");
    assertMessage(FIXTURES.resolve("p_object.npy"), "unsupported .npy dtype '|O' (Python objects)");
    assertMessage(dir.resolve("absent.npy"), "absent.npy: no such file");
    Path zip = dir.resolve("broken.npz");
    Files.write(zip, new byte[] {'P', 'K', 3, 4, 0, 0});
    assertMessage(zip, "not a readable .npz archive");
  }
}
