package org.dpn4j.head;

import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.testing.TestHeads;
import org.dpn4j.testing.TestMaps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.dpn4j.value.Maps;
import org.dpn4j.head.TriplePenalty3d.Frames;
import org.dpn4j.head.TriplePenalty3d.Neighbour;
import org.junit.jupiter.api.Test;

/** The 3D head, b12 3D -> b13 3D -> b14 -> b15: against the 2D head and finite differences. */
class DpnHead3dTest {

  private static final int LABELS = 3;
  private static final int H = 11;
  private static final int W = 13;

  private final Random rnd = new Random(21);

  /** A 2D head with a non-square even window, per-label b12 weights and random contexts. */
  private DpnHead randomHead(int contextSize) {
    return TestHeads.random(LABELS, true, contextSize, 1, rnd);
  }

  /**
   * Mixed with the uniform distribution: p >= 0.03, so that p - eps stays clear of b15's clamp and
   * of the steep part of ln p in the finite differences.
   */
  private Maps probabilities() {
    return TestMaps.probabilities(LABELS, H, W, 1.5, 0.1, rnd);
  }

  private Maps image() {
    return TestMaps.uniform(3, H, W, rnd);
  }

  @Test
  void withoutLinksAndTheWhole2dContextsItIsThe2dHead() {
    DpnHead planar = randomHead(9);
    DpnHead3d head = DpnHead3d.from(planar, 9);
    Maps p = probabilities();
    Maps img = image();
    Maps expected = planar.refine(p, img);
    Neighbour dropped = new Neighbour(new Maps(LABELS, H, W), image());
    for (Frames f : new Frames[] {new Frames(p, img, null, null), new Frames(p, img, dropped, dropped)}) {
      assertTrue(head.refine(f).maxRelativeError(expected) < 1e-5, "refine " + head.refine(f).maxRelativeError(expected));
      DpnHead3d.Stages s = head.forward(f);
      DpnHead.Stages s2 = planar.forward(p, img);
      assertTrue(s.b14().maxRelativeError(s2.b14()) < 1e-5, "b14");
      assertTrue(s.b15().maxRelativeError(s2.b15()) < 1e-5, "b15");
    }
    // The 3D head holds copies: training it leaves the 2D head alone.
    head.b12().b12().wRgb()[0] += 1;
    assertNotEquals(head.b12().b12().wRgb()[0], planar.b12().wRgb()[0]);
  }

  @Test
  void theDefault7x7x3ContextsDifferFromThe2dHeadOnlyByTheCrop() {
    DpnHead planar = randomHead(9);
    DpnHead3d head = DpnHead3d.from(planar, LabelContexts3d.DEFAULT_SIZE);
    // Zero the 2D taps outside the central 7 x 7: then both heads are the same again.
    float[] w = planar.b13().weights();
    for (int i = 0; i < w.length; i++) {
      int sy = i / 9 % 9;
      int sx = i % 9;
      if (sy == 0 || sy == 8 || sx == 0 || sx == 8) {
        w[i] = 0;
      }
    }
    Maps p = probabilities();
    Maps img = image();
    assertTrue(head.refine(new Frames(p, img, null, null)).maxRelativeError(planar.refine(p, img)) < 1e-5);
  }

  @Test
  void chainedGradientsMatchFiniteDifferences() {
    DpnHead3d head = DpnHead3d.from(randomHead(4), 4);
    TestHeads.gaussian(head.b13().weights(), 1, rnd);
    Maps p = probabilities();
    Frames f =
        new Frames(
            p, image(), new Neighbour(probabilities(), image()), new Neighbour(probabilities(), image()));
    Maps r = TestMaps.uniform(LABELS, H, W, rnd);
    DpnHead3d.Gradients g = head.backward(f, head.forward(f), r);
    assertArrayEquals(head.forward(f).b15().data, head.refine(f).data, 1e-5f);
    check(head, f, r, p.data, g.p().data, 1, "p_t");
    check(head, f, r, f.previous().q().data, g.b12().previous().data, 1, "q~-1");
    check(head, f, r, f.next().q().data, g.b12().next().data, 1, "q~+1");
    check(head, f, r, head.b12().b12().wRgb(), g.b12().colourWeight(), 1, "w_rgb");
    check(head, f, r, head.b12().b12().wXy(), g.b12().positionWeight(), 1, "w_xy");
    check(head, f, r, head.b13().weights(), g.b13().weights(), 7, "b13 weights");
  }

  private static void check(DpnHead3d head, Frames f, Maps r, float[] x, float[] grad, int stride, String what) {
    assertEquals(x.length, grad.length, what + ": gradient length");
    for (int i = 0; i < x.length; i += stride) {
      float eps = 1e-3f * Math.max(1, Math.abs(x[i]));
      double fd = FiniteDifferences.central(x, i, eps, () -> FiniteDifferences.dot(r, head.forward(f).b15()));
      assertEquals(fd, grad[i], 5e-3 * Math.max(1, Math.abs(fd)), what + " [" + i + "] at " + x[i] + " eps " + eps);
    }
  }
}
