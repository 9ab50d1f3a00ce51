package org.dpn4j.head;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.dpn4j.crf.Compatibility;
import org.dpn4j.crf.DenseCrf;
import org.dpn4j.crf.ExactGaussianFilter;
import org.dpn4j.crf.Normalisation;
import org.dpn4j.head.TriplePenalty.Kernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dense-CRF special case of the DPN head (DESIGN.md "Gaussian kernel", the paper's Eqn 16): b12
 * with the Gaussian kernel, c = 1, no self term, no 1/|W|, the whole image as window, and a 1 x 1
 * b13 with K = 1 holding mu, give in b15 exactly one mean-field step of the dense CRF
 *
 * <pre>
 *   Q_i(u) ~ p~_i(u) exp(-sum_v mu(u, v) sum_{z != i} k(i, z) q_z(v)),   q = p~ = max(p, 1e-8) renormalised
 * </pre>
 *
 * which {@link DenseCrf} computes independently with the naive {@link ExactGaussianFilter}, no
 * normalisation, no self term, one iteration. Measured max |P - Q|: 1.0e-5 (Potts, integer colours),
 * 5.4e-6, 4.2e-6 and 6e-8: float rounding of logits of a few hundred.
 */
class DenseCrfSpecialCaseTest {
  private static final int H = 12;
  private static final int W = 16;
  private static final float W_G = 3;
  private static final float W_B = 10;
  /**
   * The pairwise energies reach about 230 per label here, so the float logits (up to ~500 for Potts)
   * are rounded to ~3e-5 on both sides; dQ <= dlogit / 4 plus the softmax's own rounding.
   */
  private static final double TOLERANCE = 5e-5;

  @ParameterizedTest(name = "{0} labels, integer colours {1}, Potts {2}")
  @CsvSource({"3, true, true", "3, false, true", "4, true, false", "4, false, false"})
  void oneDpnStepIsOneExactMeanFieldStep(int labels, boolean integerColours, boolean potts) {
    Random rnd = new Random(labels * 31L + (integerColours ? 1 : 0) + (potts ? 2 : 0));
    Maps image = image(rnd, integerColours);
    Maps p = probabilities(labels, rnd);
    float[][] mu = potts ? pottsMatrix(labels) : symmetricMatrix(labels, rnd);

    Maps dpn = specialCaseHead(labels, mu).refine(p, image);
    Maps crf = exactMeanFieldStep(p, image, mu, potts);

    double err = dpn.maxRelativeError(crf);
    System.out.printf("Eqn 16, L=%d, integer colours %b, Potts %b: max |P - Q| = %.2e%n", labels, integerColours, potts, err);
    assertTrue(err < TOLERANCE, "DPN step and exact mean-field step differ by " + err);
    // The pairwise term must matter, or the test would pass for any kernel.
    assertTrue(dpn.maxRelativeError(p) > 0.05, "the pairwise term changed nothing: " + dpn.maxRelativeError(p));
  }

  /** b12-b15 with the switches of Eqn 16; w_g = 3, w_b = 10 are b12's initial Gaussian weights. */
  private static DpnHead specialCaseHead(int labels, float[][] mu) {
    TriplePenalty.Options o =
        TriplePenalty.Options.builder()
            .kernel(Kernel.GAUSSIAN)
            .window(Window.all())
            .centreFactor(false)
            .selfTerm(false)
            .normalise(false)
            .build();
    TriplePenalty b12 = new TriplePenalty(labels, o);
    b12.wG()[0] = W_G;
    b12.wB()[0] = W_B;
    LabelContexts b13 = new LabelContexts(labels, 1, 1);
    for (int u = 0; u < labels; u++) {
      for (int v = 0; v < labels; v++) {
        b13.weights()[u * labels + v] = mu[u][v]; // (K*L, L, 1, 1): out_u = sum_v mu(u, v) o_v
      }
    }
    return new DpnHead(b12, b13);
  }

  /**
   * The dense CRF with the same two kernels as matrix compatibilities (their logits gain -w mu K Q),
   * or for Potts with the library's reward w K Q, which equals the penalty w [u != v] up to a
   * per-pixel constant.
   */
  private static Maps exactMeanFieldStep(Maps p, Maps image, float[][] mu, boolean potts) {
    DenseCrf crf = new DenseCrf(p.w, p.h, p.c);
    crf.setUnaryFromProbabilities(p);
    crf.addPairwiseEnergy(
        new ExactGaussianFilter(crf.gaussianFeatures(3), 2), compatibility(W_G, mu, potts), Normalisation.NONE, false);
    crf.addPairwiseEnergy(
        new ExactGaussianFilter(crf.bilateralFeatures(80, 13, image), 5),
        compatibility(W_B, mu, potts),
        Normalisation.NONE,
        false);
    return crf.inference(1);
  }

  private static Compatibility compatibility(float w, float[][] mu, boolean potts) {
    if (potts) {
      return Compatibility.potts(w);
    }
    float[][] scaled = new float[mu.length][mu.length];
    for (int u = 0; u < mu.length; u++) {
      for (int v = 0; v < mu.length; v++) {
        scaled[u][v] = w * mu[u][v];
      }
    }
    return Compatibility.matrix(scaled);
  }

  /** RGB in [0, 1]: multiples of 1/255 (the lookup-table path) or any floats (direct exp). */
  private static Maps image(Random rnd, boolean integerColours) {
    Maps img = new Maps(3, H, W);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        // Two regions of similar colours, so the bilateral kernel has neighbours to speak of.
        int base = x < W / 2 ? 60 : 180;
        for (int c = 0; c < 3; c++) {
          float v = base + 30 * rnd.nextFloat();
          img.set(c, y, x, (integerColours ? Math.round(v) : v) / 255f);
        }
      }
    }
    return img;
  }

  /** Random probabilities per pixel, some exactly 0 (clamped to 1e-8 by both sides). */
  private static Maps probabilities(int labels, Random rnd) {
    Maps p = new Maps(labels, H, W);
    for (int i = 0; i < H * W; i++) {
      double[] a = new double[labels];
      double sum = 0;
      for (int l = 0; l < labels; l++) {
        a[l] = rnd.nextInt(10) == 0 ? 0 : rnd.nextDouble();
        sum += a[l];
      }
      for (int l = 0; l < labels; l++) {
        p.data[l * H * W + i] = sum == 0 ? 1f / labels : (float) (a[l] / sum);
      }
    }
    return p;
  }

  private static float[][] pottsMatrix(int labels) {
    float[][] mu = new float[labels][labels];
    for (int u = 0; u < labels; u++) {
      for (int v = 0; v < labels; v++) {
        mu[u][v] = u == v ? 0 : 1;
      }
    }
    return mu;
  }

  /** A symmetric mu (the dense CRF symmetrises its matrix) with entries in [-0.5, 1.5]. */
  private static float[][] symmetricMatrix(int labels, Random rnd) {
    float[][] mu = new float[labels][labels];
    for (int u = 0; u < labels; u++) {
      for (int v = 0; v <= u; v++) {
        mu[u][v] = mu[v][u] = 2 * rnd.nextFloat() - 0.5f;
      }
    }
    return mu;
  }
}
