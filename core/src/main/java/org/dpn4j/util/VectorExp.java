package org.dpn4j.util;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static org.dpn4j.util.Exp.BITS;
import static org.dpn4j.util.Exp.LN2_HI;
import static org.dpn4j.util.Exp.LN2_LO;
import static org.dpn4j.util.Exp.LOG2E;
import static org.dpn4j.util.Exp.MIN_ARGUMENT;
import static org.dpn4j.util.Exp.POLY;
import static org.dpn4j.util.Exp.POWERS;
import static org.dpn4j.util.Exp.ROUND;

/**
 * e^x on float vectors for x &lt;= 0, made of IEEE additions, multiplications, comparisons and blends
 * only, so that its result does not depend on the JIT. The Vector API's own {@code EXP} does: its
 * intrinsic (Intel's SVML) and its Java fallback ({@code Math.exp} per lane) round differently, so
 * a kernel's output changed once C2 had compiled it (b15 differed in the last bit from the ~200th
 * call on), and a training run could not be repeated or resumed bit for bit.
 *
 * <p>Cephes' {@code expf}: x = n ln 2 + r with n = round(x / ln 2) (the 1.5 * 2^23 rounding trick)
 * and |r| &lt;= ln 2 / 2 (Cody-Waite split of ln 2), e^r by a degree-7 polynomial, then times 2^n,
 * built exactly as a product of the powers 2^-(2^i) that the bits of -n select. Error: at most 2
 * ulp against {@code Math.exp} for x in [-87, 0] (normal results); below, the result is subnormal
 * or 0 (e^x &lt; 2^-149 for x &lt; -103.3). {@link Exp} is the same in plain Java; the constants are its.
 */
public final class VectorExp {

  private VectorExp() {}

  /** e^x per lane for x &lt;= 0 (larger x is not supported); NaN stays NaN. */
  public static FloatVector exp(FloatVector x) {
    FloatVector v = x.max(MIN_ARGUMENT);
    FloatVector n = v.mul(LOG2E).add(ROUND).sub(ROUND);
    FloatVector r = v.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
    FloatVector p = FloatVector.broadcast(v.species(), POLY[0]);
    for (int i = 1; i < POLY.length; i++) {
      p = p.mul(r).add(POLY[i]);
    }
    FloatVector er = p.mul(r.mul(r)).add(r).add(1f);
    // 2^n, n in [-150, 0], exactly: one power of two per set bit of m = -n.
    FloatVector m = n.neg();
    FloatVector one = FloatVector.broadcast(v.species(), 1f);
    FloatVector zero = FloatVector.zero(v.species());
    FloatVector scale = one;
    for (int i = 0; i < BITS.length; i++) {
      VectorMask<Float> set = m.compare(VectorOperators.GE, BITS[i]);
      m = m.sub(zero.blend(BITS[i], set));
      scale = scale.mul(one.blend(POWERS[i], set));
    }
    return er.mul(scale);
  }
}
