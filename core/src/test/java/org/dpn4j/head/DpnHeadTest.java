package org.dpn4j.head;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.testing.TestHeads;
import org.dpn4j.testing.TestMaps;
import org.junit.jupiter.api.Test;

/** b12 -> b13 -> b14 -> b15 chained, against finite differences of the loss sum(r * P). */
class DpnHeadTest {

  private static final int LABELS = 3;
  private static final int H = 7;
  private static final int W = 9;

  private final Random rnd = new Random(11);

  private Maps probabilities() {
    return TestMaps.probabilities(LABELS, H, W, 1.5, 0, rnd);
  }

  /** A head with a non-square even window (a wrong, unmirrored backward fails) and random weights. */
  private DpnHead randomHead(boolean perLabel) {
    return TestHeads.random(LABELS, perLabel, 4, 3, rnd);
  }

  /** A flat left part and a sharp edge to a noisy right part. */
  private Maps image() {
    return TestMaps.of(3, H, W, (c, y, x) -> x < W / 2 ? 0.2f : 0.9f - 0.3f * rnd.nextFloat());
  }

  @Test
  void chainedGradientsMatchFiniteDifferences() {
    for (boolean perLabel : new boolean[] {false, true}) {
      DpnHead head = randomHead(perLabel);
      Maps p = probabilities();
      Maps img = image();
      Maps r = TestMaps.gaussian(LABELS, H, W, rnd);
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
      double fd = FiniteDifferences.central(x, i, 1e-3f * Math.max(1, Math.abs(x[i])),
          () -> FiniteDifferences.dot(r, head.forward(p, img).b15()));
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
