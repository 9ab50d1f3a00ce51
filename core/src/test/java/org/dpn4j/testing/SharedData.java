package org.dpn4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shared test data, {@code ../shared/data} beside the repository (tests run with the
 * repository root as working directory). A test that needs a missing file fails and says which folder
 * is missing, rather than skipping or failing somewhere deeper.
 */
public final class SharedData {

  /** The shared data folder, relative to the repository root. */
  public static final Path ROOT = Path.of("../shared/data");

  private SharedData() {}

  /** {@code relative} under the shared data folder; fails naming it when it is not there. */
  public static Path path(String relative) {
    Path p = ROOT.resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("test data missing: " + p.toAbsolutePath().normalize()
          + " (the tests need the project's shared data folder " + ROOT.toAbsolutePath().normalize()
          + ", see its README.md)");
    }
    return p;
  }

  /** The shared data folder itself; fails naming it when it is not there. */
  public static Path root() {
    return path("");
  }
}
