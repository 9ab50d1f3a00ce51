package org.dpn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.dpn4j.value.Flow;

/**
 * Middlebury {@code .flo} optical-flow files: float32 magic 202021.25 (the bytes "PIEH"), int32
 * width, int32 height, then (u, v) float32 pairs per pixel, row-major; all little-endian.
 */
public final class FloFile {

  /** The tag that starts every .flo file. */
  public static final float MAGIC = 202021.25f;

  /** The Middlebury reader's sanity bound on width and height. */
  static final int MAX_SIDE = 99_999;

  private static final int HEADER = 12;

  private FloFile() {}

  /** Reads a .flo file; a wrong tag, an absurd size or a length that does not match is an error naming the file. */
  public static Flow read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such .flo file");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < HEADER) {
        throw new IOException(file + ": truncated .flo file, " + size + " bytes, shorter than the 12-byte header");
      }
      ByteBuffer head = readExactly(ch, HEADER);
      float magic = head.getFloat();
      if (magic != MAGIC) {
        throw new IOException(
            file + ": not a .flo file (tag " + magic + ", expected " + MAGIC + " = \"PIEH\")");
      }
      int w = head.getInt();
      int h = head.getInt();
      if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
        throw new IOException(file + ": absurd .flo size " + w + "x" + h + " (width x height)");
      }
      long expected = HEADER + 8L * w * h;
      if (size != expected) {
        throw new IOException(
            file + ": " + (size < expected ? "truncated" : "trailing bytes in") + " .flo file of " + w + "x" + h
                + ": " + size + " bytes, expected " + expected);
      }
      if (expected > Integer.MAX_VALUE) {
        throw new IOException(file + ": .flo file of " + w + "x" + h + " is too large to read");
      }
      ByteBuffer body = readExactly(ch, (int) (expected - HEADER));
      int n = w * h;
      float[] u = new float[n];
      float[] v = new float[n];
      for (int j = 0; j < n; j++) {
        u[j] = body.getFloat();
        v[j] = body.getFloat();
      }
      return new Flow(h, w, u, v);
    }
  }

  /** Writes {@code flow} as a .flo file, atomically (see {@link AtomicFiles}). */
  public static void write(Path file, Flow flow) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(HEADER + 8L * flow.plane())).order(ByteOrder.LITTLE_ENDIAN);
    b.putFloat(MAGIC).putInt(flow.w()).putInt(flow.h());
    for (int j = 0; j < flow.plane(); j++) {
      b.putFloat(flow.u()[j]).putFloat(flow.v()[j]);
    }
    AtomicFiles.write(file, b.array());
  }

  private static ByteBuffer readExactly(FileChannel ch, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return b.flip();
  }
}
