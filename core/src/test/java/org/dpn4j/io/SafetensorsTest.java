package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path dir;

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static List<Safetensors.Tensor> severalDtypes() {
    ByteBuffer f64 = le(16).putDouble(-1.5).putDouble(1e300).flip();
    ByteBuffer i64 = le(16).putLong(Long.MIN_VALUE).putLong(42).flip();
    ByteBuffer bf16 = le(4).putShort((short) 0x3f80).putShort((short) 0xc040).flip(); // 1, -3
    ByteBuffer f16 = le(6).putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001).flip();
    ByteBuffer i8 = ByteBuffer.wrap(new byte[] {-128, 127, 0});
    return List.of(
        Safetensors.Tensor.ofFloats("conv.weight", new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, -0f}),
        Safetensors.Tensor.ofInts("counts", new long[] {4}, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}),
        Safetensors.Tensor.ofBytes("mask", new long[] {5}, new byte[] {0, 1, (byte) 200, (byte) 255, 7}),
        new Safetensors.Tensor("f64", DType.F64, new long[] {2}, f64),
        new Safetensors.Tensor("i64", DType.I64, new long[] {2, 1}, i64),
        new Safetensors.Tensor("bf16", DType.BF16, new long[] {2}, bf16),
        new Safetensors.Tensor("f16", DType.F16, new long[] {3}, f16),
        new Safetensors.Tensor("i8", DType.I8, new long[] {3}, i8),
        Safetensors.Tensor.ofFloats("scalar", new long[] {}, new float[] {7.25f}),
        Safetensors.Tensor.ofFloats("empty", new long[] {0, 3}, new float[0]));
  }

  @Test
  void roundTripKeepsEveryTensorByteForByteAndTheMetadata() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Map<String, String> metadata = Map.of("format", "pt", "note", "Grüße, {\"quoted\"}");
    List<Safetensors.Tensor> written = severalDtypes();
    Safetensors.write(file, written, metadata);

    Safetensors st = Safetensors.open(file);
    assertEquals(metadata, st.metadata());
    assertEquals(written.size(), st.tensors().size());
    for (Safetensors.Tensor w : written) {
      Safetensors.Tensor r = st.read(w.name());
      assertEquals(w.dtype(), r.dtype(), w.name());
      assertArrayEquals(w.shape(), r.shape(), w.name());
      assertEquals(w.data(), r.data(), w.name()); // remaining bytes compared one by one
      assertTrue(r.elements() == 0 || r.data().isDirect(), "tensor data should be memory-mapped");
    }
    assertArrayEquals(new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, -0f}, st.floats("conv.weight"));
    assertArrayEquals(new float[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, st.floats("counts"));
    assertArrayEquals(new float[] {0, 1, 200, 255, 7}, st.floats("mask"));
    assertArrayEquals(new float[] {-1.5f, Float.POSITIVE_INFINITY}, st.floats("f64"));
    assertArrayEquals(new float[] {-0x1p63f, 42}, st.floats("i64"));
    assertArrayEquals(new float[] {1, -3}, st.floats("bf16"));
    assertArrayEquals(new float[] {1, -2, 0x1p-24f}, st.floats("f16"));
    assertArrayEquals(new float[] {-128, 127, 0}, st.floats("i8"));
    assertArrayEquals(new float[] {7.25f}, st.floats("scalar"));
    assertEquals(0, st.floats("empty").length);
  }

  @Test
  void writerAlignsEveryTensorToItsElementSizeAndPadsTheHeader() throws IOException {
    Path file = dir.resolve("aligned.safetensors");
    Safetensors.write(file, severalDtypes(), Map.of());
    long n = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8);
    for (Safetensors.Info i : Safetensors.open(file).tensors()) {
      assertEquals(0, i.begin() % i.dtype().byteSize(1), i.name());
    }
  }

  /** A file laid out by hand from the format's description, with a header padded by spaces. */
  @Test
  void readsAFileWrittenByHandFromTheSpec() throws IOException {
    String json = "{\"__metadata__\":{\"source\":\"hand\"},"
        + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[4,12]},"
        + "\"e4\":{\"dtype\":\"F8_E4M3\",\"shape\":[3],\"data_offsets\":[12,15]},"
        + "\"e5\":{\"dtype\":\"F8_E5M2\",\"shape\":[1],\"data_offsets\":[15,16]},"
        + "\"u16\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[16,18]},"
        + "\"ok\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[18,20]}}   ";
    ByteBuffer data = le(20)
        .putShort((short) 0x3c00).putShort((short) 0xc000) // F16 1, -2
        .putFloat(0.5f).putFloat(3.25f)
        .put((byte) 0x38).put((byte) 0xb9).put((byte) 0x01) // E4M3 1, -1.125, 2^-9
        .put((byte) 0x3c) // E5M2 1
        .putShort((short) 0xffff)
        .put((byte) 0).put((byte) 1);
    Path file = writeRaw("hand.safetensors", json, data.array());

    Safetensors st = Safetensors.open(file);
    assertEquals(Map.of("source", "hand"), st.metadata());
    assertEquals(List.of("b", "a", "e4", "e5", "u16", "ok"), st.tensors().stream().map(Safetensors.Info::name).toList());
    assertArrayEquals(new long[] {1, 2}, st.info("a").shape());
    assertArrayEquals(new float[] {1, -2}, st.floats("b"));
    assertArrayEquals(new float[] {0.5f, 3.25f}, st.floats("a"));
    assertArrayEquals(new float[] {1, -1.125f, 0x1p-9f}, st.floats("e4"));
    assertArrayEquals(new float[] {1}, st.floats("e5"));
    assertArrayEquals(new float[] {65535}, st.floats("u16"));
    assertArrayEquals(new float[] {0, 1}, st.floats("ok"));
  }

  private Path writeRaw(String name, String json, byte[] data) throws IOException {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(le(8).putLong(header.length).array());
    out.write(header);
    out.write(data);
    Path file = dir.resolve(name);
    Files.write(file, out.toByteArray());
    return file;
  }

  private void assertCorrupt(Path file, String problem) {
    WeightFileException e = assertThrows(WeightFileException.class, () -> Safetensors.open(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
  }

  /** A file {@code name}.safetensors whose header holds {@code entries}, with {@code dataBytes} zero bytes, is refused naming {@code problem}. */
  private void assertCorruptEntries(String name, int dataBytes, String problem, String... entries) throws IOException {
    assertCorrupt(writeRaw(name + ".safetensors", "{" + String.join(",", entries) + "}", new byte[dataBytes]), problem);
  }

  private static String entry(String name, String dtype, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
        + end + "]}";
  }

  @Test
  void badHeaderLengthsAreReported() throws IOException {
    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertCorrupt(tiny, "too short");

    Path huge = dir.resolve("huge.safetensors");
    Files.write(huge, le(16).putLong(Long.MAX_VALUE).putLong(0).array());
    assertCorrupt(huge, "bad header length");

    Path past = dir.resolve("past.safetensors");
    Files.write(past, le(16).putLong(1000).put((byte) '{').array());
    assertCorrupt(past, "runs past the end of the file");
  }

  @Test
  void badJsonAndBadEntriesAreReported() throws IOException {
    assertCorrupt(writeRaw("json.safetensors", "{\"a\": [1, 2", new byte[0]), "invalid JSON header");
    assertCorrupt(writeRaw("array.safetensors", "[1, 2]", new byte[0]), "not an object");
    assertCorruptEntries("dup", 8, "Duplicate field 'a'", entry("a", "F32", "[1]", 0, 4), entry("a", "F32", "[1]", 4, 8));
    assertCorruptEntries("dtype", 1, "tensor 'w': unknown dtype 'Q7'", entry("w", "Q7", "[1]", 0, 1));
    assertCorruptEntries("size", 20, "tensor 'w': shape [2, 3] of F32 needs 24 bytes, data_offsets [0, 20] give 20",
        entry("w", "F32", "[2,3]", 0, 20));
    assertCorruptEntries("negative", 4, "tensor 'w': shape must hold non-negative integers", entry("w", "F32", "[-1]", 0, 4));
    assertCorruptEntries("reversed", 4, "end before they begin", entry("w", "U8", "[0]", 4, 0));
    assertCorrupt(writeRaw("meta.safetensors", "{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
        "__metadata__ value of 'epoch' is not a string");
  }

  @Test
  void offsetsMustTileTheDataExactly() throws IOException {
    assertCorruptEntries("overlap", 12, "tensors 'a' and 'b' overlap", entry("a", "F32", "[2]", 0, 8), entry("b", "F32", "[2]", 4, 12));
    assertCorruptEntries("gap", 12, "gap in the data before tensor 'b'", entry("a", "F32", "[1]", 0, 4), entry("b", "F32", "[1]", 8, 12));
    assertCorruptEntries("range", 8, "truncated: tensor 'a' ends at data offset 16, the file holds only 8 data bytes",
        entry("a", "F32", "[4]", 0, 16));
    assertCorruptEntries("trailing", 9, "5 bytes after the last tensor belong to no tensor", entry("a", "F32", "[1]", 0, 4));
  }

  @Test
  void aTruncatedFileIsReported() throws IOException {
    Path file = dir.resolve("whole.safetensors");
    Safetensors.write(file, severalDtypes(), Map.of("a", "b"));
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertCorrupt(cut, "truncated");
    Files.write(cut, java.util.Arrays.copyOf(bytes, 40)); // inside the header
    assertCorrupt(cut, "runs past the end of the file");
  }

  @Test
  void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("w.safetensors");
    Safetensors.write(file, List.of(Safetensors.Tensor.ofFloats("x", new long[] {1}, new float[] {1})), Map.of());
    Safetensors.write(file, List.of(Safetensors.Tensor.ofFloats("y", new long[] {2}, new float[] {2, 3})), Map.of());
    assertArrayEquals(new float[] {2, 3}, Safetensors.open(file).floats("y"));
    byte[] before = Files.readAllBytes(file);

    List<Safetensors.Tensor> twice = List.of(Safetensors.Tensor.ofFloats("z", new long[] {1}, new float[] {1}),
        Safetensors.Tensor.ofFloats("z", new long[] {1}, new float[] {2}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, twice, Map.of()));
    assertTrue(e.getMessage().contains("'z' appears twice"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file), "a failed write must leave the old file as it was");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file may remain");
    }
  }

  @Test
  void tensorsAreCheckedWhenBuilt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Safetensors.Tensor.ofFloats("w", new long[] {2, 2}, new float[3]));
    assertTrue(e.getMessage().contains("needs 16 bytes, data has 12"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Safetensors.write(dir.resolve("c.safetensors"),
            List.of(new Safetensors.Tensor("c", DType.C64, new long[] {1}, ByteBuffer.allocate(8))), Map.of()));
  }

  @Test
  void unknownTensorNameIsReported() throws IOException {
    Path file = dir.resolve("one.safetensors");
    Safetensors.write(file, List.of(Safetensors.Tensor.ofFloats("x", new long[] {1}, new float[] {1})), Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.open(file).read("y"));
    assertTrue(e.getMessage().contains("no tensor 'y'"), e.getMessage());
  }
}
