package org.dpn4j.util;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species of every Vector API kernel in dpn4j: one float and one double species for the
 * whole process. On Java 17 the incubating Vector API shares type profiles inside the JDK between
 * all callers, and the JIT boxes every vector (an allocation per operation) at call sites whose
 * profile saw more than one vector class. Measured here (b13 at 512 x 512 x 21, 2 threads): 50 ms
 * alone, 180 ms once b12 had run float/double conversions ({@code FloatVector.convertShape}) in the
 * same JVM, 1.5 GB allocated per call. Hence: b12 (double lanes) and b13 (float lanes) use no vector
 * conversions, and the float species is the same everywhere. A residual effect remains when b13 is
 * compiled before b12 (b12 15 -> 20 ms); inference and training always run b12 first.
 *
 * <p>Loaded only when {@link Simd#VECTOR} is true (a JVM without the incubator module cannot).
 */
public final class Vectors {

  /** The float species of every kernel. */
  public static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED;
  /** The double species of every kernel. */
  public static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED;

  private Vectors() {}

  /** {@link #FLOAT}'s length, for {@link Simd} (which must not name a Vector API type). */
  static int floatLanes() {
    return FLOAT.length();
  }

  /** {@link #DOUBLE}'s length. */
  static int doubleLanes() {
    return DOUBLE.length();
  }
}
