package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The batch rule of the commands that take many images: an image that cannot be read or processed
 * is reported by name and skipped, the others still run, and the exit code is 1 at the end.
 */
final class ImageBatch {

  private ImageBatch() {}

  /** One image's work; an IOException marks that image as failed. */
  @FunctionalInterface
  interface Job {
    void run(Path image) throws IOException;
  }

  /** Runs {@code job} on every image; returns the exit code (0, or 1 if any image failed). */
  static int run(String command, List<Path> images, PrintWriter err, Job job) {
    int failed = 0;
    for (Path image : images) {
      try {
        job.run(image);
      } catch (IOException e) {
        err.println("dpn " + command + ": " + e.getMessage());
        err.flush();
        failed++;
      }
    }
    if (failed > 0) {
      err.println("dpn " + command + ": " + failed + " of " + images.size() + " images failed");
      return 1;
    }
    return 0;
  }
}
