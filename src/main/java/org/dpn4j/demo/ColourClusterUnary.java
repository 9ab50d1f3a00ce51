package org.dpn4j.demo;

import java.util.SplittableRandom;
import org.dpn4j.head.Maps;
import org.dpn4j.io.Images;

/**
 * A stand-in unary for the demo while no trained model ships: k-means colour clusters of the image
 * at output stride 8, turned into soft probabilities and upsampled x8 bilinearly, the way a unary
 * network's b11 is. It has a network's typical fault, blurred and blocky boundaries, which is what the
 * DPN head's triple penalty corrects by following the image's colours.
 */
public final class ColourClusterUnary {

  private static final int STRIDE = 8;
  private static final int ITERATIONS = 15;

  private final int clusters;
  private final float sigma;

  /** {@code clusters} labels; {@code sigma} the colour distance (RGB in [0, 1]) of one logit unit. */
  public ColourClusterUnary(int clusters, float sigma) {
    if (clusters < 2) {
      throw new IllegalArgumentException("need at least 2 clusters, got " + clusters);
    }
    this.clusters = clusters;
    this.sigma = sigma;
  }

  /** Probabilities (clusters x H x W) for the RGB image. */
  public Maps probabilities(Maps rgb) {
    Maps small = Images.resizeBilinear(rgb, Math.max(1, rgb.h / STRIDE), Math.max(1, rgb.w / STRIDE));
    float[][] centres = kMeans(small);
    Maps p = new Maps(clusters, small.h, small.w);
    int plane = small.plane();
    double[] logit = new double[clusters];
    for (int i = 0; i < plane; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < clusters; k++) {
        logit[k] = -distance(small, i, centres[k]) / (2 * sigma * sigma);
        max = Math.max(max, logit[k]);
      }
      double sum = 0;
      for (int k = 0; k < clusters; k++) {
        logit[k] = Math.exp(logit[k] - max);
        sum += logit[k];
      }
      for (int k = 0; k < clusters; k++) {
        p.data[k * plane + i] = (float) (logit[k] / sum);
      }
    }
    return Images.resizeBilinear(p, rgb.h, rgb.w);
  }

  /** Lloyd's k-means on the pixels' colours, seeded deterministically (k-means++). */
  private float[][] kMeans(Maps img) {
    int n = img.plane();
    SplittableRandom rnd = new SplittableRandom(7);
    float[][] c = new float[clusters][];
    c[0] = colour(img, rnd.nextInt(n));
    double[] d = new double[n];
    for (int k = 1; k < clusters; k++) {
      double total = 0;
      for (int i = 0; i < n; i++) {
        d[i] = Double.MAX_VALUE;
        for (int j = 0; j < k; j++) {
          d[i] = Math.min(d[i], distance(img, i, c[j]));
        }
        total += d[i];
      }
      double pick = rnd.nextDouble() * total;
      int i = 0;
      while (i < n - 1 && (pick -= d[i]) > 0) {
        i++;
      }
      c[k] = colour(img, i);
    }
    int[] assign = new int[n];
    for (int it = 0; it < ITERATIONS; it++) {
      for (int i = 0; i < n; i++) {
        assign[i] = nearest(img, i, c);
      }
      float[][] sum = new float[clusters][3];
      int[] count = new int[clusters];
      for (int i = 0; i < n; i++) {
        count[assign[i]]++;
        for (int ch = 0; ch < 3; ch++) {
          sum[assign[i]][ch] += img.data[ch * n + i];
        }
      }
      for (int k = 0; k < clusters; k++) {
        if (count[k] > 0) {
          for (int ch = 0; ch < 3; ch++) {
            c[k][ch] = sum[k][ch] / count[k];
          }
        }
      }
    }
    return c;
  }

  private static int nearest(Maps img, int i, float[][] c) {
    int best = 0;
    for (int k = 1; k < c.length; k++) {
      if (distance(img, i, c[k]) < distance(img, i, c[best])) {
        best = k;
      }
    }
    return best;
  }

  private static float[] colour(Maps img, int i) {
    int n = img.plane();
    return new float[] {img.data[i], img.data[n + i], img.data[2 * n + i]};
  }

  private static double distance(Maps img, int i, float[] c) {
    int n = img.plane();
    double s = 0;
    for (int ch = 0; ch < 3; ch++) {
      double diff = img.data[ch * n + i] - c[ch];
      s += diff * diff;
    }
    return s;
  }
}
