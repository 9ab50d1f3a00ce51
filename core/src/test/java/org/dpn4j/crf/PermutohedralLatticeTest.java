package org.dpn4j.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.dpn4j.util.Parallel;
import org.dpn4j.testing.RestoresThreads;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/**
 * The lattice filter against the exact Gaussian sum, its impulse response (DESIGN.md section 5),
 * its diagonal, and the normalised kernel's symmetry and normalisation.
 *
 * <p>Observed (24 x 32 image, 3 random values in [0, 1) per pixel, K~ symmetric-normalised, with or
 * without the self term): the lattice K~ Q against the exact K~ Q has a relative RMS error of 0.010
 * for the Gaussian kernel (sxy 3; largest single error 0.036 of the largest value) and 0.044-0.048
 * for the bilateral one (sxy 5, srgb 13, a noisy two-region image; largest error 0.21 of the largest
 * value). The tests allow 0.02 / 0.06 and 0.07 / 0.3.
 */
@ExtendWith(RestoresThreads.class)
class PermutohedralLatticeTest {
  private static final int W = 32;
  private static final int H = 24;

  /** Two colour regions (left disc red, rest blue-green) with noise, RGB 0..255 interleaved. */
  static byte[] twoRegionImage(int w, int h, long seed) {
    Random rnd = new Random(seed);
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean inside = inside(x, y, w, h);
        int i = (y * w + x) * 3;
        rgb[i] = (byte) clamp((inside ? 200 : 40) + rnd.nextGaussian() * 10);
        rgb[i + 1] = (byte) clamp((inside ? 50 : 160) + rnd.nextGaussian() * 10);
        rgb[i + 2] = (byte) clamp((inside ? 60 : 140) + rnd.nextGaussian() * 10);
      }
    }
    return rgb;
  }

  static boolean inside(int x, int y, int w, int h) {
    return Math.hypot(x - 0.35 * w, y - 0.5 * h) < 0.3 * Math.min(w, h) + 2;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  static float[] randomValues(int n, int valueSize, long seed) {
    Random rnd = new Random(seed);
    float[] v = new float[n * valueSize];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat();
    }
    return v;
  }

  private static float[] gaussianFeatures(float sxy) {
    return new DenseCrf(W, H, 1).gaussianFeatures(sxy);
  }

  private static float[] bilateralFeatures(float sxy, float srgb) {
    return new DenseCrf(W, H, 1).bilateralFeatures(sxy, srgb, twoRegionImage(W, H, 5));
  }

  private static double relativeRms(float[] approx, float[] exact) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < exact.length; i++) {
      num += (approx[i] - exact[i]) * (double) (approx[i] - exact[i]);
      den += exact[i] * (double) exact[i];
    }
    return Math.sqrt(num / den);
  }

  private static double relativeMax(float[] approx, float[] exact) {
    double err = 0;
    double max = 0;
    for (int i = 0; i < exact.length; i++) {
      err = Math.max(err, Math.abs(approx[i] - exact[i]));
      max = Math.max(max, Math.abs(exact[i]));
    }
    return err / max;
  }

  private static void compareWithExact(
      float[] features, int d, double rmsTolerance, double maxTolerance, String name) {
    float[] q = randomValues(W * H, 3, 11);
    for (boolean selfTerm : new boolean[] {true, false}) {
      GaussianKernel lattice =
          new GaussianKernel(new PermutohedralLattice(features, d), Normalisation.SYMMETRIC, selfTerm);
      GaussianKernel exact =
          new GaussianKernel(new ExactGaussianFilter(features, d), Normalisation.SYMMETRIC, selfTerm);
      float[] a = lattice.apply(q, 3);
      float[] e = exact.apply(q, 3);
      double rms = relativeRms(a, e);
      System.out.printf(
          "%s, selfTerm %s: lattice vs exact K~Q: relative RMS %.4f, largest error %.4f of the largest value%n",
          name, selfTerm, rms, relativeMax(a, e));
      assertTrue(rms < rmsTolerance, name + ": relative RMS " + rms);
      assertTrue(relativeMax(a, e) < maxTolerance, name + ": largest error " + relativeMax(a, e));
    }
  }

  @Test
  void gaussianLatticeIsCloseToTheExactFilter() {
    compareWithExact(gaussianFeatures(3), 2, 0.02, 0.06, "gaussian sxy 3");
  }

  @Test
  void bilateralLatticeIsCloseToTheExactFilter() {
    compareWithExact(bilateralFeatures(5, 13), 5, 0.07, 0.3, "bilateral sxy 5 srgb 13");
  }

  /**
   * DESIGN.md section 5: on a 2-D grid with sxy = 3 the lattice's impulse response is 0.81, 0.81,
   * 0.69, 0.53, 0.14 at 0, 1, 2, 3, 6 px. It depends on where the impulse sits on the lattice: these
   * figures are the +x profile of an impulse at column 38 (any row); averaged over positions and
   * the four directions it is 0.80, 0.76, 0.66, 0.52, 0.135 (the exact Gaussian: 1, 0.95, 0.80,
   * 0.61, 0.14).
   */
  @Test
  void impulseResponseOnAGridMatchesTheReference() {
    int w = 64;
    int h = 64;
    PermutohedralLattice lattice = new PermutohedralLattice(new DenseCrf(w, h, 1).gaussianFeatures(3), 2);
    int[] offsets = {0, 1, 2, 3, 6};
    double[] expected = {0.81, 0.81, 0.69, 0.53, 0.14};
    float[] profile = impulse(lattice, w, h, 38, 20);
    for (int k = 0; k < offsets.length; k++) {
      assertEquals(expected[k], profile[20 * w + 38 + offsets[k]], 0.01, "response at +" + offsets[k] + " px");
    }
    double[] mean = new double[offsets.length];
    int count = 0;
    for (int y = 8; y < h - 8; y += 3) {
      for (int x = 8; x < w - 8; x++) {
        float[] r = impulse(lattice, w, h, x, y);
        for (int k = 0; k < offsets.length; k++) {
          int o = offsets[k];
          mean[k] += 0.25 * (r[y * w + x + o] + r[y * w + x - o] + r[(y + o) * w + x] + r[(y - o) * w + x]);
        }
        count++;
      }
    }
    double[] expectedMean = {0.80, 0.76, 0.66, 0.52, 0.135};
    for (int k = 0; k < offsets.length; k++) {
      assertEquals(expectedMean[k], mean[k] / count, 0.01, "mean response at " + offsets[k] + " px");
    }
  }

  private static float[] impulse(PermutohedralLattice lattice, int w, int h, int x, int y) {
    float[] in = new float[w * h];
    in[y * w + x] = 1;
    float[] out = new float[w * h];
    lattice.filter(in, out, 1, null, null, 1f, false);
    return out;
  }

  /** The diagonal computed by walking the blur's paths equals the filter's response to an impulse. */
  @Test
  void selfWeightsAreTheDiagonalOfTheFilter() {
    for (int d : new int[] {2, 5}) {
      float[] features = d == 2 ? gaussianFeatures(1.5f) : bilateralFeatures(4, 20);
      PermutohedralLattice lattice = new PermutohedralLattice(features, d);
      float[] self = lattice.selfWeights();
      for (int i = 0; i < W * H; i += 37) {
        float[] out = impulse(lattice, W, H, i % W, i / W);
        assertEquals(out[i], self[i], 1e-5, "d = " + d + ", point " + i);
      }
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * (double) b[i];
    }
    return s;
  }

  /**
   * {@code <a, K~ b> = <K~ a, b>}: exactly (to rounding) for the exact filter, to 2e-4 relative
   * (observed) for the lattice, whose axes are blurred in a fixed order over a sparse vertex set.
   */
  @Test
  void normalisedKernelIsSymmetric() {
    float[] a = randomValues(W * H, 2, 1);
    float[] b = randomValues(W * H, 2, 2);
    float[] f = bilateralFeatures(5, 13);
    for (boolean selfTerm : new boolean[] {true, false}) {
      GaussianKernel exact = new GaussianKernel(new ExactGaussianFilter(f, 5), Normalisation.SYMMETRIC, selfTerm);
      double left = dot(a, exact.apply(b, 2));
      assertEquals(left, dot(exact.apply(a, 2), b), 1e-6 * Math.abs(left));
      for (int d : new int[] {2, 5}) {
        float[] features = d == 2 ? gaussianFeatures(3) : f;
        GaussianKernel lattice =
            new GaussianKernel(new PermutohedralLattice(features, d), Normalisation.SYMMETRIC, selfTerm);
        double l = dot(a, lattice.apply(b, 2));
        double r = dot(lattice.apply(a, 2), b);
        System.out.printf("lattice d=%d selfTerm %s: <a,K~b> = %.6f, <K~a,b> = %.6f%n", d, selfTerm, l, r);
        assertEquals(l, r, 1e-3 * Math.abs(l), "lattice d = " + d);
      }
    }
  }

  /** With D = diag(K' 1): K~ D^1/2 1 = D^-1/2 K' 1 = D^1/2 1, for both filters and self-term settings. */
  @Test
  void symmetricNormalisationFixesTheSquareRootOfTheDegree() {
    float[] f = bilateralFeatures(5, 13);
    for (boolean selfTerm : new boolean[] {true, false}) {
      for (GaussianFilter filter : new GaussianFilter[] {new ExactGaussianFilter(f, 5), new PermutohedralLattice(f, 5)}) {
        GaussianKernel kernel = new GaussianKernel(filter, Normalisation.SYMMETRIC, selfTerm);
        float[] invSqrt = kernel.inverseSqrtDegree();
        float[] sqrtDegree = new float[W * H];
        for (int i = 0; i < sqrtDegree.length; i++) {
          sqrtDegree[i] = 1f / invSqrt[i];
        }
        float[] out = kernel.apply(sqrtDegree, 1);
        for (int i = 0; i < out.length; i++) {
          assertEquals(sqrtDegree[i], out[i], 1e-4 * sqrtDegree[i], filter.getClass().getSimpleName() + " point " + i);
        }
      }
    }
  }

  /** Without the self term, a point far from all others gets (almost) nothing, not noise. */
  @Test
  void isolatedPointWithoutSelfTermStaysQuiet() {
    float[] f = {0f, 0.5f, 1f, 60f};
    for (GaussianFilter filter : new GaussianFilter[] {new ExactGaussianFilter(f, 1), new PermutohedralLattice(f, 1)}) {
      GaussianKernel kernel = new GaussianKernel(filter, Normalisation.SYMMETRIC, false);
      float[] out = kernel.apply(new float[] {1, 1, 1, 1}, 1);
      assertEquals(0, out[3], 1e-2, filter.getClass().getSimpleName());
      assertTrue(out[0] > 0.5 && out[0] < 1.5, filter.getClass().getSimpleName() + ": " + out[0]);
    }
  }

  /** Without normalisation K~ is K: the exact filter's K 1 is the row sum of the Gaussian. */
  @Test
  void noNormalisationGivesTheRawSums() {
    float[] f = gaussianFeatures(2);
    GaussianKernel none = new GaussianKernel(new ExactGaussianFilter(f, 2), Normalisation.NONE, false);
    float[] ones = new float[W * H];
    java.util.Arrays.fill(ones, 1f);
    float[] out = none.apply(ones, 1);
    int i = 5 * W + 7;
    double sum = 0;
    for (int j = 0; j < W * H; j++) {
      if (j != i) {
        double dx = (j % W - i % W) / 2.0;
        double dy = (j / W - i / W) / 2.0;
        sum += Math.exp(-0.5 * (dx * dx + dy * dy));
      }
    }
    assertEquals(sum, out[i], 1e-4 * sum);
  }

  /**
   * One thread and two give the same lattice (two build it from two halves of the points) and the
   * same filter, up to the order of the splat sums.
   */
  @Test
  void threadsDoNotChangeTheResult() {
    int w = 256;
    int h = 160;
    float[] features = new DenseCrf(w, h, 1).bilateralFeatures(20, 13, twoRegionImage(w, h, 4));
    float[] in = randomValues(w * h, 8, 3);
    float[][] out = new float[2][in.length];
    int[] vertices = new int[2];
    for (int t = 1; t <= 2; t++) {
      Parallel.setThreads(t);
      PermutohedralLattice lattice = new PermutohedralLattice(features, 5);
      vertices[t - 1] = lattice.vertices();
      lattice.filter(in, out[t - 1], 8, null, null, 1f, false);
    }
    assertEquals(vertices[0], vertices[1]);
    for (int i = 0; i < in.length; i++) {
      assertEquals(out[0][i], out[1][i], 1e-5f * Math.abs(out[0][i]) + 1e-6f);
    }
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    float[] f = gaussianFeatures(3);
    f[17] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PermutohedralLattice(f, 2));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PermutohedralLattice(new float[7], 2));
    float[] wide = new float[10 * 12];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = i % 2 == 0 ? 0 : 1e6f * i;
    }
    e = assertThrows(IllegalArgumentException.class, () -> new PermutohedralLattice(wide, 12));
    assertTrue(e.getMessage().contains("64-bit"), e.getMessage());
    PermutohedralLattice lattice = new PermutohedralLattice(gaussianFeatures(3), 2);
    float[] small = new float[10];
    e = assertThrows(
        IllegalArgumentException.class, () -> lattice.filter(small, new float[W * H], 1, null, null, 1f, false));
    assertTrue(e.getMessage().contains("needs arrays of"), e.getMessage());
  }
}
