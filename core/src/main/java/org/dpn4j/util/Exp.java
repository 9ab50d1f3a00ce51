package org.dpn4j.util;

/**
 * e^x for x &lt;= 0 in plain Java, the same operations in the same order as {@link VectorExp} (which
 * documents the method), so the plain and the vector kernels get the same bits. Like VectorExp, its
 * result does not depend on the JIT (only IEEE additions, multiplications and comparisons).
 */
public final class Exp {

  static final float LOG2E = 1.44269504088896341f;
  static final float ROUND = 12582912f; // 1.5 * 2^23: x + ROUND - ROUND rounds x to an integer
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  static final float[] POLY = {
      1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
  /** The bits of -n, largest first, and 2^-bit (exact: 2^-128 is a subnormal float). */
  static final float[] BITS = {128, 64, 32, 16, 8, 4, 2, 1};
  static final float[] POWERS = new float[BITS.length];

  static {
    for (int i = 0; i < BITS.length; i++) {
      POWERS[i] = (float) Math.pow(2, -BITS[i]);
    }
  }

  /** e^x for x below this is under 2^-150, which rounds to 0. */
  static final float MIN_ARGUMENT = -104f;

  private Exp() {}

  /** e^x for x &lt;= 0 (larger x is not supported); NaN stays NaN. */
  public static float exp(float x) {
    float v = Math.max(x, MIN_ARGUMENT);
    float n = v * LOG2E + ROUND - ROUND;
    float r = v - n * LN2_HI - n * LN2_LO;
    float p = POLY[0];
    for (int i = 1; i < POLY.length; i++) {
      p = p * r + POLY[i];
    }
    float er = p * (r * r) + r + 1f;
    float m = -n;
    float scale = 1f;
    for (int i = 0; i < BITS.length; i++) {
      if (m >= BITS[i]) {
        m -= BITS[i];
        scale *= POWERS[i];
      }
    }
    return er * scale;
  }
}
