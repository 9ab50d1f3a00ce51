package org.dpn4j.testing;

import java.util.Random;
import org.dpn4j.value.Maps;

/** Random {@link Maps} for tests, seeded by the caller so every run draws the same values. */
public final class TestMaps {

  private TestMaps() {}

  /** {@code c x h x w} maps of values uniform in [0, 1). */
  public static Maps uniform(int c, int h, int w, Random rnd) {
    Maps m = new Maps(c, h, w);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = rnd.nextFloat();
    }
    return m;
  }

  /** {@code c x h x w} maps of standard normal values. */
  public static Maps gaussian(int c, int h, int w, Random rnd) {
    Maps m = new Maps(c, h, w);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = (float) rnd.nextGaussian();
    }
    return m;
  }

  /**
   * A noisy unary's probabilities at one pixel, as the training tests simulate it: the softmax over
   * {@code labels} of {@code bias} at {@code truth} plus standard normal noise, drawn from {@code rnd}
   * label by label.
   */
  public static double[] noisySoftmax(int labels, int truth, double bias, Random rnd) {
    double[] z = new double[labels];
    double sum = 0;
    for (int v = 0; v < labels; v++) {
      z[v] = Math.exp((v == truth ? bias : 0) + rnd.nextGaussian());
      sum += z[v];
    }
    for (int v = 0; v < labels; v++) {
      z[v] /= sum;
    }
    return z;
  }
}
