package org.dpn4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.value.Maps;

/**
 * Binary PPM (P6) images, as FlyingChairs ships them, which ImageIO cannot read. Header: "P6",
 * width, height, maxval (whitespace-separated, '#' comments), one whitespace byte, then RGB samples
 * row-major: one byte each for maxval &lt; 256, else two bytes big-endian.
 */
public final class Ppm {

  private Ppm() {}

  /** Reads a P6 file into a 3 x H x W stack of RGB in [0, 1]. */
  public static Maps readRgb(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such image file");
    }
    byte[] b = Files.readAllBytes(file);
    Header hd = new Header(b, file);
    String magic = hd.token();
    if (!magic.equals("P6")) {
      throw new IOException(file + ": not a binary PPM (P6) image, starts with \"" + magic + "\"");
    }
    int w = hd.positiveInt("width");
    int h = hd.positiveInt("height");
    Images.checkPixels(file.toString(), w, h);
    int max = hd.positiveInt("maxval");
    if (max > 65535) {
      throw new IOException(file + ": PPM maxval " + max + " is above 65535");
    }
    int bytesPerSample = max < 256 ? 1 : 2;
    long need = 3L * w * h * bytesPerSample;
    int start = hd.pos + 1; // the single whitespace byte after maxval
    if (b.length - (long) start < need) {
      throw new IOException(
          file + ": truncated PPM of " + w + "x" + h + ", " + (b.length - start) + " bytes of pixels, expected " + need);
    }
    Maps out = new Maps(3, h, w);
    int plane = h * w;
    for (int j = 0; j < plane; j++) {
      for (int k = 0; k < 3; k++) {
        int i = start + (3 * j + k) * bytesPerSample;
        int s = bytesPerSample == 1 ? b[i] & 0xff : ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        out.data[k * plane + j] = (float) s / max;
      }
    }
    return out;
  }

  /** Reads the ASCII header's tokens. */
  private static final class Header {
    final byte[] b;
    final Path file;
    int pos;

    Header(byte[] b, Path file) {
      this.b = b;
      this.file = file;
    }

    String token() throws IOException {
      while (pos < b.length && (Character.isWhitespace(b[pos]) || b[pos] == '#')) {
        if (b[pos] == '#') {
          while (pos < b.length && b[pos] != '\n') {
            pos++;
          }
        } else {
          pos++;
        }
      }
      int start = pos;
      while (pos < b.length && !Character.isWhitespace(b[pos]) && pos - start < 16) {
        pos++;
      }
      if (start == pos) {
        throw new IOException(file + ": truncated PPM header");
      }
      return new String(b, start, pos - start, java.nio.charset.StandardCharsets.US_ASCII);
    }

    int positiveInt(String what) throws IOException {
      String t = token();
      try {
        int v = Integer.parseInt(t);
        if (v >= 1) {
          return v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IOException(file + ": bad PPM " + what + " \"" + t + "\"");
    }
  }
}
