package org.dpn4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.dpn4j.io.LabelMaps;

/** Small PNGs written for the tests. */
final class TestFiles {

  private TestFiles() {}

  /** An 8-bit grey PNG holding {@code values} (row-major, {@code h x w}). */
  static Path grey(Path file, int h, int w, int... values) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, w, h, values);
    write(img, file);
    return file;
  }

  /** An 8-bit palette PNG (VOC colours) whose indices are {@code values}. */
  static Path palette(Path file, int h, int w, int... values) throws IOException {
    LabelMaps.writePng(LabelMaps.indexed(values, h, w, LabelMaps.vocPalette(256)), file);
    return file;
  }

  /** An RGB PNG of one colour. */
  static Path rgb(Path file, int h, int w, int colour) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, colour);
      }
    }
    write(img, file);
    return file;
  }

  private static void write(BufferedImage img, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }
}
