package org.dpn4j.crf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.dpn4j.value.Maps;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.util.Parallel;
import org.dpn4j.testing.RestoresThreads;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/** Mean-field inference of {@link DenseCrf} (DESIGN.md section 5). */
@ExtendWith(RestoresThreads.class)
class DenseCrfTest {
  private static final int W = 32;
  private static final int H = 24;

  /**
   * Probabilities for 2 labels that favour the truth (label 1 inside the disc of {@link
   * PermutohedralLatticeTest#twoRegionImage}) only weakly and flip a third of the pixels.
   */
  private static Maps noisyUnary(int w, int h, int labels, long seed) {
    Random rnd = new Random(seed);
    Maps p = new Maps(labels, h, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int truth = PermutohedralLatticeTest.inside(x, y, w, h) ? 1 : 0;
        int favoured = rnd.nextFloat() < 0.33f ? (truth + 1 + rnd.nextInt(labels - 1)) % labels : truth;
        float rest = 0.4f / (labels - 1);
        for (int l = 0; l < labels; l++) {
          p.set(l, y, x, l == favoured ? 0.6f : rest);
        }
      }
    }
    return p;
  }

  private static DenseCrf usualCrf(int w, int h, int labels, Maps p) {
    DenseCrf crf = new DenseCrf(w, h, labels);
    crf.setUnaryFromProbabilities(p);
    crf.addPairwiseGaussian(3, 3);
    crf.addPairwiseBilateral(20, 13, PermutohedralLatticeTest.twoRegionImage(w, h, 5), 10);
    return crf;
  }

  /**
   * {@link #usualCrf}'s model with exact Gaussian filtering instead of the lattice (same
   * normalisation and self term); the bilateral kernel on {@code rgb}.
   */
  private static DenseCrf exactCrf(Maps p, byte[] rgb) {
    DenseCrf exact = new DenseCrf(W, H, 3);
    exact.setUnaryFromProbabilities(p);
    exact.addPairwiseEnergy(
        new ExactGaussianFilter(exact.gaussianFeatures(3), 2), Compatibility.potts(3), Normalisation.SYMMETRIC, true);
    exact.addPairwiseEnergy(
        new ExactGaussianFilter(exact.bilateralFeatures(20, 13, rgb), 5),
        Compatibility.potts(10),
        Normalisation.SYMMETRIC,
        true);
    return exact;
  }

  private static double accuracy(int[] labels, int w, int h) {
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      int truth = PermutohedralLatticeTest.inside(i % w, i / w, w, h) ? 1 : 0;
      right += labels[i] == truth ? 1 : 0;
    }
    return right / (double) labels.length;
  }

  @Test
  void recoversTwoRegionsFromNoisyUnaries() {
    Maps p = noisyUnary(W, H, 3, 1);
    DenseCrf crf = usualCrf(W, H, 3, p);
    double before = accuracy(LabelMaps.argmax(p), W, H);
    double after = accuracy(crf.map(5), W, H);
    assertTrue(before < 0.75, "the unary alone is noisy: " + before);
    assertTrue(after > 0.98, "accuracy after 5 iterations " + after);
  }

  /**
   * KL(Q || P) - ln Z never goes up (beyond float rounding: the example converges within 3-4
   * iterations) and falls clearly in the first two, with the lattice and with the exact kernels.
   */
  @Test
  void objectiveGoesDownOverIterations() {
    Maps p = noisyUnary(W, H, 3, 2);
    DenseCrf lattice = usualCrf(W, H, 3, p);
    DenseCrf exact = exactCrf(p, PermutohedralLatticeTest.twoRegionImage(W, H, 5));
    for (DenseCrf crf : new DenseCrf[] {lattice, exact}) {
      double previous = crf.klDivergence(crf.inference(0));
      for (int it = 1; it <= 6; it++) {
        double kl = crf.klDivergence(crf.inference(it));
        if (it <= 2) {
          assertTrue(kl < previous - 100, "iteration " + it + ": " + kl + " after " + previous);
        }
        assertTrue(kl <= previous + 1e-6 * Math.abs(previous), "iteration " + it + ": " + kl + " after " + previous);
        previous = kl;
      }
    }
  }

  @Test
  void noIterationGivesTheClippedNormalisedUnary() {
    Maps p = noisyUnary(W, H, 3, 3);
    p.set(0, 2, 2, 0f);
    DenseCrf crf = usualCrf(W, H, 3, p);
    Maps q = crf.inference(0);
    for (int i = 0; i < W * H; i++) {
      double sum = 0;
      for (int l = 0; l < 3; l++) {
        sum += Math.max(p.data[l * W * H + i], DenseCrf.MIN_PROBABILITY);
      }
      for (int l = 0; l < 3; l++) {
        double expected = Math.max(p.data[l * W * H + i], DenseCrf.MIN_PROBABILITY) / sum;
        assertEquals(expected, q.data[l * W * H + i], 1e-6);
      }
    }
  }

  /**
   * One iteration against the update written out in double with the exact kernels: logits =
   * -U + w K~ Q (Potts) - mu K~ Q (matrix), K~ = D^-1/2 K D^-1/2, no self term, softmax.
   */
  @Test
  void oneIterationIsTheMeanFieldUpdate() {
    int w = 9;
    int h = 7;
    int labels = 3;
    Maps p = noisyUnary(w, h, labels, 4);
    byte[] rgb = PermutohedralLatticeTest.twoRegionImage(w, h, 6);
    float[][] mu = {{0, 1, 2}, {1, 0, 1.5f}, {2, 1.5f, 0}};
    DenseCrf crf = new DenseCrf(w, h, labels);
    crf.setUnaryFromProbabilities(p);
    float[] fg = crf.gaussianFeatures(1.5f);
    float[] fb = crf.bilateralFeatures(4, 30, rgb);
    crf.addPairwiseEnergy(new ExactGaussianFilter(fg, 2), Compatibility.potts(3), Normalisation.SYMMETRIC, false);
    crf.addPairwiseEnergy(new ExactGaussianFilter(fb, 5), Compatibility.matrix(mu), Normalisation.SYMMETRIC, false);
    Maps q = crf.inference(1);

    int n = w * h;
    double[][] q0 = new double[n][labels];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int l = 0; l < labels; l++) {
        s += Math.max(p.data[l * n + i], 1e-8);
      }
      for (int l = 0; l < labels; l++) {
        q0[i][l] = Math.max(p.data[l * n + i], 1e-8) / s;
      }
    }
    double[][] mg = normalisedFilter(fg, 2, q0, n, labels);
    double[][] mb = normalisedFilter(fb, 5, q0, n, labels);
    for (int i = 0; i < n; i++) {
      double[] logit = new double[labels];
      double max = Double.NEGATIVE_INFINITY;
      for (int u = 0; u < labels; u++) {
        logit[u] = Math.log(Math.max(p.data[u * n + i], 1e-8)) + 3 * mg[i][u];
        for (int v = 0; v < labels; v++) {
          logit[u] -= mu[u][v] * mb[i][v];
        }
        max = Math.max(max, logit[u]);
      }
      double s = 0;
      for (int u = 0; u < labels; u++) {
        s += Math.exp(logit[u] - max);
      }
      for (int u = 0; u < labels; u++) {
        assertEquals(Math.exp(logit[u] - max) / s, q.data[u * n + i], 2e-5, "pixel " + i + " label " + u);
      }
    }
  }

  /** K~ q with K(i, j) = exp(-|f_i - f_j|^2 / 2) for i != j, D = K 1. */
  private static double[][] normalisedFilter(float[] f, int d, double[][] q, int n, int labels) {
    double[][] k = new double[n][n];
    double[] degree = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dist = 0;
        for (int c = 0; c < d; c++) {
          double t = f[i * d + c] - f[j * d + c];
          dist += t * t;
        }
        k[i][j] = i == j ? 0 : Math.exp(-0.5 * dist);
        degree[i] += k[i][j];
      }
    }
    double[][] out = new double[n][labels];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int l = 0; l < labels; l++) {
          out[i][l] += k[i][j] / Math.sqrt(degree[i] * degree[j]) * q[j][l];
        }
      }
    }
    return out;
  }

  @Test
  void pottsEqualsItsExplicitMatrix() {
    int labels = 4;
    Maps p = noisyUnary(W, H, labels, 5);
    byte[] rgb = PermutohedralLatticeTest.twoRegionImage(W, H, 5);
    float[][] g = new float[labels][labels];
    float[][] b = new float[labels][labels];
    for (int u = 0; u < labels; u++) {
      for (int v = 0; v < labels; v++) {
        g[u][v] = u == v ? 0 : 3;
        b[u][v] = u == v ? 0 : 10;
      }
    }
    DenseCrf potts = new DenseCrf(W, H, labels);
    potts.setUnaryFromProbabilities(p);
    potts.addPairwiseGaussian(3, 3);
    potts.addPairwiseBilateral(20, 13, rgb, 10);
    DenseCrf matrix = new DenseCrf(W, H, labels);
    matrix.setUnaryFromProbabilities(p);
    matrix.addPairwiseGaussian(3, Compatibility.matrix(g), Normalisation.SYMMETRIC, true);
    matrix.addPairwiseBilateral(20, 13, rgb, Compatibility.matrix(b), Normalisation.SYMMETRIC, true);
    Maps a = potts.inference(5);
    Maps c = matrix.inference(5);
    for (int i = 0; i < a.data.length; i++) {
      assertEquals(a.data[i], c.data[i], 1e-4, "value " + i);
    }
    assertArrayEquals(LabelMaps.argmax(a), LabelMaps.argmax(c));
  }

  /** The lattice CRF agrees with the exact one (same normalisation and self term) on the labels. */
  @Test
  void latticeAndExactCrfAgreeOnTheLabels() {
    Maps p = noisyUnary(W, H, 3, 6);
    byte[] rgb = PermutohedralLatticeTest.twoRegionImage(W, H, 5);
    DenseCrf lattice = usualCrf(W, H, 3, p);
    DenseCrf exact = exactCrf(p, rgb);
    int[] a = lattice.map(5);
    int[] b = exact.map(5);
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      same += a[i] == b[i] ? 1 : 0;
    }
    assertTrue(same >= 0.99 * a.length, same + " of " + a.length + " labels agree");
  }

  @Test
  void oneAndTwoThreadsAgree() {
    Maps p = noisyUnary(96, 64, 21, 7);
    Parallel.setThreads(1);
    Maps one = usualCrf(96, 64, 21, p).inference(5);
    Parallel.setThreads(2);
    Maps two = usualCrf(96, 64, 21, p).inference(5);
    for (int i = 0; i < one.data.length; i++) {
      assertEquals(one.data[i], two.data[i], 1e-5);
    }
  }

  /** An image as 3 x H x W in [0, 1] is the same kernel as the 8-bit interleaved one. */
  @Test
  void imageAsMapsEqualsImageAsBytes() {
    byte[] rgb = PermutohedralLatticeTest.twoRegionImage(W, H, 5);
    Maps image = new Maps(3, H, W);
    for (int i = 0; i < W * H; i++) {
      for (int c = 0; c < 3; c++) {
        image.data[c * W * H + i] = (rgb[3 * i + c] & 0xff) / 255f;
      }
    }
    Maps p = noisyUnary(W, H, 3, 10);
    DenseCrf bytes = new DenseCrf(W, H, 3);
    bytes.setUnaryFromProbabilities(p);
    bytes.addPairwiseBilateral(20, 13, rgb, 10);
    DenseCrf maps = new DenseCrf(W, H, 3);
    maps.setUnaryFromProbabilities(p);
    maps.addPairwiseBilateral(20, 13, image, 10);
    assertArrayEquals(bytes.inference(3).data, maps.inference(3).data, 1e-4f);
  }

  @Test
  void unaryEnergyAndProbabilitiesAreTheSameModel() {
    Maps p = noisyUnary(W, H, 3, 8);
    Maps u = p.zerosLike();
    for (int i = 0; i < u.data.length; i++) {
      u.data[i] = (float) -Math.log(Math.max(p.data[i], 1e-8));
    }
    DenseCrf fromP = usualCrf(W, H, 3, p);
    DenseCrf fromU = usualCrf(W, H, 3, p);
    fromU.setUnaryEnergy(u);
    assertArrayEquals(fromP.inference(3).data, fromU.inference(3).data, 1e-5f);
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    DenseCrf crf = new DenseCrf(W, H, 3);
    IllegalStateException noUnary = assertThrows(IllegalStateException.class, () -> crf.inference(1));
    assertTrue(noUnary.getMessage().contains("unary"));
    assertMessage(() -> crf.setUnaryFromProbabilities(new Maps(3, H + 1, W)), "25x32");
    assertMessage(() -> crf.setUnaryFromProbabilities(new Maps(2, H, W)), "2 labels");
    Maps nan = noisyUnary(W, H, 3, 9);
    nan.set(1, 4, 5, Float.NaN);
    assertMessage(() -> crf.setUnaryFromProbabilities(nan), "label 1 at (x=5, y=4) is NaN");
    Maps negative = noisyUnary(W, H, 3, 9);
    negative.set(0, 0, 0, -0.5f);
    assertMessage(() -> crf.setUnaryFromProbabilities(negative), ">= 0");
    assertMessage(() -> crf.addPairwiseBilateral(80, 13, new byte[W * H], 10), "bytes");
    assertMessage(() -> crf.addPairwiseGaussian(0, 3), "sxy");
    assertMessage(() -> crf.addPairwiseGaussian(Float.NaN, 3), "sxy");
    assertMessage(() -> crf.addPairwiseBilateral(80, -1, new byte[W * H * 3], 10), "srgb");
    assertMessage(
        () -> crf.addPairwiseGaussian(3, Compatibility.matrix(new float[2][2]), Normalisation.SYMMETRIC, true),
        "2x2");
    assertMessage(() -> Compatibility.matrix(new float[][] {{0, 1}, {1}}), "square");
    assertMessage(() -> Compatibility.potts(Float.NaN), "finite");
    assertMessage(
        () -> crf.addPairwiseEnergy(
            new ExactGaussianFilter(new float[10], 2), Compatibility.potts(1), Normalisation.SYMMETRIC, true),
        "5 points");
    assertMessage(() -> Normalisation.parse("after"), "symmetric or none");
    assertEquals(Normalisation.NONE, Normalisation.parse("None"));
  }

  private static void assertMessage(Runnable r, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
  }
}
