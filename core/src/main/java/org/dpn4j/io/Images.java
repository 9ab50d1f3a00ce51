package org.dpn4j.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
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

  /** Reads an image file; a missing, unreadable or unsupported file is an error naming it. */
  public static BufferedImage read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such image file");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": cannot decode the image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new IOException(file + ": not an image in a supported format (PNG, JPEG, BMP, GIF)");
    }
    return img;
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
    Maps out = new Maps(in.c, h, w);
    float sy = (float) in.h / h;
    float sx = (float) in.w / w;
    int[] x0 = new int[w];
    int[] x1 = new int[w];
    float[] fx = new float[w];
    for (int x = 0; x < w; x++) {
      float src = Math.max(0f, (x + 0.5f) * sx - 0.5f);
      x0[x] = Math.min((int) src, in.w - 1);
      x1[x] = Math.min(x0[x] + 1, in.w - 1);
      fx[x] = src - x0[x];
    }
    Parallel.forEach(
        in.c * h,
        r -> {
          int k = r / h;
          int y = r % h;
          float src = Math.max(0f, (y + 0.5f) * sy - 0.5f);
          int y0 = Math.min((int) src, in.h - 1);
          int y1 = Math.min(y0 + 1, in.h - 1);
          float fy = src - y0;
          int a = in.offset(k) + y0 * in.w;
          int b = in.offset(k) + y1 * in.w;
          int o = out.offset(k) + y * w;
          for (int x = 0; x < w; x++) {
            float top = in.data[a + x0[x]] + fx[x] * (in.data[a + x1[x]] - in.data[a + x0[x]]);
            float bot = in.data[b + x0[x]] + fx[x] * (in.data[b + x1[x]] - in.data[b + x0[x]]);
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
