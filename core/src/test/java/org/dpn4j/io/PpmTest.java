package org.dpn4j.io;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpmTest {

  @TempDir Path dir;

  @Test
  void readsHandMadeP6WithComment() throws IOException {
    Path file = write("P6\n# made by hand\n2 1\n255\n", new byte[] {(byte) 255, 0, 51, 0, (byte) 102, (byte) 204});
    Maps m = Ppm.readRgb(file);
    assertEquals(3, m.c);
    assertEquals(1, m.h);
    assertEquals(2, m.w);
    // Channel-major: R of both pixels, then G, then B.
    assertArrayEquals(new float[] {1f, 0f, 0f, 0.4f, 0.2f, 0.8f}, m.data, 1e-6f);
  }

  @Test
  void readsSixteenBitSamplesBigEndian() throws IOException {
    Maps m = Ppm.readRgb(write("P6 1 1 65535\n", new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, (byte) 0x80, 0}));
    assertArrayEquals(new float[] {1f, 0f, 0x8000 / 65535f}, m.data, 1e-6f);
  }

  @Test
  void readsFlyingChairsFrame() throws IOException {
    Maps m = Ppm.readRgb(SharedData.path("flow/flyingchairs/00000_img1.ppm"));
    assertEquals(384, m.h);
    assertEquals(512, m.w);
    float min = 1;
    float max = 0;
    for (float v : m.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertTrue(min < 0.1f && max > 0.9f, "a photo uses the whole range, got " + min + ".." + max);
  }

  @Test
  void badFilesGiveClearErrors() throws IOException {
    assertError(write("P5\n2 1\n255\n", new byte[2]), "not a binary PPM (P6)");
    assertError(write("P6\n2 1\n255\n", new byte[5]), "truncated PPM of 2x1");
    assertError(write("P6\n2 x\n255\n", new byte[6]), "bad PPM height");
    assertError(write("P6\n2 1\n", new byte[0]), "truncated PPM header");
  }

  private void assertError(Path file, String expected) {
    IOException e = assertThrows(IOException.class, () -> Ppm.readRgb(file));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.getFileName().toString()), e.getMessage());
  }

  private Path write(String header, byte[] pixels) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(pixels);
    Path file = Files.createTempFile(dir, "img", ".ppm");
    Files.write(file, b.toByteArray());
    return file;
  }
}
