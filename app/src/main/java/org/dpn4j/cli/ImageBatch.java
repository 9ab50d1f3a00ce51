package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.io.OutputException;

/**
 * The batch rule of the commands that take many images (issue 14's exit codes): an image that
 * cannot be read or processed is reported by name and skipped, the others still run, and the exit
 * code is 2 at the end; a result that cannot be written (disk full, permission) stops the batch
 * with exit code 1, since the next ones would fail the same way.
 */
final class ImageBatch {

  private ImageBatch() {}

  /** One image's work; an IOException marks that image as failed. */
  @FunctionalInterface
  interface Job {
    void run(Path image) throws IOException;
  }

  /** Runs {@code job} on every image; returns the exit code (0; 2 if any image was refused; 1 if a write failed). */
  static int run(String command, List<Path> images, PrintWriter err, Job job) {
    int failed = 0;
    for (Path image : images) {
      try {
        job.run(image);
      } catch (OutputException e) {
        err.println("dpn " + command + ": " + e.getMessage() + "; stopped");
        err.flush();
        return 1;
      } catch (IOException | IllegalArgumentException e) {
        err.println("dpn " + command + ": " + e.getMessage());
        err.flush();
        failed++;
      }
    }
    if (failed > 0) {
      err.println("dpn " + command + ": " + failed + " of " + images.size() + " images failed");
      return 2;
    }
    return 0;
  }
}
