package org.dpn4j.head;

import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.head.MeanFieldFusion.Unary;
import org.junit.jupiter.api.Test;

class MeanFieldFusionTest {

  static Maps probabilities(Random r, int labels, int h, int w) {
    Maps p = new Maps(labels, h, w);
    for (int j = 0; j < p.plane(); j++) {
      double sum = 0;
      for (int u = 0; u < labels; u++) {
        p.data[p.offset(u) + j] = 0.05f + r.nextFloat();
        sum += p.data[p.offset(u) + j];
      }
      for (int u = 0; u < labels; u++) {
        p.data[p.offset(u) + j] /= sum;
      }
    }
    return p;
  }

  /** softmax_u(ln max(p, 1e-8) - o) in double. */
  static double[] reference(Maps p, Maps o, boolean logs) {
    double[] out = new double[p.data.length];
    for (int j = 0; j < p.plane(); j++) {
      double sum = 0;
      for (int u = 0; u < p.c; u++) {
        int i = p.offset(u) + j;
        double lp = logs ? p.data[i] : Math.log(Math.max(p.data[i], 1e-8));
        out[i] = Math.exp(lp - o.data[i]);
        sum += out[i];
      }
      for (int u = 0; u < p.c; u++) {
        out[p.offset(u) + j] /= sum;
      }
    }
    return out;
  }

  @Test
  void forwardIsSoftmaxOfLogUnaryMinusB14() {
    Random r = new Random(1);
    Maps p = probabilities(r, 4, 5, 7);
    p.data[3] = 0f; // clamped to 1e-8
    Maps o = TestMaps.gaussian(4, 5, 7, r);
    FiniteDifferences.assertClose(reference(p, o, false), new MeanFieldFusion(Unary.PROBABILITIES).forward(p, o).data, 1e-5, "from p");
    Maps lp = TestMaps.gaussian(4, 5, 7, r);
    FiniteDifferences.assertClose(reference(lp, o, true), new MeanFieldFusion(Unary.LOG_PROBABILITIES).forward(lp, o).data, 1e-5, "from ln p");
  }

  @Test
  void largeB14DoesNotOverflow() {
    Maps p = new Maps(2, 1, 1, new float[] {0.5f, 0.5f});
    Maps o = new Maps(2, 1, 1, new float[] {1000f, 1001f});
    Maps out = new MeanFieldFusion(Unary.PROBABILITIES).forward(p, o);
    assertEquals(1 / (1 + Math.exp(-1)), out.data[0], 1e-6);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    for (Unary unary : Unary.values()) {
      Random r = new Random(3);
      MeanFieldFusion b15 = new MeanFieldFusion(unary);
      Maps a = unary == Unary.PROBABILITIES ? probabilities(r, 3, 4, 5) : TestMaps.gaussian(3, 4, 5, r);
      Maps o = TestMaps.gaussian(3, 4, 5, r);
      Maps w = TestMaps.gaussian(3, 4, 5, r);
      MeanFieldFusion.Gradients g = b15.backward(a, b15.forward(a, o), w);
      checkFiniteDifferences(b15, a, o, w, a, g.unary(), unary + " unary");
      checkFiniteDifferences(b15, a, o, w, o, g.b14(), unary + " b14");
    }
  }

  private static void checkFiniteDifferences(MeanFieldFusion b15, Maps a, Maps o, Maps w, Maps wrt, Maps grad, String what) {
    for (int i = 0; i < wrt.data.length; i++) {
      float step = Math.max(1e-3f * Math.abs(wrt.data[i]), 1e-4f);
      double fd = FiniteDifferences.central(wrt.data, i, step, () -> FiniteDifferences.dot(w, b15.forward(a, o)));
      assertEquals(fd, grad.data[i], 2e-3 * Math.max(1, Math.abs(fd)), what + " [" + i + "]");
    }
  }

  @Test
  void clampedProbabilitiesGetNoGradient() {
    Maps p = new Maps(2, 1, 1, new float[] {0f, 1f});
    Maps o = new Maps(2, 1, 1, new float[] {0f, 0f});
    MeanFieldFusion b15 = new MeanFieldFusion(Unary.PROBABILITIES);
    Maps g = new Maps(2, 1, 1, new float[] {1f, -1f});
    assertEquals(0f, b15.backward(p, b15.forward(p, o), g).unary().data[0]);
  }
}
