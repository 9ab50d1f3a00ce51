package org.dpn4j.testing;

import java.util.Random;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.head.Window;

/** Heads with random weights, for the gradient tests of the head and of its training. */
public final class TestHeads {

  private TestHeads() {}

  /**
   * A 2D head of {@code labels} labels: b12 linear with a non-square even window (4 x 6: a wrong,
   * unmirrored backward fails), weights {@code 1 + 2 N(0, 1)} (one, or one per label); b13 with 2
   * components of {@code contextSize x contextSize}, weights {@code contextStd N(0, 1)}.
   */
  public static DpnHead random(int labels, boolean perLabel, int contextSize, double contextStd, Random rnd) {
    TriplePenalty b12 = new TriplePenalty(
        labels, TriplePenalty.Options.builder().window(Window.of(4, 6)).perLabelWeights(perLabel).build());
    for (float[] w : new float[][] {b12.wRgb(), b12.wXy()}) {
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (1 + 2 * rnd.nextGaussian());
      }
    }
    LabelContexts b13 = new LabelContexts(labels, 2, contextSize);
    gaussian(b13.weights(), contextStd, rnd);
    return new DpnHead(b12, b13);
  }

  /** Sets every entry of {@code w} to {@code std N(0, 1)}. */
  public static void gaussian(float[] w, double std, Random rnd) {
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (std * rnd.nextGaussian());
    }
  }
}
