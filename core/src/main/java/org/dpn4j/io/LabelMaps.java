package org.dpn4j.io;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.dpn4j.value.Maps;

/** Label maps: arg-max of probabilities, 8-bit palette PNGs, overlays on the photo. */
public final class LabelMaps {

  private LabelMaps() {}

  /** The PASCAL VOC colour map (bit-interleaved), as 0xRRGGBB, for {@code n} labels. */
  public static int[] vocPalette(int n) {
    int[] pal = new int[n];
    for (int i = 0; i < n; i++) {
      int r = 0;
      int g = 0;
      int b = 0;
      int c = i;
      for (int j = 0; j < 8; j++) {
        r |= ((c) & 1) << (7 - j);
        g |= ((c >> 1) & 1) << (7 - j);
        b |= ((c >> 2) & 1) << (7 - j);
        c >>= 3;
      }
      pal[i] = (r << 16) | (g << 8) | b;
    }
    return pal;
  }

  /** Per pixel, the index of the largest map (the first on ties). */
  public static int[] argmax(Maps p) {
    int plane = p.plane();
    int[] labels = new int[plane];
    float[] best = new float[plane];
    System.arraycopy(p.data, 0, best, 0, plane);
    for (int k = 1; k < p.c; k++) {
      int o = p.offset(k);
      for (int i = 0; i < plane; i++) {
        if (p.data[o + i] > best[i]) {
          best[i] = p.data[o + i];
          labels[i] = k;
        }
      }
    }
    return labels;
  }

  /** An 8-bit indexed image of the labels with {@code palette} (0xRRGGBB, at most 256 entries). */
  public static BufferedImage indexed(int[] labels, int h, int w, int[] palette) {
    if (palette.length > 256) {
      throw new IllegalArgumentException("an 8-bit PNG holds at most 256 colours, got " + palette.length);
    }
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < palette.length; i++) {
      r[i] = (byte) (palette[i] >> 16);
      g[i] = (byte) (palette[i] >> 8);
      b[i] = (byte) palette[i];
    }
    BufferedImage img =
        new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
    WritableRaster raster = img.getRaster();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] > 255) {
        throw new IllegalArgumentException("label " + labels[i] + " does not fit an 8-bit PNG");
      }
    }
    raster.setPixels(0, 0, w, h, labels);
    return img;
  }

  /** The photo blended with the label colours ({@code alpha} of colour). */
  public static BufferedImage overlay(Maps rgb, int[] labels, int[] palette, float alpha) {
    BufferedImage img = new BufferedImage(rgb.w, rgb.h, BufferedImage.TYPE_INT_RGB);
    int plane = rgb.plane();
    for (int i = 0; i < plane; i++) {
      int col = palette[labels[i] % palette.length];
      int r = blend(rgb.data[i], (col >> 16) & 0xff, alpha);
      int g = blend(rgb.data[plane + i], (col >> 8) & 0xff, alpha);
      int b = blend(rgb.data[2 * plane + i], col & 0xff, alpha);
      img.setRGB(i % rgb.w, i / rgb.w, (r << 16) | (g << 8) | b);
    }
    return img;
  }

  private static int blend(float photo, int colour, float alpha) {
    return Math.round((1 - alpha) * photo * 255f + alpha * colour);
  }

  /** A colour key: one row per label, its colour as a swatch and its name ({@code names[i]} has {@code colours[i]}). */
  public static BufferedImage legend(List<String> names, int[] colours) {
    int row = 22;
    BufferedImage img = new BufferedImage(220, row * names.size() + 8, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      for (int i = 0; i < names.size(); i++) {
        int y = 4 + i * row;
        g.setColor(new Color(colours[i]));
        g.fillRect(6, y + 2, 28, row - 6);
        g.setColor(Color.BLACK);
        g.drawString(i + "  " + names.get(i), 42, y + row - 7);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * Writes {@code img} as PNG atomically. The encoder writes through a memory cache, not ImageIO's
   * default temporary file, whose clean-up thread throws a NullPointerException when the disk is full.
   */
  public static void writePng(BufferedImage img, Path file) throws IOException {
    AtomicFiles.writeStream(file, out -> writePng(img, out));
  }

  /**
   * {@code img} as PNG bytes, the same bytes {@link #writePng(BufferedImage, Path)} writes into a
   * file (what {@code dpn serve} answers with).
   */
  public static byte[] pngBytes(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writePng(img, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The one PNG encoding of label maps and overlays. */
  private static void writePng(BufferedImage img, OutputStream out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(img);
    } finally {
      writer.dispose();
    }
  }
}
