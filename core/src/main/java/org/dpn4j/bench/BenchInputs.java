package org.dpn4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;

/** The inputs of the head benchmarks: a real photo and smooth random label probabilities. */
public final class BenchInputs {

  /** A VOC photo shipped in the project's shared data (street-free, but real colours and edges). */
  public static final String DEFAULT_PHOTO = "shared/data/voc/JPEGImages/2011_000006.jpg";

  private BenchInputs() {}

  /**
   * The photo to benchmark on: {@code given} when set, else {@link #DEFAULT_PHOTO} looked up beside the
   * working directory and beside the jar's repository; resized to {@code h x w}.
   */
  public static Maps photo(Path given, int h, int w) throws IOException {
    Path file = given != null ? given : defaultPhoto();
    return Images.resizeBilinear(Images.readRgb(file), h, w);
  }

  private static Path defaultPhoto() throws IOException {
    Path cwd = Path.of("").toAbsolutePath();
    for (Path base = cwd; base != null; base = base.getParent()) {
      Path p = base.resolve(DEFAULT_PHOTO);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException(
        "no photo given and " + DEFAULT_PHOTO + " not found above " + cwd + "; pass one with --image");
  }

  /**
   * Smooth random probabilities: Gaussian logits on a coarse grid (one node per {@code cell} pixels),
   * upsampled bilinearly, scaled by {@code sharpness} and passed through a softmax over labels. Looks like
   * a unary network's output: confident regions with soft borders.
   */
  public static Maps smoothProbabilities(int labels, int h, int w, long seed) {
    int cell = 32;
    float sharpness = 4f;
    SplittableRandom rnd = new SplittableRandom(seed);
    Maps coarse = new Maps(labels, Math.max(2, h / cell + 1), Math.max(2, w / cell + 1));
    for (int i = 0; i < coarse.data.length; i++) {
      coarse.data[i] = (float) (sharpness * nextGaussian(rnd));
    }
    Maps logits = Images.resizeBilinear(coarse, h, w);
    softmaxOverMaps(logits);
    return logits;
  }

  private static double nextGaussian(SplittableRandom rnd) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  /** In-place softmax across the maps at every pixel. */
  static void softmaxOverMaps(Maps m) {
    int plane = m.plane();
    for (int i = 0; i < plane; i++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < m.c; k++) {
        max = Math.max(max, m.data[k * plane + i]);
      }
      float sum = 0;
      for (int k = 0; k < m.c; k++) {
        float e = (float) Math.exp(m.data[k * plane + i] - max);
        m.data[k * plane + i] = e;
        sum += e;
      }
      for (int k = 0; k < m.c; k++) {
        m.data[k * plane + i] /= sum;
      }
    }
  }
}
