package org.dpn4j.video;

/**
 * Loads OpenCV's native library (from the {@code org.openpnp:opencv} jar) once per process. The jar
 * carries the library for Linux, macOS and Windows; {@code loadLocally} extracts the one for this
 * platform to a temporary folder and loads it, without network. ({@code loadShared} is not supported
 * on Java 12 and later and falls back to the same.)
 */
public final class OpenCv {

  private static boolean loaded;

  private OpenCv() {}

  /** Loads the native library if not yet loaded; a clear {@link IllegalStateException} if it cannot be. */
  public static synchronized void load() {
    if (loaded) {
      return;
    }
    try {
      nu.pattern.OpenCV.loadLocally();
      // Touch a native method: a library that loaded but does not link fails here, not later.
      org.opencv.core.Core.getNumThreads();
    } catch (Throwable e) {
      throw new IllegalStateException(
          "cannot load OpenCV's native library from the org.openpnp:opencv jar on "
              + System.getProperty("os.name") + " " + System.getProperty("os.arch")
              + " (is the jar on the class path, and is the temporary folder "
              + System.getProperty("java.io.tmpdir") + " writable and not mounted noexec?): " + e,
          e);
    }
    loaded = true;
  }

  /** OpenCV's version, loading the library first. */
  public static String version() {
    load();
    return org.opencv.core.Core.VERSION;
  }
}
