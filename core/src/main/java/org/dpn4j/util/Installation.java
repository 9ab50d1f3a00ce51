package org.dpn4j.util;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the files that ship with dpn4j (the default model, the demo frames) are: the repository the
 * code was built in. The code runs from {@code app/target/dpn4j.jar}, {@code app/target/lib/dpn4j-*.jar}
 * or {@code core/target/classes}, so the repository is a few levels above it: the nearest folder
 * upwards that holds {@code relative} is taken.
 */
public final class Installation {

  private Installation() {}

  /** {@code relative} inside the repository the running code was built in, if it exists there. */
  public static Optional<Path> file(String relative) {
    try {
      Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = code.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
        if (Files.exists(dir.resolve(relative))) {
          return Optional.of(dir.resolve(relative));
        }
      }
      return Optional.empty();
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
