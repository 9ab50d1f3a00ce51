package org.dpn4j.head;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.testing.TestHeads;
import org.dpn4j.testing.TestMaps;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Integration
class LabelContexts3dTest {

  /**
   * The definition, in double, on a frame-major stack x (map (tau+1)*L + v): out_o(y, x) = sum_tau
   * sum_v sum_s w[o][v][tau+1][s] o^tau_v(y + lo + sy, x + lo + sx), lo = -floor(m/2).
   */
  static double[] direct(Maps x, float[] w, int cout, int m) {
    int labels = x.c / 3;
    int lo = -(m / 2);
    double[] out = new double[cout * x.plane()];
    for (int o = 0; o < cout; o++) {
      for (int v = 0; v < labels; v++) {
        for (int f = 0; f < 3; f++) {
          for (int sy = 0; sy < m; sy++) {
            for (int sx = 0; sx < m; sx++) {
              double k = w[(((o * labels + v) * 3 + f) * m + sy) * m + sx];
              for (int y = 0; y < x.h; y++) {
                for (int xx = 0; xx < x.w; xx++) {
                  int yy = y + lo + sy;
                  int xs = xx + lo + sx;
                  if (yy >= 0 && yy < x.h && xs >= 0 && xs < x.w) {
                    out[(o * x.h + y) * x.w + xx] += k * x.get(f * labels + v, yy, xs);
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  static double dot(double[] a, Maps b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b.data[i];
    }
    return s;
  }

  // h, w, L, K, m
  @ParameterizedTest
  @CsvSource({"13, 7, 3, 2, 7", "9, 12, 2, 3, 4", "20, 11, 2, 2, 9", "1, 1, 2, 1, 3", "6, 5, 1, 2, 1"})
  void forwardAndBackwardMatchTheDirectLoop(int h, int w, int labels, int k, int m) {
    Random r = new Random(h * 100 + w + m);
    LabelContexts3d b13 = new LabelContexts3d(labels, k, m);
    randomise(b13.weights(), r);
    Maps x = gaussian(r, 3 * labels, h, w);
    FiniteDifferences.assertClose(direct(x, b13.weights(), labels * k, m), b13.forward(x).data, 1e-5, "forward");
    // The direct loop is linear: its adjoint by the dot products with unit inputs and unit weights.
    Maps g = gaussian(r, labels * k, h, w);
    LabelContexts.Gradients grads = b13.backward(x, g);
    double[] gx = new double[x.data.length];
    for (int i = 0; i < gx.length; i++) {
      Maps e = x.zerosLike();
      e.data[i] = 1;
      gx[i] = dot(direct(e, b13.weights(), labels * k, m), g);
    }
    FiniteDifferences.assertClose(gx, grads.input().data, 1e-5, "input gradient");
    double[] gw = new double[b13.weights().length];
    for (int i = 0; i < gw.length; i++) {
      float[] e = new float[gw.length];
      e[i] = 1;
      gw[i] = dot(direct(x, e, labels * k, m), g);
    }
    FiniteDifferences.assertClose(gw, grads.weights(), 1e-5, "weight gradient");
  }

  @Test
  void finiteDifferencesOfInputAndWeights() {
    Random r = new Random(7);
    int labels = 2;
    LabelContexts3d b13 = new LabelContexts3d(labels, 2, 4);
    randomise(b13.weights(), r);
    Maps x = gaussian(r, 3 * labels, 6, 7);
    Maps g = gaussian(r, 2 * labels, 6, 7);
    LabelContexts.Gradients grads = b13.backward(x, g);
    check(b13, x, g, x.data, grads.input().data, "input");
    check(b13, x, g, b13.weights(), grads.weights(), "weights");
  }

  private static void check(LabelContexts3d b13, Maps x, Maps g, float[] p, float[] analytic, String what) {
    for (int i = 0; i < p.length; i += 3) {
      double fd = FiniteDifferences.central(p, i, 0.05f, () -> FiniteDifferences.dot(g, b13.forward(x)));
      assertEquals(fd, analytic[i], 2e-3 * Math.max(1, Math.abs(fd)), what + " [" + i + "]");
    }
  }

  @Test
  void fromA2dB13KeptWholeIsThe2dB13() {
    LabelContexts planar = new LabelContexts(3, 2, 9);
    int labels = planar.labels();
    int k = planar.components();
    Random r = new Random(8);
    randomise(planar.weights(), r);
    LabelContexts3d b13 = LabelContexts3d.from(planar, 9);
    Maps o0 = gaussian(r, labels, 15, 12);
    Maps stacked = FrameStack.stack(gaussian(r, labels, 15, 12), o0, gaussian(r, labels, 15, 12));
    Maps expected = planar.forward(o0);
    assertTrue(b13.forward(stacked).maxRelativeError(expected) < 1e-5);
    assertTrue(b13.forwardMin(stacked).maxRelativeError(planar.forwardMin(o0)) < 1e-5);
    Maps g = gaussian(r, labels * k, 15, 12);
    LabelContexts.Gradients grads = b13.backward(stacked, g);
    LabelContexts.Gradients planarGrads = planar.backward(o0, g);
    assertTrue(TriplePenalty3d.frame(grads.input(), 0).maxRelativeError(planarGrads.input()) < 1e-5);
    // Zero weights on tau = +-1: no gradient there, up to the FFT's rounding (two real maps share one
    // complex transform), relative to the gradient of tau = 0.
    double scale = TriplePenalty3d.frame(grads.input(), 0).maxRelativeError(new Maps(labels, 15, 12));
    for (int tau : new int[] {-1, 1}) {
      double err = TriplePenalty3d.frame(grads.input(), tau).maxRelativeError(new Maps(labels, 15, 12));
      assertTrue(err < 1e-6 * scale, "tau " + tau + ": " + err + " against " + scale);
    }
  }

  @Test
  void fromA2dB13CropsTheCentreOntoTauZero() {
    Random r = new Random(9);
    LabelContexts planar = new LabelContexts(2, 3, 9);
    randomise(planar.weights(), r);
    float[] w2 = planar.weights();
    for (int m : new int[] {7, 4, 11}) {
      float[] w3 = LabelContexts3d.from(planar, m).weights();
      assertEquals(6 * 2 * 3 * m * m, w3.length);
      for (int o = 0; o < 6; o++) {
        for (int v = 0; v < 2; v++) {
          for (int f = 0; f < 3; f++) {
            for (int sy = 0; sy < m; sy++) {
              for (int sx = 0; sx < m; sx++) {
                // The same offset (dy, dx) = (sy - floor(m/2), sx - floor(m/2)) in the 2D kernel.
                int ty = sy - m / 2 + 4;
                int tx = sx - m / 2 + 4;
                boolean inside = ty >= 0 && ty < 9 && tx >= 0 && tx < 9;
                float expected = f == 1 && inside ? w2[((o * 2 + v) * 9 + ty) * 9 + tx] : 0f;
                assertEquals(expected, w3[(((o * 2 + v) * 3 + f) * m + sy) * m + sx], 0f, m + ": " + o + " " + v + " " + f);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void initialValueIsTheIdentityOnTauZero() {
    Random r = new Random(10);
    int labels = 2;
    LabelContexts3d b13 = new LabelContexts3d(labels, 3, LabelContexts3d.DEFAULT_SIZE);
    Maps o0 = gaussian(r, labels, 8, 9);
    Maps out = b13.forward(FrameStack.stack(gaussian(r, labels, 8, 9), o0, gaussian(r, labels, 8, 9)));
    for (int u = 0; u < labels; u++) {
      for (int k = 0; k < 3; k++) {
        for (int p = 0; p < 72; p++) {
          assertEquals(o0.data[u * 72 + p], out.data[(u * 3 + k) * 72 + p], 1e-5);
        }
      }
    }
  }

  @Test
  void badInputsGiveClearErrors() {
    LabelContexts3d b13 = new LabelContexts3d(3, 2, 7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b13.forward(new Maps(3, 4, 4)));
    assertTrue(e.getMessage().contains("3L = 9"), e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class, () -> LabelContexts3d.from(new LabelContexts(2, 1, 3, 3), 3));
    assertTrue(e.getMessage().contains("2D b13"), e.getMessage());
    LabelContexts threeFrames = new LabelContexts(2, 1, 3, 3);
    e = assertThrows(IllegalArgumentException.class, () -> threeFrames.forward(new Maps(2, 4, 4)));
    assertTrue(e.getMessage().contains("L*F = 6"), e.getMessage());
  }

  private static void randomise(float[] w, Random r) {
    TestHeads.gaussian(w, 1, r);
  }

  private static Maps gaussian(Random r, int c, int h, int w) {
    return TestMaps.gaussian(c, h, w, r);
  }
}
