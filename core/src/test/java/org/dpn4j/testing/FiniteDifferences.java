package org.dpn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.dpn4j.value.Maps;

/**
 * What the tests of hand-written backward passes share: the central difference of a scalar loss,
 * the loss {@code sum(g * out)} whose gradient w.r.t. out is g, and the comparison of whole arrays.
 */
public final class FiniteDifferences {

  private FiniteDifferences() {}

  /**
   * {@code (L(x_i + eps) - L(x_i - eps)) / 2 eps} with {@code loss} evaluated after each change of
   * {@code x[i]}; x[i] is restored after.
   */
  public static double central(float[] x, int i, float eps, DoubleSupplier loss) {
    float keep = x[i];
    x[i] = keep + eps;
    double up = loss.getAsDouble();
    x[i] = keep - eps;
    double down = loss.getAsDouble();
    x[i] = keep;
    return (up - down) / (2 * eps);
  }

  /** The central difference of every entry of {@code x}, in order. */
  public static double[] centralAll(float[] x, float eps, DoubleSupplier loss) {
    double[] fd = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      fd[i] = central(x, i, eps, loss);
    }
    return fd;
  }

  /** {@code sum(g * out)} in double: the loss whose gradient w.r.t. {@code out} is {@code g}. */
  public static double dot(Maps g, Maps out) {
    return dot(g.data, out.data);
  }

  /** {@code sum(a * b)} in double. */
  public static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /**
   * Asserts {@code max |expected - actual| <= rel * max |expected|} (one scale for the whole array:
   * entries that cancel to nearly zero are not held to a relative bound of their own).
   */
  public static void assertClose(double[] expected, float[] actual, double rel, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    double scale = 0;
    double err = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      err = Math.max(err, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(err <= rel * scale, what + ": max error " + err + " vs scale " + scale);
  }

  /** Asserts {@code max |expected - actual| / max(1e-6, max |expected|) < rel}. */
  public static void assertRelative(double[] expected, float[] actual, double rel, String what) {
    assertEquals(expected.length, actual.length, what + ": gradient length");
    double maxErr = 0;
    double maxVal = 1e-6;
    for (int i = 0; i < expected.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(expected[i] - actual[i]));
      maxVal = Math.max(maxVal, Math.abs(expected[i]));
    }
    assertTrue(maxErr / maxVal < rel, what + ": max error " + maxErr + " against max " + maxVal);
  }

  /** {@code a} widened to double. */
  public static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
