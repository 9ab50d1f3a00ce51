package org.dpn4j.head;

import org.dpn4j.testing.Cases;
import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.testing.RestoresThreads;
import org.dpn4j.testing.TestHeads;
import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.dpn4j.head.TriplePenalty.Gradients;
import org.dpn4j.head.TriplePenalty.Kernel;
import org.dpn4j.head.TriplePenalty.Options;
import org.dpn4j.head.TriplePenalty.Parts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(RestoresThreads.class)
class TriplePenaltyTest {

  // ---- fast vs reference -------------------------------------------------------------------

  /** Image sizes {h, w}: odd, even, one row or column, one pixel. */
  static final List<int[]> SHAPES = List.of(new int[] {7, 13}, new int[] {23, 17}, new int[] {1, 19},
      new int[] {19, 1}, new int[] {1, 1}, new int[] {12, 12});

  /** A generator seeded by a case's image size and window. */
  static Random seeded(int[] shape, String window) {
    return new Random(shape[0] * 31 + shape[1] + window.hashCode());
  }

  static Stream<Arguments> shapesAndWindows() {
    return Cases.product(SHAPES, List.of("4x6", "5", "3x8", "1", "2", "6x3", "40", "all"));
  }

  @ParameterizedTest(name = "{0} window {1}")
  @MethodSource("shapesAndWindows")
  void fastPartsMatchTheReferenceLoop(int[] shape, String window) {
    int h = shape[0];
    int w = shape[1];
    Random rnd = seeded(shape, window);
    Maps q = TestMaps.uniform(3, h, w, rnd);
    Maps image = edgeImage(h, w, rnd);
    for (boolean normalise : new boolean[] {true, false}) {
      TriplePenalty b12 = linear(3, Window.parse(window), true, normalise, false);
      Parts fast = b12.parts(q, image);
      Parts ref = b12.partsReference(q, image);
      assertTrue(fast.colour().maxRelativeError(ref.colour()) < 1e-5, "colour " + fast.colour().maxRelativeError(ref.colour()));
      assertTrue(fast.position().maxRelativeError(ref.position()) < 1e-5, "position " + fast.position().maxRelativeError(ref.position()));
    }
  }

  @Test
  void fastForwardMatchesTheReferenceForEverySwitch() {
    Random rnd = new Random(5);
    Maps q = TestMaps.uniform(4, 11, 9, rnd);
    Maps image = edgeImage(11, 9, rnd);
    for (int mask = 0; mask < 16; mask++) {
      Options o =
          Options.builder()
              .window(Window.of(4, 7))
              .centreFactor((mask & 1) != 0)
              .normalise((mask & 2) != 0)
              .perLabelWeights((mask & 4) != 0)
              .selfTerm((mask & 8) != 0)
              .build();
      TriplePenalty b12 = new TriplePenalty(4, o);
      randomiseWeights(b12, rnd);
      assertFastIsTheReference(b12, q, image);
    }
  }

  @Test
  void referenceFollowsTheFormulaOfDesign() {
    // An independent evaluation of o_j^v from DESIGN.md at a few pixels, window 4x5 (dy -2..1, dx -2..2).
    TriplePenalty b12 = linear(2, Window.of(4, 5), true, true, true);
    b12.wRgb()[0] = 0.7f;
    b12.wRgb()[1] = -1.3f;
    b12.wXy()[0] = 2.0f;
    b12.wXy()[1] = 0.4f;
    Random rnd = new Random(9);
    int h = 6;
    int w = 8;
    Maps q = TestMaps.uniform(2, h, w, rnd);
    Maps image = edgeImage(h, w, rnd);
    Maps fast = b12.forward(q, image);
    Maps ref = b12.forwardReference(q, image);
    for (int v = 0; v < 2; v++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double expected = formula4x5(b12, q, image, q, image, true, v, y, x);
          assertEquals(expected, ref.get(v, y, x), 1e-5);
          assertEquals(expected, fast.get(v, y, x), 1e-5);
        }
      }
    }
  }

  @Test
  void colourOfCentreAndNeighbourMayComeFromDifferentImages() {
    Random rnd = new Random(3);
    Maps q = TestMaps.uniform(2, 9, 14, rnd);
    Maps centre = edgeImage(9, 14, rnd);
    Maps neighbour = TestMaps.uniform(3, 9, 14, rnd);
    for (Window win : new Window[] {Window.of(4, 6), Window.of(5, 3), Window.of(9, 30)}) {
      double[][] fast = sums(new BoxSumFilter(centre, neighbour, true), q, win);
      double[][] ref =
          sums(new WindowedFilter(WindowedFilter.linear(centre, neighbour), true, true), q, win);
      for (int p = 0; p < 2; p++) {
        for (int i = 0; i < fast[p].length; i++) {
          assertEquals(ref[p][i], fast[p][i], 1e-9 * (1 + Math.abs(ref[p][i])), "window " + win);
        }
      }
    }
  }

  @Test
  void buffersCarryNothingFromAnEarlierCall() {
    // The per-thread buffers of a wider earlier call (one thread: the same buffers) must not leak
    // into this one; a window one row tall leaves them full of that call's rows.
    Random rnd = new Random(8);
    org.dpn4j.util.Parallel.setThreads(1);
    linear(2, Window.of(1, 3), true, true, false).forward(TestMaps.uniform(2, 6, 13, rnd), TestMaps.uniform(3, 6, 13, rnd));
    TriplePenalty b12 = linear(2, Window.of(3, 4), true, true, false);
    assertFastIsTheReference(b12, TestMaps.uniform(2, 6, 10, rnd), TestMaps.uniform(3, 6, 10, rnd));
  }

  @Test
  void selfTermOfTheLinearPenaltyIsZero() {
    Random rnd = new Random(4);
    Maps q = TestMaps.uniform(2, 8, 8, rnd);
    Maps image = edgeImage(8, 8, rnd);
    TriplePenalty with = linear(2, Window.of(3), true, true, false);
    TriplePenalty without = new TriplePenalty(2, with.options().toBuilder().selfTerm(false).build());
    assertTrue(with.forwardReference(q, image).maxRelativeError(without.forwardReference(q, image)) < 1e-7);
  }

  // ---- gradients ---------------------------------------------------------------------------

  static Stream<Arguments> gradientCases() {
    return Cases.product(List.of("4x6", "4", "5", "3x8", "6x3", "all"), Cases.BOTH, Cases.BOTH);
  }

  @ParameterizedTest(name = "window {0}, centre factor {1}, per-label weights {2}")
  @MethodSource("gradientCases")
  void linearGradientsMatchCentralDifferences(String window, boolean centre, boolean perLabel) {
    Random rnd = new Random(window.hashCode() + (centre ? 1 : 0) + (perLabel ? 2 : 0));
    TriplePenalty b12 = linear(2, Window.parse(window), centre, true, perLabel);
    randomiseWeights(b12, rnd);
    checkGradients(b12, 2, 6, 7, rnd);
  }

  @ParameterizedTest(name = "self term {0}, centre factor {1}, per-label weights {2}")
  @MethodSource("gaussianCases")
  void gaussianGradientsMatchCentralDifferences(boolean selfTerm, boolean centre, boolean perLabel) {
    Random rnd = new Random((selfTerm ? 1 : 0) + (centre ? 2 : 0) + (perLabel ? 4 : 0));
    Options o = gaussian(Window.of(4, 5), selfTerm).centreFactor(centre).normalise(true)
        .perLabelWeights(perLabel).gaussianWidths(1.5, 4, 40).build();
    TriplePenalty b12 = new TriplePenalty(2, o);
    randomiseWeights(b12, rnd);
    checkGradients(b12, 2, 6, 7, rnd);
  }

  static Stream<Arguments> gaussianCases() {
    return Cases.product(Cases.BOTH, Cases.BOTH, Cases.BOTH);
  }

  @Test
  void fastBackwardMatchesTheReferenceBackward() {
    TriplePenalty b12 = linear(3, Window.of(6, 5), true, true, true);
    Random rnd = new Random(11);
    Maps q = TestMaps.uniform(3, 13, 10, rnd);
    Maps image = edgeImage(13, 10, rnd);
    Maps g = TestMaps.uniform(3, 13, 10, rnd);
    randomiseWeights(b12, rnd);
    Gradients fast = b12.backward(q, image, g);
    Gradients ref = b12.backwardReference(q, image, g);
    assertTrue(fast.q().maxRelativeError(ref.q()) < 1e-5);
    assertArrayEquals(ref.colourWeight(), fast.colourWeight(), 1e-4f);
    assertArrayEquals(ref.positionWeight(), fast.positionWeight(), 1e-4f);
  }

  /** Central differences of L = sum g o (exact for b12, which is quadratic in q and linear in w). */
  private static void checkGradients(TriplePenalty b12, int labels, int h, int w, Random rnd) {
    Maps q = TestMaps.uniform(labels, h, w, rnd);
    Maps image = edgeImage(h, w, rnd);
    Maps g = TestMaps.uniform(labels, h, w, rnd);
    Gradients grads = b12.backward(q, image, g);
    Gradients refGrads = b12.backwardReference(q, image, g);
    DoubleSupplier loss = () -> FiniteDifferences.dot(g, b12.forward(q, image));
    double[] fdQ = FiniteDifferences.centralAll(q.data, 0.25f, loss);
    FiniteDifferences.assertRelative(fdQ, grads.q().data, 2e-4, "dL/dq");
    FiniteDifferences.assertRelative(fdQ, refGrads.q().data, 2e-4, "dL/dq (reference)");
    FiniteDifferences.assertRelative(FiniteDifferences.centralAll(colourWeights(b12), 0.25f, loss),
        grads.colourWeight(), 2e-4, "dL/dw colour");
    FiniteDifferences.assertRelative(FiniteDifferences.centralAll(positionWeights(b12), 0.25f, loss),
        grads.positionWeight(), 2e-4, "dL/dw position");
  }

  private static float[] colourWeights(TriplePenalty b12) {
    return b12.options().kernel() == Kernel.LINEAR ? b12.wRgb() : b12.wB();
  }

  private static float[] positionWeights(TriplePenalty b12) {
    return b12.options().kernel() == Kernel.LINEAR ? b12.wXy() : b12.wG();
  }

  // ---- Gaussian kernel ---------------------------------------------------------------------

  @Test
  void gaussianLookupTableMatchesDirectExpForIntegerColours() {
    Random rnd = new Random(21);
    int h = 9;
    int w = 12;
    Maps image = new Maps(3, h, w);
    for (int i = 0; i < image.data.length; i++) {
      image.data[i] = (i % 7 == 0 ? 200 : rnd.nextInt(256)) / 255f;
    }
    Maps q = TestMaps.uniform(3, h, w, rnd);
    for (int mask = 0; mask < 16; mask++) {
      Options o =
          Options.builder()
              .kernel(Kernel.GAUSSIAN)
              .window((mask & 8) != 0 ? Window.all() : Window.of(6, 3))
              .selfTerm((mask & 1) != 0)
              .centreFactor((mask & 2) != 0)
              .normalise((mask & 4) != 0)
              .build();
      assertFastIsTheReference(new TriplePenalty(3, o), q, image);
    }
  }

  @Test
  void gaussianFollowsTheDenseCrfKernel() {
    Random rnd = new Random(22);
    Maps image = TestMaps.uniform(3, 5, 6, rnd);
    Maps q = TestMaps.uniform(1, 5, 6, rnd);
    int h = q.h;
    int w = q.w;
    TriplePenalty b12 = new TriplePenalty(1, gaussian(Window.all(), false).build());
    Maps o = b12.forward(q, image);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int zy = 0; zy < h; zy++) {
          for (int zx = 0; zx < w; zx++) {
            if (zy == y && zx == x) {
              continue;
            }
            double d2 = (zy - y) * (zy - y) + (zx - x) * (zx - x);
            double c2 = 0;
            for (int k = 0; k < 3; k++) {
              double d = 255.0 * (image.get(k, y, x) - image.get(k, zy, zx));
              c2 += d * d;
            }
            double k = 3 * Math.exp(-d2 / (2 * 3 * 3)) + 10 * Math.exp(-d2 / (2 * 80 * 80) - c2 / (2 * 13 * 13));
            s += k * q.get(0, zy, zx);
          }
        }
        assertEquals(s, o.get(0, y, x), 1e-4 * (1 + Math.abs(s)));
      }
    }
  }

  // ---- initial values, window resolution, errors ------------------------------------------

  @Test
  void initialValuesAreThoseOfDesign() {
    TriplePenalty b12 = new TriplePenalty(21, Options.defaults());
    assertArrayEquals(new float[] {1}, b12.wRgb());
    assertArrayEquals(new float[] {1}, b12.wXy());
    TriplePenalty perLabel = new TriplePenalty(4, Options.builder().perLabelWeights(true).build());
    assertArrayEquals(new float[] {1, 1, 1, 1}, perLabel.wRgb());
    assertArrayEquals(new float[] {1, 1, 1, 1}, perLabel.wXy());
    TriplePenalty g = new TriplePenalty(3, Options.builder().kernel(Kernel.GAUSSIAN).build());
    assertArrayEquals(new float[] {3}, g.wG());
    assertArrayEquals(new float[] {10}, g.wB());
    assertThrows(IllegalStateException.class, g::wRgb);
    Options d = Options.defaults();
    assertTrue(d.centreFactor() && d.selfTerm() && d.normalise() && !d.perLabelWeights());
    assertEquals(Kernel.LINEAR, d.kernel());
    assertEquals(Window.scaled(50, 512), d.window());
    assertEquals(Window.of(50), b12.windowFor(512, 512));
    assertEquals(Window.of(47), b12.windowFor(360, 480));
  }

  @Test
  void badInputsGiveClearErrors() {
    TriplePenalty b12 = new TriplePenalty(3, Options.builder().window(Window.of(3)).build());
    Maps q = new Maps(3, 4, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b12.forward(q, new Maps(3, 4, 6)));
    assertTrue(e.getMessage().contains("4x6"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b12.forward(q, new Maps(1, 4, 5)));
    assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b12.forward(new Maps(2, 4, 5), new Maps(3, 4, 5)));
    assertTrue(e.getMessage().contains("3 label maps"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b12.backward(q, new Maps(3, 4, 5), new Maps(3, 5, 5)));
    assertTrue(e.getMessage().contains("gradient"), e.getMessage());
  }

  // ---- helpers (also used by TriplePenalty3dTest) ----------------------------------------------

  static TriplePenalty linear(int labels, Window win, boolean centre, boolean normalise, boolean perLabel) {
    return new TriplePenalty(
        labels,
        Options.builder()
            .window(win)
            .centreFactor(centre)
            .normalise(normalise)
            .perLabelWeights(perLabel)
            .build());
  }

  /** The dense CRF's kernel as b12: Gaussian, no centre factor, no normalisation. */
  static TriplePenalty.Builder gaussian(Window win, boolean selfTerm) {
    return Options.builder().kernel(Kernel.GAUSSIAN).window(win).centreFactor(false).normalise(false).selfTerm(selfTerm);
  }

  /**
   * DESIGN.md's o_j^v of the linear b12 with window 4x5 (dy -2..1, dx -2..2, normalised by its 20
   * offsets), evaluated directly at j = (y, x): the centre's colour from {@code image}, the
   * neighbours' q and colours from {@code qn} and {@code in} (another frame's, in 3D); {@code self}:
   * whether z = j counts.
   */
  static double formula4x5(TriplePenalty b12, Maps q, Maps image, Maps qn, Maps in, boolean self, int v, int y, int x) {
    double s = 0;
    for (int dy = -2; dy <= 1; dy++) {
      for (int dx = -2; dx <= 2; dx++) {
        int zy = y + dy;
        int zx = x + dx;
        if (zy < 0 || zy >= q.h || zx < 0 || zx >= q.w || (!self && dy == 0 && dx == 0)) {
          continue;
        }
        double col = 0;
        for (int k = 0; k < 3; k++) {
          double d = image.get(k, y, x) - in.get(k, zy, zx);
          col += d * d / 3;
        }
        double pos = dx * dx / (2 * 2.5 * 2.5) + dy * dy / (2 * 2.0 * 2.0);
        s += (b12.wRgb()[v] * col + b12.wXy()[v] * pos) * qn.get(v, zy, zx);
      }
    }
    return q.get(v, y, x) * s / 20;
  }

  /** b12's fast forward equals its reference loop (relative error under 1e-5). */
  static void assertFastIsTheReference(TriplePenalty b12, Maps q, Maps image) {
    Maps fast = b12.forward(q, image);
    Maps ref = b12.forwardReference(q, image);
    assertTrue(fast.maxRelativeError(ref) < 1e-5, b12.options() + ": " + fast.maxRelativeError(ref));
  }

  static void randomiseWeights(TriplePenalty b12, Random rnd) {
    TestHeads.gaussian(colourWeights(b12), 2, rnd);
    TestHeads.gaussian(positionWeights(b12), 2, rnd);
  }

  private static double[][] sums(PenaltyFilter f, Maps q, Window win) {
    double[][] out = new double[2][q.data.length];
    f.apply(
        q,
        win,
        (v, y, colour, position) -> {
          System.arraycopy(colour, 0, out[0], q.offset(v) + y * q.w, q.w);
          System.arraycopy(position, 0, out[1], q.offset(v) + y * q.w, q.w);
        });
    return out;
  }

  /** A flat region (left), a sharp vertical edge, random colours in the rest. */
  static Maps edgeImage(int h, int w, Random rnd) {
    return TestMaps.of(3, h, w, (k, y, x) -> x < w / 3 ? 0.2f + 0.3f * k : x < 2 * w / 3 ? 0.95f : rnd.nextFloat());
  }
}
