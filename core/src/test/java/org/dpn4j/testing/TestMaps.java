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

  /** A pixel's value from its map and position, for {@link #of}. */
  @FunctionalInterface
  public interface Pixel {
    /** The value of map c at (y, x). */
    float at(int c, int y, int x);
  }

  /** {@code c x h x w} maps of {@code f}'s values, drawn map by map, row by row. */
  public static Maps of(int c, int h, int w, Pixel f) {
    Maps m = new Maps(c, h, w);
    for (int k = 0; k < c; k++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          m.set(k, y, x, f.at(k, y, x));
        }
      }
    }
    return m;
  }

  /**
   * {@code labels x h x w} probabilities: at each pixel a softmax of {@code spread} times standard
   * normal logits, mixed with the uniform distribution by {@code uniformShare} (which then bounds
   * every probability from below by uniformShare / labels).
   */
  public static Maps probabilities(int labels, int h, int w, double spread, double uniformShare, Random rnd) {
    Maps p = new Maps(labels, h, w);
    int plane = h * w;
    double[] e = new double[labels];
    for (int i = 0; i < plane; i++) {
      double sum = 0;
      for (int v = 0; v < labels; v++) {
        e[v] = Math.exp(spread * rnd.nextGaussian());
        sum += e[v];
      }
      for (int v = 0; v < labels; v++) {
        p.data[v * plane + i] = (float) ((1 - uniformShare) * e[v] / sum + uniformShare / labels);
      }
    }
    return p;
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
