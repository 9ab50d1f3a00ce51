package org.dpn4j.util;

import jdk.incubator.vector.FloatVector;

/** {@link VectorExp} over an array (length a multiple of the vector length); loaded only with the Vector API. */
final class VectorExpArrays {

  private VectorExpArrays() {}

  static float[] exp(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i += Vectors.FLOAT.length()) {
      VectorExp.exp(FloatVector.fromArray(Vectors.FLOAT, x, i)).intoArray(y, i);
    }
    return y;
  }
}
