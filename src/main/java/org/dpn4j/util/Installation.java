package org.dpn4j.util;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the files that ship with dpn4j (the default model, the demo frames) are: the repository the
 * code was built in. The code runs from {@code target/dpn4j.jar} or {@code target/classes}, so the
 * repository is two levels above it.
 */
public final class Installation {

  private Installation() {}

  /** {@code relative} inside the repository the running code was built in, if it exists there. */
  public static Optional<Path> file(String relative) {
    try {
      Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path repository = code.toAbsolutePath().getParent().getParent();
      Path f = repository == null ? null : repository.resolve(relative);
      return f != null && Files.exists(f) ? Optional.of(f) : Optional.empty();
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
