package org.dpn4j.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The CSV log of a training run: one line per step under a header, appended to when a run resumes. */
public final class CsvLog {

  private CsvLog() {}

  /**
   * Opens {@code log} for writing: with {@code append} an existing log is continued (its header must
   * be {@code header}, so that a resumed run does not mix columns), else it is started afresh.
   */
  public static BufferedWriter open(Path log, boolean append, String header) throws IOException {
    Path parent = log.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    boolean continued = append && Files.exists(log);
    if (continued) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && !lines.get(0).equals(header)) {
        throw new IOException(log + ": its header is '" + lines.get(0) + "', not " + header
            + " (a log of another stage or version); move it away or give another log");
      }
      continued = !lines.isEmpty();
    }
    BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        continued ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    if (!continued) {
      w.write(header);
      w.newLine();
    }
    return w;
  }
}
