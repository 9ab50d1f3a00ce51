package org.dpn4j.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.dpn4j.io.AtomicFiles;

/**
 * The CSV file of a training run: one line per step under a header, continued when a run resumes.
 * A resumed run first cuts the lines its checkpoint does not cover (the steps after the last
 * checkpoint, which it takes again), so that the log has no duplicate rows.
 */
public final class CsvLog {

  private CsvLog() {}

  /** Where a resumed run continues: its stage (null in a log without a stage column) and iteration. */
  public record Resume(String stage, long iteration) {}

  /**
   * Opens {@code log} for writing: with {@code append} an existing log is continued (its header must
   * be {@code header}, so that a resumed run does not mix columns), else it is started afresh.
   */
  public static BufferedWriter open(Path log, boolean append, String header) throws IOException {
    return open(log, header, append ? new Resume(null, Long.MAX_VALUE) : null);
  }

  /**
   * Opens {@code log} for writing: without {@code resume} it is started afresh; with it an existing
   * log (whose header must be {@code header}) is continued after cutting every line from the first
   * one at or past the resumed stage's iteration.
   */
  public static BufferedWriter open(Path log, String header, Resume resume) throws IOException {
    Path parent = log.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    boolean continued = resume != null && Files.exists(log);
    if (continued) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && !lines.get(0).equals(header)) {
        throw new IOException(log + ": its header is '" + lines.get(0) + "', not " + header
            + " (a log of another stage or version); move it away or give another log");
      }
      continued = !lines.isEmpty();
      int keep = kept(lines, header, resume);
      if (keep < lines.size()) {
        AtomicFiles.write(log, (String.join("\n", lines.subList(0, keep)) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        continued ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    if (!continued) {
      w.write(header);
      w.newLine();
    }
    return w;
  }

  /** The number of lines before the first row of the resumed stage at or past its iteration. */
  private static int kept(List<String> lines, String header, Resume resume) {
    boolean staged = List.of(header.split(",")).contains("stage");
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      try {
        boolean sameStage = !staged || resume.stage() == null || f[1].equals(resume.stage());
        if (sameStage && Long.parseLong(f[0]) >= resume.iteration()) {
          return i;
        }
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        return i; // a line cut short by a crash
      }
    }
    return lines.size();
  }
}
