package org.dpn4j.io;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.dpn4j.value.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloFileTest {

  @TempDir Path dir;

  @Test
  void roundTripKeepsEveryValue() throws IOException {
    Random r = new Random(3);
    Flow f = Flow.zeros(4, 7);
    for (int j = 0; j < f.plane(); j++) {
      f.u()[j] = (float) r.nextGaussian() * 20;
      f.v()[j] = (float) r.nextGaussian() * 20;
    }
    Path file = dir.resolve("sub/f.flo");
    FloFile.write(file, f);
    assertEquals(12 + 8 * 28, Files.size(file));
    Flow back = FloFile.read(file);
    assertEquals(4, back.h());
    assertEquals(7, back.w());
    assertArrayEquals(f.u(), back.u());
    assertArrayEquals(f.v(), back.v());
    try (var s = Files.list(file.getParent())) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
  }

  @Test
  void handMadeBytesReadAndWriteAsMiddleburySpecifies() throws IOException {
    // width 2, height 1 (row-major), pixels (u, v) = (1.5, -2), (3, 4.25); "PIEH" is the tag's bytes.
    byte[] bytes = le(12 + 16).put("PIEH".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putInt(2).putInt(1).putFloat(1.5f).putFloat(-2f).putFloat(3f).putFloat(4.25f).array();
    Path file = dir.resolve("hand.flo");
    Files.write(file, bytes);
    Flow f = FloFile.read(file);
    assertEquals(1, f.h());
    assertEquals(2, f.w());
    assertArrayEquals(new float[] {1.5f, 3f}, f.u());
    assertArrayEquals(new float[] {-2f, 4.25f}, f.v());
    Path out = dir.resolve("out.flo");
    FloFile.write(out, f);
    assertArrayEquals(bytes, Files.readAllBytes(out));
  }

  @Test
  void readsFlyingChairsGroundTruth() throws IOException {
    Flow f = FloFile.read(SharedData.path("flow/flyingchairs/00000_flow.flo"));
    assertEquals(384, f.h());
    assertEquals(512, f.w());
    double maxAbs = 0;
    for (int j = 0; j < f.plane(); j++) {
      maxAbs = Math.max(maxAbs, Math.max(Math.abs(f.u()[j]), Math.abs(f.v()[j])));
    }
    assertTrue(maxAbs > 5 && maxAbs < 200, "plausible chair motion, got max |component| " + maxAbs);
  }

  @Test
  void corruptFilesGiveClearErrors() throws IOException {
    assertError(header(99f, 2, 1, 16), "not a .flo file");
    assertError(header(FloFile.MAGIC, 2, 1, 15), "truncated");
    assertError(header(FloFile.MAGIC, 2, 1, 17), "trailing bytes");
    assertError(Arrays.copyOf(header(FloFile.MAGIC, 2, 1, 0), 8), "shorter than the 12-byte header");
    assertError(header(FloFile.MAGIC, 0, 1, 0), "absurd .flo size 0x1");
    assertError(header(FloFile.MAGIC, 3, -5, 0), "absurd .flo size 3x-5");
    assertError(header(FloFile.MAGIC, 100_000, 100_000, 0), "absurd .flo size");
    IOException missing = assertThrows(IOException.class, () -> FloFile.read(dir.resolve("none.flo")));
    assertTrue(missing.getMessage().contains("none.flo"), missing.getMessage());
  }

  private void assertError(byte[] bytes, String expected) throws IOException {
    Path file = dir.resolve("bad.flo");
    Files.write(file, bytes);
    IOException e = assertThrows(IOException.class, () -> FloFile.read(file));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("bad.flo"), e.getMessage());
  }

  /** A header and {@code body} zero bytes. */
  private static byte[] header(float magic, int w, int h, int body) {
    return le(12 + body).putFloat(magic).putInt(w).putInt(h).array();
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }
}
