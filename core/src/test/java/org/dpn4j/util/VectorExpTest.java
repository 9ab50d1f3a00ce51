package org.dpn4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The exponential of the kernels: {@link VectorExp} in a JVM with the Vector API, {@link Exp} (its
 * plain twin) in one without (the plain-kernels test run); both also against each other below.
 */
class VectorExpTest {

  private static final int VL = Simd.FLOAT_LANES;

  /** e^x by the kernels' exponential of this JVM. */
  private static float[] exp(float[] x) {
    return Simd.VECTOR ? VectorExpArrays.exp(x) : plain(x);
  }

  private static float[] plain(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Exp.exp(x[i]);
    }
    return y;
  }

  private static float[] arguments() {
    int n = 200_000 / VL * VL;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -110f * i / (n - 1);
    }
    x[0] = 0f;
    x[1] = -0f;
    x[2] = Float.NEGATIVE_INFINITY;
    x[3] = -1e-30f;
    return x;
  }

  @Test
  void withinTwoUlpOfMathExp() {
    float[] x = arguments();
    float[] y = exp(x);
    assertEquals(1f, y[0]);
    assertEquals(1f, y[1]);
    assertEquals(0f, y[2]);
    assertEquals(1f, y[3]);
    for (int i = 4; i < x.length; i++) {
      float ref = (float) Math.exp(x[i]);
      if (x[i] >= -87f) {
        assertTrue(Math.abs(y[i] - ref) <= 2 * Math.ulp(ref), "exp(" + x[i] + ") = " + y[i] + ", Math.exp " + ref);
      } else {
        // Subnormal and zero results: within two steps of the smallest subnormal.
        assertTrue(Math.abs(y[i] - ref) <= 2 * Float.MIN_VALUE + 1e-6 * ref, "exp(" + x[i] + ") = " + y[i] + ", " + ref);
      }
    }
  }

  /** The point of the class: the same bits before and after the JIT compiles it. */
  @Test
  void sameBitsInEveryRun() {
    float[] x = arguments();
    float[] first = exp(x);
    for (int run = 0; run < 300; run++) {
      assertTrue(Arrays.equals(first, exp(x)), "run " + run);
    }
  }

  @Test
  void nanStaysNan() {
    float[] x = new float[VL];
    x[0] = Float.NaN;
    assertTrue(Float.isNaN(exp(x)[0]));
  }

  /** The plain twin gives the vector form's bits (with the Vector API; without, Exp against itself). */
  @Test
  void plainAndVectorFormsAgreeBitForBit() {
    float[] x = arguments();
    x[4] = Float.NaN;
    float[] vector = exp(x);
    float[] plain = plain(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToIntBits(plain[i]), Float.floatToIntBits(vector[i]), "exp(" + x[i] + ")");
    }
  }
}
