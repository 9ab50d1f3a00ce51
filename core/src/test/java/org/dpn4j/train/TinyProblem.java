package org.dpn4j.train;

import java.util.Random;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.value.Maps;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.head.Window;
import org.dpn4j.testing.TestMaps;

/**
 * A tiny segmentation problem for the head: a 24 x 32 image of two colour regions split at a
 * random column, labels 0 and 1 following the colours (label 2 never true), a noisy unary
 * p = softmax(onehot(label) + N(0, 1)) that is wrong at many pixels, and a column of ignored
 * pixels at the boundary.
 */
final class TinyProblem {
  static final int H = 24;
  static final int W = 32;
  static final int LABELS = 3;
  static final int IGNORE = 255;

  record Sample(Maps p, Maps image, int[] labels) {}

  private TinyProblem() {}

  /** A small head for the problem: b12 window 9, b13 with K = 2 components of 5 x 5. */
  static DpnHead head() {
    return new DpnHead(
        new TriplePenalty(LABELS, TriplePenalty.Options.builder().window(Window.of(9)).build()),
        new LabelContexts(LABELS, 2, 5));
  }

  static Sample sample(long seed) {
    Random r = new Random(seed);
    int boundary = 8 + r.nextInt(16);
    float[][] colours = {{0.8f, 0.2f, 0.2f}, {0.2f, 0.3f, 0.8f}};
    Maps image = new Maps(3, H, W);
    Maps p = new Maps(LABELS, H, W);
    int[] labels = new int[H * W];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int truth = x < boundary ? 0 : 1;
        for (int c = 0; c < 3; c++) {
          image.set(c, y, x, colours[truth][c] + (float) (0.05 * r.nextGaussian()));
        }
        double[] q = TestMaps.noisySoftmax(LABELS, truth, 1, r);
        for (int v = 0; v < LABELS; v++) {
          p.set(v, y, x, (float) q[v]);
        }
        labels[y * W + x] = x == boundary ? IGNORE : truth;
      }
    }
    return new Sample(p, image, labels);
  }

  /** The fraction of non-ignored pixels whose arg-max in {@code q} is the label. */
  static double accuracy(Maps q, int[] labels) {
    int right = 0;
    int counted = 0;
    for (int j = 0; j < labels.length; j++) {
      if (labels[j] == IGNORE) {
        continue;
      }
      int best = 0;
      for (int v = 1; v < q.c; v++) {
        if (q.data[v * q.plane() + j] > q.data[best * q.plane() + j]) {
          best = v;
        }
      }
      right += best == labels[j] ? 1 : 0;
      counted++;
    }
    return (double) right / counted;
  }
}
