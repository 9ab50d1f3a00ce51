package org.dpn4j.head;

import static org.dpn4j.head.LaneFft.VL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.dpn4j.util.Vectors;

/**
 * {@link LaneFft}'s butterflies on the Vector API: each scalar operation of the plain loops is one
 * vector operation over VL lanes. Loaded only when {@link org.dpn4j.util.Simd#VECTOR} is true.
 */
final class LaneFftVectors {
  private static final VectorSpecies<Float> SP = Vectors.FLOAT;

  private LaneFftVectors() {}

  static void swap(float[] re, float[] im, int a, int b, int block) {
    for (int e = 0; e < block; e += VL) {
      FloatVector ra = FloatVector.fromArray(SP, re, a + e);
      FloatVector ia = FloatVector.fromArray(SP, im, a + e);
      FloatVector.fromArray(SP, re, b + e).intoArray(re, a + e);
      FloatVector.fromArray(SP, im, b + e).intoArray(im, a + e);
      ra.intoArray(re, b + e);
      ia.intoArray(im, b + e);
    }
  }

  /**
   * The radix-2 stages of spans h and 2h on the elements a0..a3 at p + j * span: first (a0, a1)
   * and (a2, a3) with twiddle w1, then (b0, b2) with w2 and (b1, b3) with w2 * exp(-+ i pi / 2).
   */
  static void radix4(
      float[] re, float[] im, int p, int span, int block, float w1r, float w1i, float w2r, float w2i,
      float w3r, float w3i) {
    FloatVector v1r = FloatVector.broadcast(SP, w1r);
    FloatVector v1i = FloatVector.broadcast(SP, w1i);
    FloatVector v2r = FloatVector.broadcast(SP, w2r);
    FloatVector v2i = FloatVector.broadcast(SP, w2i);
    FloatVector v3r = FloatVector.broadcast(SP, w3r);
    FloatVector v3i = FloatVector.broadcast(SP, w3i);
    for (int e = 0; e < block; e += VL) {
      int i0 = p + e;
      int i1 = i0 + span;
      int i2 = i1 + span;
      int i3 = i2 + span;
      FloatVector a1r = FloatVector.fromArray(SP, re, i1);
      FloatVector a1i = FloatVector.fromArray(SP, im, i1);
      FloatVector a3r = FloatVector.fromArray(SP, re, i3);
      FloatVector a3i = FloatVector.fromArray(SP, im, i3);
      FloatVector t1r = a1r.mul(v1r).sub(a1i.mul(v1i));
      FloatVector t1i = a1r.mul(v1i).add(a1i.mul(v1r));
      FloatVector t3r = a3r.mul(v1r).sub(a3i.mul(v1i));
      FloatVector t3i = a3r.mul(v1i).add(a3i.mul(v1r));
      FloatVector a0r = FloatVector.fromArray(SP, re, i0);
      FloatVector a0i = FloatVector.fromArray(SP, im, i0);
      FloatVector a2r = FloatVector.fromArray(SP, re, i2);
      FloatVector a2i = FloatVector.fromArray(SP, im, i2);
      FloatVector b0r = a0r.add(t1r);
      FloatVector b0i = a0i.add(t1i);
      FloatVector b1r = a0r.sub(t1r);
      FloatVector b1i = a0i.sub(t1i);
      FloatVector b2r = a2r.add(t3r);
      FloatVector b2i = a2i.add(t3i);
      FloatVector b3r = a2r.sub(t3r);
      FloatVector b3i = a2i.sub(t3i);
      FloatVector u2r = b2r.mul(v2r).sub(b2i.mul(v2i));
      FloatVector u2i = b2r.mul(v2i).add(b2i.mul(v2r));
      FloatVector u3r = b3r.mul(v3r).sub(b3i.mul(v3i));
      FloatVector u3i = b3r.mul(v3i).add(b3i.mul(v3r));
      b0r.add(u2r).intoArray(re, i0);
      b0i.add(u2i).intoArray(im, i0);
      b0r.sub(u2r).intoArray(re, i2);
      b0i.sub(u2i).intoArray(im, i2);
      b1r.add(u3r).intoArray(re, i1);
      b1i.add(u3i).intoArray(im, i1);
      b1r.sub(u3r).intoArray(re, i3);
      b1i.sub(u3i).intoArray(im, i3);
    }
  }

  /** (a, b) <- (a + w b, a - w b). */
  static void butterfly(float[] re, float[] im, int p, int q, int block, float wr, float wi) {
    FloatVector vwr = FloatVector.broadcast(SP, wr);
    FloatVector vwi = FloatVector.broadcast(SP, wi);
    for (int e = 0; e < block; e += VL) {
      FloatVector br = FloatVector.fromArray(SP, re, q + e);
      FloatVector bi = FloatVector.fromArray(SP, im, q + e);
      FloatVector tr = br.mul(vwr).sub(bi.mul(vwi));
      FloatVector ti = br.mul(vwi).add(bi.mul(vwr));
      FloatVector ar = FloatVector.fromArray(SP, re, p + e);
      FloatVector ai = FloatVector.fromArray(SP, im, p + e);
      ar.add(tr).intoArray(re, p + e);
      ai.add(ti).intoArray(im, p + e);
      ar.sub(tr).intoArray(re, q + e);
      ai.sub(ti).intoArray(im, q + e);
    }
  }
}
