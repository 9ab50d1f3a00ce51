package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.util.Progress;

/**
 * The batch rule of the commands that take many files: a file that cannot be read or processed is
 * reported by name and skipped, the others still run, and the exit code is 2 at the end (bad input,
 * the project's exit-code rule). Batches of more than one file show a {@link Progress} line.
 */
final class ImageBatch {

  /** The exit code of a batch in which some input was refused. */
  static final int REFUSED = 2;

  private ImageBatch() {}

  /** One file's work; an IOException (or a refusal, IllegalArgumentException) marks that file as failed. */
  @FunctionalInterface
  interface Job {
    void run(Path image) throws IOException;
  }

  /** Runs {@code job} on every file; returns the exit code (0, or {@link #REFUSED} if any file failed). */
  static int run(String command, List<Path> images, PrintWriter err, Job job) {
    int failed = 0;
    Progress progress = images.size() > 1 ? Progress.onStderr(err, command, images.size(), "files") : null;
    for (int i = 0; i < images.size(); i++) {
      Path image = images.get(i);
      try {
        job.run(image);
      } catch (IOException | IllegalArgumentException e) {
        err.println("dpn " + command + ": " + e.getMessage());
        err.flush();
        failed++;
      }
      if (progress != null) {
        progress.step(i + 1, failed == 0 ? "" : failed + " failed");
      }
    }
    if (failed > 0) {
      err.println("dpn " + command + ": " + failed + " of " + images.size() + " files failed");
      return REFUSED;
    }
    return 0;
  }
}
