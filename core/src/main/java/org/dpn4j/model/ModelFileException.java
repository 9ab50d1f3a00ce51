package org.dpn4j.model;

import java.io.IOException;

/** A model directory or zip that cannot be used: the message names the file and the problem. */
public final class ModelFileException extends IOException {

  public ModelFileException(String file, String problem) {
    super(file + ": " + problem);
  }

  public ModelFileException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
