package org.dpn4j.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.dpn4j.value.Maps;
import org.dpn4j.util.Parallel;

/** Reading photos into RGB maps, and bilinear resizing of map stacks. */
public final class Images {

  private Images() {}

  /**
   * Reads an image file (PNG, JPEG, BMP, GIF) into a 3 x H x W stack of RGB in [0, 1]. Grey-scale
   * and palette images become RGB; an alpha channel is dropped.
   */
  public static Maps readRgb(Path file) throws IOException {
    return toRgb(read(file));
  }

  /** The default of {@link #maxPixels()}: 50 megapixels (a 2048x1024 frame and a 12 MP photo pass). */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  /** The system property that sets {@link #maxPixels()} (e.g. {@code -Ddpn4j.maxPixels=100000000}). */
  public static final String MAX_PIXELS_PROPERTY = "dpn4j.maxPixels";

  /** The environment variable that sets {@link #maxPixels()} when the system property is not given. */
  public static final String MAX_PIXELS_ENV = "DPN_MAX_PIXELS";

  /**
   * Decoder warnings that say the pixel data is damaged (libjpeg's "Corrupt JPEG data", "Premature
   * end", ...); warnings about colour profiles are not: the pixels are all there.
   */
  private static final Pattern DAMAGE = Pattern.compile(
      "(?i)(?!.*(icc|profile)).*(corrupt|truncat|premature|missing eoi|end of (data|file)|bad huffman|invalid|bogus).*");

  /**
   * The largest image, in pixels, that is decoded: {@value #MAX_PIXELS_PROPERTY}, else ${@value
   * #MAX_PIXELS_ENV}, else {@link #DEFAULT_MAX_PIXELS}. A bound set before decoding, because a
   * small compressed file can announce an image that fills the memory.
   */
  public static long maxPixels() {
    String v = System.getProperty(MAX_PIXELS_PROPERTY, System.getenv(MAX_PIXELS_ENV));
    if (v == null || v.isBlank()) {
      return DEFAULT_MAX_PIXELS;
    }
    try {
      long n = Long.parseLong(v.trim().replace("_", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        MAX_PIXELS_PROPERTY + " / " + MAX_PIXELS_ENV + " must be a positive number of pixels, got '" + v + "'");
  }

  /**
   * Refuses a {@code width x height} image of {@code source} above {@link #maxPixels()}, with the
   * figure and the limit; the message says how to raise it.
   */
  public static void checkPixels(String source, long width, long height) throws ImageTooLargeException {
    long limit = maxPixels();
    if (width * height > limit) {
      throw new ImageTooLargeException(String.format(Locale.ROOT,
          "%s: %dx%d is %.1f megapixels, above the limit of %.1f (set -D%s=N or %s=N to raise it)",
          source, width, height, width * height / 1e6, limit / 1e6, MAX_PIXELS_PROPERTY, MAX_PIXELS_ENV));
    }
  }

  /** An image refused by {@link #checkPixels} before it is decoded. */
  public static final class ImageTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    ImageTooLargeException(String message) {
      super(message);
    }
  }

  /**
   * Reads an image file. A missing file, a folder, an unsupported format, an image above {@link
   * #maxPixels()} (checked from the header, before decoding) and truncated or corrupt data (which
   * ImageIO decodes with a grey rest and a warning) are each an error naming the file.
   */
  public static BufferedImage read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a folder, not an image file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such image file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IOException(file + ": not an image in a supported format (PNG, JPEG, BMP, GIF)");
      }
      return decode(file, in, readers.next());
    }
  }

  private static BufferedImage decode(Path file, ImageInputStream in, ImageReader reader) throws IOException {
    List<String> damage = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> {
      if (DAMAGE.matcher(warning).matches()) {
        damage.add(warning);
      }
    });
    try {
      long w;
      long h;
      try {
        reader.setInput(in, true, true);
        w = reader.getWidth(0);
        h = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw corrupt(file, e);
      }
      checkPixels(file.toString(), w, h);
      BufferedImage img;
      try {
        img = reader.read(0);
      } catch (IOException | RuntimeException e) {
        throw corrupt(file, e);
      }
      if (!damage.isEmpty()) {
        throw new IOException(file + ": truncated or corrupt image (" + String.join("; ", damage) + ")");
      }
      return img;
    } finally {
      reader.dispose();
    }
  }

  private static IOException corrupt(Path file, Exception e) {
    return new IOException(file + ": truncated or corrupt image, cannot decode it (" + rootCause(e) + ")", e);
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    StringBuilder s = new StringBuilder(String.valueOf(t.getMessage()));
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        s.append(": ").append(t.getMessage());
      }
    }
    return s.toString();
  }

  /** The RGB channels of {@code img} as a 3 x H x W stack in [0, 1]. */
  public static Maps toRgb(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    Maps out = new Maps(3, h, w);
    int plane = h * w;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int i = y * w + x;
        out.data[i] = ((p >> 16) & 0xff) / 255f;
        out.data[plane + i] = ((p >> 8) & 0xff) / 255f;
        out.data[2 * plane + i] = (p & 0xff) / 255f;
      }
    }
    return out;
  }

  /**
   * Bilinear resize of every map to {@code h x w}, with half-pixel centres (PyTorch's
   * {@code interpolate(mode="bilinear", align_corners=False)} without antialiasing).
   */
  public static Maps resizeBilinear(Maps in, int h, int w) {
    return resizeBilinear(in, h, w, 0, 0, h, w);
  }

  /**
   * The {@code wh x ww} window at ({@code y0}, {@code x0}) of {@link #resizeBilinear}{@code (in, h,
   * w)}, computed alone: the same values, without resizing the rest (a training crop of an
   * up-scaled photo costs its own pixels only). The window must lie inside {@code h x w}.
   */
  public static Maps resizeBilinear(Maps in, int h, int w, int y0, int x0, int wh, int ww) {
    if (y0 < 0 || x0 < 0 || wh < 1 || ww < 1 || y0 + wh > h || x0 + ww > w) {
      throw new IllegalArgumentException("window " + wh + "x" + ww + " at (" + y0 + ", " + x0 + ") is not inside "
          + h + "x" + w);
    }
    Maps out = new Maps(in.c, wh, ww);
    float sy = (float) in.h / h;
    float sx = (float) in.w / w;
    int[] left = new int[ww];
    int[] right = new int[ww];
    float[] fx = new float[ww];
    for (int x = 0; x < ww; x++) {
      float src = Math.max(0f, (x0 + x + 0.5f) * sx - 0.5f);
      left[x] = Math.min((int) src, in.w - 1);
      right[x] = Math.min(left[x] + 1, in.w - 1);
      fx[x] = src - left[x];
    }
    Parallel.forEach(
        in.c * wh,
        r -> {
          int k = r / wh;
          int y = r % wh;
          float src = Math.max(0f, (y0 + y + 0.5f) * sy - 0.5f);
          int top0 = Math.min((int) src, in.h - 1);
          int top1 = Math.min(top0 + 1, in.h - 1);
          float fy = src - top0;
          int a = in.offset(k) + top0 * in.w;
          int b = in.offset(k) + top1 * in.w;
          int o = out.offset(k) + y * ww;
          for (int x = 0; x < ww; x++) {
            float top = in.data[a + left[x]] + fx[x] * (in.data[a + right[x]] - in.data[a + left[x]]);
            float bot = in.data[b + left[x]] + fx[x] * (in.data[b + right[x]] - in.data[b + left[x]]);
            out.data[o + x] = top + fy * (bot - top);
          }
        });
    return out;
  }

  /** Every map mirrored left to right: out(k, y, x) = in(k, y, w - 1 - x). */
  public static Maps mirror(Maps in) {
    Maps out = in.zerosLike();
    for (int r = 0; r < in.c * in.h; r++) {
      int o = r * in.w;
      for (int x = 0; x < in.w; x++) {
        out.data[o + x] = in.data[o + in.w - 1 - x];
      }
    }
    return out;
  }
}
