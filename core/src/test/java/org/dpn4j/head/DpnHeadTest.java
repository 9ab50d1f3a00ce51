package org.dpn4j.head;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** b12 -> b13 -> b14 -> b15 chained, against finite differences of the loss sum(r * P). */
class DpnHeadTest {

  private static final int LABELS = 3;
  private static final int H = 7;
  private static final int W = 9;

  private final Random rnd = new Random(11);

  /** A head with a non-square even window (a wrong, unmirrored backward fails) and random weights. */
  private DpnHead randomHead(boolean perLabel) {
    TriplePenalty.Options opts =
        TriplePenalty.Options.builder().window(Window.of(4, 6)).perLabelWeights(perLabel).build();
    TriplePenalty b12 = new TriplePenalty(LABELS, opts);
    for (float[] w : new float[][] {b12.wRgb(), b12.wXy()}) {
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (1 + 2 * rnd.nextGaussian());
      }
    }
    LabelContexts b13 = new LabelContexts(LABELS, 2, 4);
    float[] k = b13.weights();
    for (int i = 0; i < k.length; i++) {
      k[i] = (float) (3 * rnd.nextGaussian());
    }
    return new DpnHead(b12, b13);
  }

  private Maps probabilities() {
    Maps p = new Maps(LABELS, H, W);
    for (int i = 0; i < H * W; i++) {
      double sum = 0;
      for (int v = 0; v < LABELS; v++) {
        double e = Math.exp(1.5 * rnd.nextGaussian());
        p.data[v * H * W + i] = (float) e;
        sum += e;
      }
      for (int v = 0; v < LABELS; v++) {
        p.data[v * H * W + i] /= sum;
      }
    }
    return p;
  }

  /** A flat left part and a sharp edge to a noisy right part. */
  private Maps image() {
    Maps img = new Maps(3, H, W);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          img.set(c, y, x, x < W / 2 ? 0.2f : 0.9f - 0.3f * rnd.nextFloat());
        }
      }
    }
    return img;
  }

  private static double loss(DpnHead head, Maps p, Maps image, Maps r) {
    Maps out = head.forward(p, image).b15();
    double s = 0;
    for (int i = 0; i < r.data.length; i++) {
      s += (double) r.data[i] * out.data[i];
    }
    return s;
  }

  @Test
  void chainedGradientsMatchFiniteDifferences() {
    for (boolean perLabel : new boolean[] {false, true}) {
      DpnHead head = randomHead(perLabel);
      Maps p = probabilities();
      Maps img = image();
      Maps r = new Maps(LABELS, H, W);
      for (int i = 0; i < r.data.length; i++) {
        r.data[i] = (float) rnd.nextGaussian();
      }
      DpnHead.Gradients g = head.backward(p, img, head.forward(p, img), r);
      String tag = perLabel ? " (per-label b12 weights)" : "";
      check(head, p, img, r, p.data, g.p().data, 1, "p" + tag);
      check(head, p, img, r, head.b12().wRgb(), g.b12().colourWeight(), 1, "w_rgb" + tag);
      check(head, p, img, r, head.b12().wXy(), g.b12().positionWeight(), 1, "w_xy" + tag);
      check(head, p, img, r, head.b13().weights(), g.b13().weights(), 3, "b13 weights" + tag);
    }
  }

  private static void check(
      DpnHead head, Maps p, Maps img, Maps r, float[] x, float[] grad, int stride, String what) {
    assertEquals(x.length, grad.length, what + ": gradient length");
    for (int i = 0; i < x.length; i += stride) {
      float v = x[i];
      float eps = 1e-3f * Math.max(1, Math.abs(v));
      x[i] = v + eps;
      double plus = loss(head, p, img, r);
      x[i] = v - eps;
      double minus = loss(head, p, img, r);
      x[i] = v;
      double fd = (plus - minus) / (2 * eps);
      assertEquals(fd, grad[i], 5e-3 * Math.max(1, Math.abs(fd)), what + " [" + i + "]");
    }
  }

  @Test
  void refineEqualsTheLastStageAndInitialHeadIsSoftmaxOfLogPMinusB12() {
    Maps p = probabilities();
    Maps img = image();
    DpnHead head = randomHead(false);
    assertArrayEquals(head.forward(p, img).b15().data, head.refine(p, img).data, 1e-6f);

    // With identity contexts b14 = b12's output, so P = softmax(ln p - o).
    DpnHead initial =
        new DpnHead(
            new TriplePenalty(LABELS, TriplePenalty.Options.builder().window(Window.of(5)).build()),
            new LabelContexts(LABELS));
    DpnHead.Stages s = initial.forward(p, img);
    assertArrayEquals(s.b12().data, s.b14().data, 1e-5f); // b13 by FFT: equal to rounding
    for (int i = 0; i < H * W; i++) {
      double[] logits = new double[LABELS];
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < LABELS; v++) {
        logits[v] = Math.log(p.data[v * H * W + i]) - s.b12().data[v * H * W + i];
        max = Math.max(max, logits[v]);
      }
      double sum = 0;
      for (double l : logits) {
        sum += Math.exp(l - max);
      }
      for (int v = 0; v < LABELS; v++) {
        assertEquals(Math.exp(logits[v] - max) / sum, s.b15().data[v * H * W + i], 1e-5, "P at " + i);
      }
    }
  }

  @Test
  void mismatchedLayersAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DpnHead(new TriplePenalty(3, TriplePenalty.Options.defaults()), new LabelContexts(4)));
    assertEquals("b12 has 3 labels but b13 has 4", e.getMessage());
  }
}
