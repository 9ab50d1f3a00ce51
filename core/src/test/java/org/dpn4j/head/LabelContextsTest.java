package org.dpn4j.head;

import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.testing.TestHeads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LabelContextsTest {


  static void randomWeights(Random r, LabelContexts b13) {
    TestHeads.gaussian(b13.weights(), 1, r);
  }

  /** The definition, in double: out_o(y, x) = sum_i sum_s w[o][i][s] x_i(y + lo + sy, x + lo + sx). */
  static double[] direct(Maps x, float[] w, int cout, int m) {
    int lo = -(m / 2);
    double[] out = new double[cout * x.plane()];
    for (int o = 0; o < cout; o++) {
      for (int i = 0; i < x.c; i++) {
        for (int sy = 0; sy < m; sy++) {
          for (int sx = 0; sx < m; sx++) {
            double k = w[((o * x.c + i) * m + sy) * m + sx];
            for (int y = 0; y < x.h; y++) {
              int yy = y + lo + sy;
              if (yy < 0 || yy >= x.h) {
                continue;
              }
              for (int xx0 = 0; xx0 < x.w; xx0++) {
                int xx = xx0 + lo + sx;
                if (xx >= 0 && xx < x.w) {
                  out[(o * x.h + y) * x.w + xx0] += k * x.get(i, yy, xx);
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** Adjoint of {@link #direct}: the input gradient and the weight gradient for dL/dout = g. */
  static double[][] directBackward(Maps x, Maps g, float[] w, int m) {
    int lo = -(m / 2);
    double[] dx = new double[x.data.length];
    double[] dw = new double[w.length];
    for (int o = 0; o < g.c; o++) {
      for (int i = 0; i < x.c; i++) {
        for (int sy = 0; sy < m; sy++) {
          for (int sx = 0; sx < m; sx++) {
            int wi = ((o * x.c + i) * m + sy) * m + sx;
            for (int y = 0; y < x.h; y++) {
              int yy = y + lo + sy;
              for (int xx0 = 0; xx0 < x.w; xx0++) {
                int xx = xx0 + lo + sx;
                if (yy >= 0 && yy < x.h && xx >= 0 && xx < x.w) {
                  double gv = g.get(o, y, xx0);
                  dx[(i * x.h + yy) * x.w + xx] += w[wi] * gv;
                  dw[wi] += gv * x.get(i, yy, xx);
                }
              }
            }
          }
        }
      }
    }
    return new double[][] {dx, dw};
  }

  // h, w, L, K, m, forced tile (0 = chosen by cost)
  @ParameterizedTest
  @CsvSource({
    "13, 7, 3, 2, 9, 0",
    "37, 29, 4, 3, 4, 16",
    "37, 29, 2, 5, 9, 16",
    "45, 61, 3, 2, 9, 16",
    "20, 23, 5, 1, 1, 0",
    "9, 40, 2, 3, 8, 16",
    "30, 31, 3, 2, 5, 0",
    "1, 1, 2, 2, 9, 0"
  })
  void forwardAndBackwardMatchDirectLoops(int h, int w, int labels, int k, int m, int tile) {
    Random r = new Random(h * 1000 + w + m);
    LabelContexts b13 = new LabelContexts(labels, k, m);
    if (tile > 0) {
      b13.forceTile(new int[] {tile, 2 * tile});
    }
    randomWeights(r, b13);
    Maps x = TestMaps.gaussian(labels, h, w, r);
    FiniteDifferences.assertClose(direct(x, b13.weights(), labels * k, m), b13.forward(x).data, 1e-5, "forward");
    Maps g = TestMaps.gaussian(labels * k, h, w, r);
    double[][] ref = directBackward(x, g, b13.weights(), m);
    LabelContexts.Gradients grads = b13.backward(x, g);
    FiniteDifferences.assertClose(ref[0], grads.input().data, 1e-5, "input gradient");
    FiniteDifferences.assertClose(ref[1], grads.weights(), 1e-5, "weight gradient");
  }

  @Test
  void squareTilesWithSeveralLaneVectorsMatch() {
    Random r = new Random(5);
    LabelContexts b13 = new LabelContexts(3, 2, 9);
    b13.forceTile(new int[] {16, 16});
    randomWeights(r, b13);
    Maps x = TestMaps.gaussian(3, 70, 45, r); // 9 x 6 = 54 tiles of 8 x 8: 4 lane vectors, partial last tiles
    FiniteDifferences.assertClose(direct(x, b13.weights(), 6, 9), b13.forward(x).data, 1e-5, "forward");
  }

  @ParameterizedTest
  @CsvSource({"3, 5, 0", "4, 2, 16", "1, 3, 16", "5, 1, 0"})
  void forwardMinIsBlockMinPoolOfForward(int labels, int k, int tile) {
    Random r = new Random(labels * 10 + k);
    LabelContexts b13 = new LabelContexts(labels, k, 9);
    if (tile > 0) {
      b13.forceTile(new int[] {tile, tile});
    }
    randomWeights(r, b13);
    Maps x = TestMaps.gaussian(labels, 41, 38, r);
    Maps min = b13.forwardMin(x);
    assertEquals(labels, min.c);
    assertArrayEquals(new BlockMinPool(k).forward(b13.forward(x)).data, min.data);
  }

  @Test
  void finiteDifferencesOfInputAndWeights() {
    LabelContexts b13 = new LabelContexts(2, 2, 4);
    Random r = new Random(11);
    randomWeights(r, b13);
    Maps x = TestMaps.gaussian(b13.labels(), 6, 5, r);
    Maps g = TestMaps.gaussian(b13.labels() * b13.components(), 6, 5, r);
    LabelContexts.Gradients grads = b13.backward(x, g);
    // The loss sum(g * b13(x)) is linear, so a central difference with a large step is exact up to
    // float rounding.
    DoubleSupplier loss = () -> FiniteDifferences.dot(g, b13.forward(x));
    for (int i = 0; i < x.data.length; i += 3) {
      assertEquals(FiniteDifferences.central(x.data, i, 0.5f, loss), grads.input().data[i], 1e-3, "d/dx[" + i + "]");
    }
    float[] w = b13.weights();
    for (int i = 0; i < w.length; i += 7) {
      assertEquals(FiniteDifferences.central(w, i, 0.5f, loss), grads.weights()[i], 1e-3, "d/dw[" + i + "]");
    }
  }

  @Test
  void identityInitialValueRepeatsTheInput() {
    int labels = 4;
    int k = 3;
    LabelContexts b13 = new LabelContexts(labels, k, 9);
    Maps q = TestMaps.gaussian(labels, 19, 23, new Random(3));
    Maps out = b13.forward(q);
    assertEquals(labels * k, out.c);
    for (int u = 0; u < labels; u++) {
      for (int c = 0; c < k; c++) {
        for (int p = 0; p < q.plane(); p++) {
          assertEquals(q.data[q.offset(u) + p], out.data[out.offset(u * k + c) + p], 1e-5);
        }
      }
    }
    int centre = 4 * 9 + 4;
    assertEquals(1f, b13.weights()[((2 * k + 1) * labels + 2) * 81 + centre]);
    assertEquals(0f, b13.weights()[((2 * k + 1) * labels + 1) * 81 + centre]);
  }

  @Test
  void evenKernelCentreIsTheLowerMiddle() {
    // For m = 4 the offsets are -2..1, so tap index 2 is offset 0: identity stays identity.
    Random r = new Random(4);
    LabelContexts b13 = new LabelContexts(2, 1, 4);
    Maps q = TestMaps.gaussian(2, 7, 9, r);
    assertArrayEquals(q.data, b13.forward(q).data, 1e-5f);
  }

  @Test
  void noiseIsSeededAndSparesComponentZero() {
    LabelContexts a = new LabelContexts(3, 3, 5);
    LabelContexts b = new LabelContexts(3, 3, 5);
    LabelContexts c = new LabelContexts(3, 3, 5);
    float[] initial = a.weights().clone();
    a.addComponentNoise(42);
    b.addComponentNoise(42);
    c.addComponentNoise(43);
    assertArrayEquals(a.weights(), b.weights());
    assertFalse(java.util.Arrays.equals(a.weights(), c.weights()));
    int filter = 3 * 25;
    double sum2 = 0;
    int n = 0;
    for (int o = 0; o < 9; o++) {
      for (int i = o * filter; i < (o + 1) * filter; i++) {
        if (o % 3 == 0) {
          assertEquals(initial[i], a.weights()[i], "component 0, weight " + i);
        } else {
          assertNotEquals(initial[i], a.weights()[i], "component " + o % 3 + ", weight " + i);
          sum2 += Math.pow(a.weights()[i] - initial[i], 2);
          n++;
        }
      }
    }
    double std = Math.sqrt(sum2 / n);
    assertTrue(std > 0.8e-3 && std < 1.2e-3, "noise std " + std);
  }

  @Test
  void rejectsWrongLabelCount() {
    LabelContexts b13 = new LabelContexts(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b13.forward(new Maps(2, 4, 4)));
    assertTrue(e.getMessage().contains("expected L = 3"), e.getMessage());
  }
}
