package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.dpn4j.model.DefaultModel;

/** The model a command runs: {@code --model}'s, or the default one; said on standard error, so a user knows which. */
final class ModelChoice {

  private ModelChoice() {}

  static Path announce(Path given, PrintWriter err) throws IOException {
    Path p = DefaultModel.or(given);
    err.println("model: " + p + (given == null ? " (the default)" : ""));
    err.flush();
    return p;
  }
}
