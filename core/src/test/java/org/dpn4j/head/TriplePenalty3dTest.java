package org.dpn4j.head;

import org.dpn4j.testing.Cases;
import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Flow;
import org.dpn4j.video.NodeLinks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.dpn4j.value.Maps;
import org.dpn4j.head.TriplePenalty3d.Frames;
import org.dpn4j.head.TriplePenalty3d.Gradients;
import org.dpn4j.head.TriplePenalty3d.Neighbour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TriplePenalty3dTest {

  // ---- no temporal link: the 2D b12 ----------------------------------------------------------

  @Test
  void withoutTemporalLinksTheSumIsThe2dB12Exactly() {
    Random rnd = new Random(1);
    TriplePenalty b12 = linear(3, Window.of(4, 6), true, true);
    randomiseWeights(b12, rnd);
    int h = 9;
    int w = 14;
    TriplePenalty3d b12x3 = new TriplePenalty3d(b12);
    Maps q = TestMaps.uniform(3, h, w, rnd);
    Maps image = TestMaps.uniform(3, h, w, rnd);
    Maps g = TestMaps.uniform(9, h, w, rnd);
    Maps planar = b12.forward(q, image);
    TriplePenalty.Gradients planarGrads = b12.backward(q, image, TriplePenalty3d.frame(g, 0));
    // Dropped links everywhere (q~ = 0 with some colours) and missing neighbours (sequence ends).
    Neighbour dropped = new Neighbour(new Maps(3, h, w), TestMaps.uniform(3, h, w, rnd));
    for (Frames f : new Frames[] {new Frames(q, image, dropped, dropped), new Frames(q, image, null, null)}) {
      for (boolean fast : new boolean[] {true, false}) {
        Maps o = fast ? b12x3.forward(f) : b12x3.forwardReference(f);
        assertEquals(9, o.c);
        // Zero (of either sign: a negative weight times 0).
        assertArrayEquals(new float[3 * h * w], TriplePenalty3d.frame(o, -1).data, 0f);
        assertArrayEquals(new float[3 * h * w], TriplePenalty3d.frame(o, 1).data, 0f);
        if (fast) {
          assertArrayEquals(planar.data, TriplePenalty3d.sum(o).data);
        } else {
          assertTrue(TriplePenalty3d.sum(o).maxRelativeError(planar) < 1e-5);
        }
      }
      Gradients grads = b12x3.backward(f, g);
      assertArrayEquals(planarGrads.q().data, grads.q().data);
      assertArrayEquals(planarGrads.colourWeight(), grads.colourWeight());
      assertArrayEquals(planarGrads.positionWeight(), grads.positionWeight());
    }
  }

  @Test
  void aStillFrameLinkedWithZeroFlowRepeatsFrameT() {
    // Zero flow between identical frames: every link holds and the warped frame is frame t.
    Random rnd = new Random(2);
    int h = 8;
    int w = 11;
    Maps q = TestMaps.uniform(2, h, w, rnd);
    Maps image = TestMaps.uniform(3, h, w, rnd);
    NodeLinks links = NodeLinks.between(Flow.zeros(h, w), Flow.zeros(h, w));
    Neighbour same = Neighbour.warped(links, q, image);
    TriplePenalty3d b12x3 = new TriplePenalty3d(linear(2, Window.of(3, 5), true, false));
    Maps o = b12x3.forward(new Frames(q, image, same, null));
    assertArrayEquals(TriplePenalty3d.frame(o, 0).data, TriplePenalty3d.frame(o, -1).data, 1e-6f);
    assertArrayEquals(new float[2 * h * w], TriplePenalty3d.frame(o, 1).data);
  }

  // ---- the formula, fast vs reference ---------------------------------------------------------

  @Test
  void followsTheFormulaOfDesign() {
    // An independent evaluation of o^tau_j at every pixel, window 4x5 (dy -2..1, dx -2..2), per-label
    // weights, the self term off (it only skips z = j of frame t).
    Random rnd = new Random(3);
    int h = 6;
    int w = 8;
    TriplePenalty b12 = new TriplePenalty(2, linear(2, Window.of(4, 5), true, true).options().toBuilder().selfTerm(false).build());
    randomiseWeights(b12, rnd);
    Frames f = randomFrames(2, h, w, rnd);
    TriplePenalty3d b12x3 = new TriplePenalty3d(b12);
    Maps fast = b12x3.forward(f);
    Maps ref = b12x3.forwardReference(f);
    for (int tau = -1; tau <= 1; tau++) {
      Maps qn = tau == 0 ? f.q() : f.neighbour(tau).q();
      Maps in = tau == 0 ? f.image() : f.neighbour(tau).image();
      for (int v = 0; v < 2; v++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double expected = TriplePenaltyTest.formula4x5(b12, f.q(), f.image(), qn, in, tau != 0, v, y, x);
            int c = (tau + 1) * 2 + v;
            assertEquals(expected, ref.get(c, y, x), 1e-5, "reference tau " + tau);
            assertEquals(expected, fast.get(c, y, x), 1e-5, "fast tau " + tau);
          }
        }
      }
    }
  }

  static Stream<Arguments> shapesAndWindows() {
    // The 2D test's sizes but one pixel (a 1 x 1 frame has no neighbourhood to link).
    return Cases.product(TriplePenaltyTest.SHAPES.stream().filter(s -> s[0] * s[1] > 1).toList(),
        List.of("4x6", "5", "3x8", "2", "6x3", "40", "all"));
  }

  @ParameterizedTest(name = "{0} window {1}")
  @MethodSource("shapesAndWindows")
  void fastMatchesTheReferenceWithDifferentNeighbourImages(int[] shape, String window) {
    Random rnd = TriplePenaltyTest.seeded(shape, window);
    Frames f = randomFrames(3, shape[0], shape[1], rnd);
    for (boolean centre : new boolean[] {true, false}) {
      TriplePenalty3d b12x3 = new TriplePenalty3d(linear(3, Window.parse(window), centre, true));
      randomiseWeights(b12x3.b12(), rnd);
      Maps fast = b12x3.forward(f);
      Maps ref = b12x3.forwardReference(f);
      assertTrue(fast.maxRelativeError(ref) < 1e-5, "forward " + fast.maxRelativeError(ref));
      Maps g = TestMaps.uniform(9, shape[0], shape[1], rnd);
      Gradients gf = b12x3.backward(f, g);
      Gradients gr = b12x3.backwardReference(f, g);
      assertTrue(gf.q().maxRelativeError(gr.q()) < 1e-5, "dL/dq " + gf.q().maxRelativeError(gr.q()));
      assertTrue(gf.previous().maxRelativeError(gr.previous()) < 1e-5, "dL/dq~-1");
      assertTrue(gf.next().maxRelativeError(gr.next()) < 1e-5, "dL/dq~+1");
      assertArrayEquals(gr.colourWeight(), gf.colourWeight(), 1e-4f * (1 + Math.abs(gr.colourWeight()[0])));
      assertArrayEquals(gr.positionWeight(), gf.positionWeight(), 1e-4f * (1 + Math.abs(gr.positionWeight()[0])));
    }
  }

  @Test
  void gaussianKernelKeepsTheOtherFramesNodeAtZEqualsJ() {
    // With selfTerm=false the dense-CRF kernel skips z = j in frame t only: the fast path (lookup
    // table, exp for the warped colours) and the reference agree, and o^+1 changes with q~ at j.
    Random rnd = new Random(4);
    int h = 7;
    int w = 9;
    TriplePenalty b12 =
        new TriplePenalty(2, TriplePenaltyTest.gaussian(Window.of(4, 5), false).gaussianWidths(1.5, 4, 40).build());
    TriplePenalty3d b12x3 = new TriplePenalty3d(b12);
    Maps q = new Maps(2, h, w);
    Maps qn = new Maps(2, h, w);
    qn.set(1, 3, 4, 1f);
    Maps image = TestMaps.uniform(3, h, w, rnd);
    Frames f = new Frames(q, image, null, new Neighbour(qn, TestMaps.uniform(3, h, w, rnd)));
    Maps fast = b12x3.forward(f);
    assertTrue(fast.maxRelativeError(b12x3.forwardReference(f)) < 1e-6);
    assertTrue(fast.get(5, 3, 4) >= 3, "the node of frame t+1 at j counts: " + fast.get(5, 3, 4));
  }

  // ---- gradients ----------------------------------------------------------------------------

  static Stream<Arguments> gradientCases() {
    return Cases.product(List.of("4x6", "5", "3x8", "6x3"), Cases.BOTH, Cases.BOTH);
  }

  @ParameterizedTest(name = "window {0}, centre factor {1}, per-label weights {2}")
  @MethodSource("gradientCases")
  void gradientsMatchCentralDifferences(String window, boolean centre, boolean perLabel) {
    Random rnd = new Random(window.hashCode() + (centre ? 1 : 0) + (perLabel ? 2 : 0));
    TriplePenalty3d b12x3 = new TriplePenalty3d(linear(2, Window.parse(window), centre, perLabel));
    randomiseWeights(b12x3.b12(), rnd);
    int h = 6;
    int w = 7;
    Frames f = randomFrames(2, h, w, rnd);
    Maps g = TestMaps.uniform(6, h, w, rnd);
    for (boolean fast : new boolean[] {true, false}) {
      Gradients grads = fast ? b12x3.backward(f, g) : b12x3.backwardReference(f, g);
      String tag = fast ? "" : " (reference)";
      checkAgainstDifferences(b12x3, f, g, f.q().data, grads.q().data, "dL/dq_t" + tag);
      checkAgainstDifferences(b12x3, f, g, f.previous().q().data, grads.previous().data, "dL/dq~-1" + tag);
      checkAgainstDifferences(b12x3, f, g, f.next().q().data, grads.next().data, "dL/dq~+1" + tag);
      checkAgainstDifferences(b12x3, f, g, b12x3.b12().wRgb(), grads.colourWeight(), "dL/dw_rgb" + tag);
      checkAgainstDifferences(b12x3, f, g, b12x3.b12().wXy(), grads.positionWeight(), "dL/dw_xy" + tag);
    }
  }

  @Test
  void aMissingNeighbourHasNoGradientAndTheOthersStayExact() {
    Random rnd = new Random(6);
    Frames full = randomFrames(2, 5, 6, rnd);
    Frames f = new Frames(full.q(), full.image(), full.previous(), null);
    TriplePenalty3d b12x3 = new TriplePenalty3d(linear(2, Window.of(4, 6), true, false));
    Maps g = TestMaps.uniform(6, 5, 6, rnd);
    Gradients grads = b12x3.backward(f, g);
    assertNull(grads.next());
    checkAgainstDifferences(b12x3, f, g, f.q().data, grads.q().data, "dL/dq_t");
    checkAgainstDifferences(b12x3, f, g, f.previous().q().data, grads.previous().data, "dL/dq~-1");
    checkAgainstDifferences(b12x3, f, g, b12x3.b12().wRgb(), grads.colourWeight(), "dL/dw_rgb");
  }

  /**
   * Central differences of L = sum g o, exact up to rounding (o is quadratic in q_t and linear in q~
   * and the weights).
   */
  private static void checkAgainstDifferences(
      TriplePenalty3d b12x3, Frames f, Maps g, float[] x, float[] analytic, String what) {
    double[] fd = FiniteDifferences.centralAll(x, 0.25f, () -> FiniteDifferences.dot(g, b12x3.forward(f)));
    FiniteDifferences.assertRelative(fd, analytic, 2e-4, what);
  }

  // ---- errors --------------------------------------------------------------------------------

  @Test
  void badInputsGiveClearErrors() {
    TriplePenalty3d b12x3 = new TriplePenalty3d(linear(3, Window.of(3), true, false));
    Maps q = new Maps(3, 4, 5);
    Maps image = new Maps(3, 4, 5);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b12x3.forward(new Frames(q, image, new Neighbour(new Maps(3, 4, 6), image), null)));
    assertTrue(e.getMessage().contains("neighbour frame's q"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b12x3.forward(new Frames(q, image, null, new Neighbour(q, new Maps(1, 4, 5)))));
    assertTrue(e.getMessage().contains("neighbour frame's image"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b12x3.backward(new Frames(q, image, null, null), q));
    assertTrue(e.getMessage().contains("3L = 9"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TriplePenalty3d.frame(new Maps(9, 4, 5), 2));
    assertTrue(e.getMessage().contains("tau"), e.getMessage());
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The linear b12 with the default normalisation (on). */
  private static TriplePenalty linear(int labels, Window win, boolean centre, boolean perLabel) {
    return TriplePenaltyTest.linear(labels, win, centre, true, perLabel);
  }

  private static void randomiseWeights(TriplePenalty b12, Random rnd) {
    TriplePenaltyTest.randomiseWeights(b12, rnd);
  }

  /** Frame t and two neighbours with their own q and colours (as if warped with some links dropped). */
  static Frames randomFrames(int labels, int h, int w, Random rnd) {
    Neighbour[] n = new Neighbour[2];
    for (int i = 0; i < 2; i++) {
      Maps q = TestMaps.uniform(labels, h, w, rnd);
      Maps image = TestMaps.uniform(3, h, w, rnd);
      for (int p = 0; p < h * w; p += 5) {
        for (int k = 0; k < labels; k++) {
          q.data[k * h * w + p] = 0;
        }
        for (int k = 0; k < 3; k++) {
          image.data[k * h * w + p] = 0;
        }
      }
      n[i] = new Neighbour(q, image);
    }
    return new Frames(TestMaps.uniform(labels, h, w, rnd), TestMaps.uniform(3, h, w, rnd), n[0], n[1]);
  }

}
