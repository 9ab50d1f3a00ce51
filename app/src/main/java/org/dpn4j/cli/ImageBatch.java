package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.util.Progress;

/**
 * The batch rule of the commands that take many images: an image that cannot be read or processed
 * is reported by name and skipped, the others still run, and the exit code is 1 at the end. With
 * more than one image the {@link Progress} display on standard error counts them.
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
    Progress progress = images.size() > 1 ? Progress.onStderr(err, command, images.size(), "images") : null;
    int failed = 0;
    for (int i = 0; i < images.size(); i++) {
      if (progress != null) {
        progress.clear();
      }
      try {
        job.run(images.get(i));
      } catch (IOException e) {
        err.println("dpn " + command + ": " + e.getMessage());
        err.flush();
        failed++;
      }
      if (progress != null) {
        progress.step(i + 1);
      }
    }
    if (failed > 0) {
      err.println("dpn " + command + ": " + failed + " of " + images.size() + " images failed");
      return 1;
    }
    return 0;
  }
}
