package org.dpn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An output that could not be written while it was being written (disk full, an I/O error, a
 * folder that refuses new files): a failure of the run, where other {@link IOException}s name an
 * input that cannot be used. Its message names the file and the cause.
 */
public final class OutputException extends IOException {

  public OutputException(Path file, IOException cause) {
    super("cannot write " + file + ": " + describe(cause), cause);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
