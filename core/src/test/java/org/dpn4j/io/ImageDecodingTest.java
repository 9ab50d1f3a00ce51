package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.dpn4j.testing.Integration;
import org.dpn4j.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17's honest decoding: damaged images are errors, CMYK JPEGs get their colours, the pixel limit. */
class ImageDecodingTest {


  @TempDir Path dir;

  @Test
  void aTruncatedJpegOrPngIsAnErrorNamingTheFile() throws IOException {
    Path jpg = dir.resolve("photo.jpg");
    ImageIO.write(BadFiles.photo(160, 120), "jpeg", jpg.toFile());
    Path png = dir.resolve("photo.png");
    ImageIO.write(BadFiles.photo(160, 120), "png", png.toFile());
    for (Path whole : List.of(jpg, png)) {
      Path cut = BadFiles.truncated(whole, dir.resolve("cut-" + whole.getFileName()), 0.5);
      IOException e = assertThrows(IOException.class, () -> Images.read(cut));
      assertTrue(e.getMessage().startsWith(cut + ": truncated or corrupt image"), e.getMessage());
      assertDoesNotThrow(() -> Images.read(whole));
    }
  }

  @Test
  void aFolderGivenAsAnImageIsCalledAFolder() {
    IOException e = assertThrows(IOException.class, () -> Images.read(dir));
    assertEquals(dir + ": is a folder, not an image file", e.getMessage());
  }

  @Test
  void aCmykJpegDecodesToItsColoursWhereTheJdkReaderGetsThemWrong() throws IOException {
    BufferedImage rgb = BadFiles.photo(96, 64);
    Path cmyk = BadFiles.cmykJpeg(rgb, dir.resolve("cmyk.jpg"));
    double ours = meanAbsDifference(rgb, Images.read(cmyk));
    double jdk = meanAbsDifference(rgb, readWith(cmyk, "com.sun."));
    // Lossy at the default quality, on hard checkerboard edges, and converted without an ICC profile: near, not equal.
    assertTrue(ours < 20, "mean |difference| of the decoded CMYK JPEG to its RGB source: " + ours);
    assertTrue(jdk > 3 * ours, "the JDK's reader was expected to get the colours wrong: " + jdk + " against " + ours);
  }

  /**
   * The TwelveMonkeys reader (first in line) must decode ordinary JPEGs bit for bit as the JDK's
   * does, so that CamVid scores cannot move: every CamVid frame, train and val.
   */
  @Test
  @Integration
  void everyCamVidFrameDecodesIdenticallyWithAndWithoutThePlugin() throws IOException {
    Path camvid = SharedData.path("camvid");
    List<Path> frames = new ArrayList<>();
    for (String split : List.of("train", "val")) {
      try (Stream<Path> s = Files.list(camvid.resolve(split))) {
        s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().forEach(frames::add);
      }
    }
    assertEquals(468, frames.size(), "CamVid train (367) + val (101) frames");
    long pixels = 0;
    for (Path f : frames) {
      BufferedImage ours = Images.read(f);
      BufferedImage jdk = readWith(f, "com.sun.");
      assertTrue(firstReader(f).startsWith("com.twelvemonkeys."), "TwelveMonkeys is first in line for " + f);
      assertArrayEquals(rgb(jdk), rgb(ours), f.toString());
      pixels += (long) ours.getWidth() * ours.getHeight();
    }
    System.out.printf(Locale.ROOT, "JPEG plugin identity: %d CamVid frames, %,d pixels, all identical%n", frames.size(), pixels);
  }

  @Test
  void imagesAboveThePixelLimitAreRefusedBeforeDecoding() throws IOException {
    Path huge = BadFiles.pngHeader(20_000, 10_000, dir.resolve("huge.png"));
    IOException e = assertThrows(IOException.class, () -> Images.read(huge));
    assertEquals(huge + ": 20000x10000 is 200.0 megapixels, above the limit of 50.0 (set -Ddpn4j.maxPixels=N"
        + " or DPN_MAX_PIXELS=N to raise it)", e.getMessage());
    assertDoesNotThrow(() -> Images.checkPixels("frame", 2048, 1024));
    assertDoesNotThrow(() -> Images.checkPixels("photo", 4000, 3000));
    String before = System.getProperty(Images.MAX_PIXELS_PROPERTY);
    System.setProperty(Images.MAX_PIXELS_PROPERTY, "1000000");
    try {
      assertThrows(Images.ImageTooLargeException.class, () -> Images.checkPixels("frame", 2048, 1024));
      assertEquals(1_000_000, Images.maxPixels());
      System.setProperty(Images.MAX_PIXELS_PROPERTY, "lots");
      assertThrows(IllegalArgumentException.class, Images::maxPixels);
    } finally {
      if (before == null) {
        System.clearProperty(Images.MAX_PIXELS_PROPERTY);
      } else {
        System.setProperty(Images.MAX_PIXELS_PROPERTY, before);
      }
    }
  }

  private static String firstReader(Path f) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
      return ImageIO.getImageReaders(in).next().getClass().getName();
    }
  }

  /** Decodes with the first reader whose class name starts with {@code prefix}. */
  private static BufferedImage readWith(Path f, String prefix) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new File(f.toString()))) {
      for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
        ImageReader r = it.next();
        if (r.getClass().getName().startsWith(prefix)) {
          try {
            r.setInput(in, true, true);
            return r.read(0);
          } finally {
            r.dispose();
          }
        }
      }
    }
    throw new IllegalStateException("no reader " + prefix + " for " + f);
  }

  private static int[] rgb(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  private static double meanAbsDifference(BufferedImage a, BufferedImage b) {
    int[] p = rgb(a);
    int[] q = rgb(b);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      for (int s = 0; s < 24; s += 8) {
        sum += Math.abs(((p[i] >> s) & 255) - ((q[i] >> s) & 255));
      }
    }
    return sum / (3.0 * p.length);
  }
}
