package org.dpn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/** A weight file that cannot be read as its format says: the message names the file and the problem. */
public final class WeightFileException extends IOException {

  public WeightFileException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public WeightFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
