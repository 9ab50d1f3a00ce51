package org.dpn4j.util;

/**
 * Whether dpn4j's kernels use the Vector API, decided once per process. The Vector API is an
 * incubator module on Java 17 ({@code jdk.incubator.vector}): a JVM started without
 * {@code --add-modules=jdk.incubator.vector} does not have it, and then every kernel runs its plain
 * Java loop instead (same results to rounding; slower). The vector kernels live in classes of their
 * own ({@link Vectors}, {@link VectorExp} and the {@code *Vectors} classes of head/ and crf/), which
 * are loaded only when {@link #VECTOR} is true, so a JVM without the module never touches them.
 *
 * <p>The system property {@value #PROPERTY}{@code =false} forces the plain path with the module
 * present (the tests run both paths that way). One log line (System.Logger, INFO) says which path
 * runs when the module is missing.
 */
public final class Simd {

  /** The system property that, set to {@code false}, forces the plain Java kernels. */
  public static final String PROPERTY = "dpn4j.vector";

  /** The Vector API's module. */
  static final String MODULE = "jdk.incubator.vector";

  /** True when the kernels use the Vector API; constant for the JIT, so the other path costs nothing. */
  public static final boolean VECTOR = detect();

  /**
   * Floats per vector: the preferred species' length with the Vector API, else 8 (AVX2's, so that
   * layouts and FFT tilings match the vector path on most x86 machines).
   */
  public static final int FLOAT_LANES = VECTOR ? Vectors.floatLanes() : 8;

  /** Doubles per vector, as {@link #FLOAT_LANES}: the preferred species' length, else 4. */
  public static final int DOUBLE_LANES = VECTOR ? Vectors.doubleLanes() : 4;

  private Simd() {}

  private static boolean detect() {
    System.Logger log = System.getLogger("org.dpn4j");
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
      log.log(System.Logger.Level.DEBUG, "dpn4j: plain Java kernels (" + PROPERTY + "=false)");
      return false;
    }
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      log.log(System.Logger.Level.INFO, "dpn4j: the Vector API is not available, the kernels run in plain Java"
          + " (start the JVM with --add-modules=" + MODULE + " for the vector kernels)");
      return false;
    }
    return true;
  }
}
