package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.util.Progress;

/**
 * The batch rule of the commands that take many images ({@link ExitCodes}): an image refused as
 * bad input (unreadable, not an image, the wrong size) is reported by name and skipped, the others
 * still run, and the exit code is then {@value ExitCodes#BAD_INPUT} at the end. A failure while
 * running (an output that cannot be written, a bug) stops the batch. With more than one image the
 * {@link Progress} display on standard error counts them.
 */
final class ImageBatch {

  private ImageBatch() {}

  /** One image's work; an IOException or IllegalArgumentException refuses that image. */
  @FunctionalInterface
  interface Job {
    void run(Path image) throws IOException;
  }

  /** Runs {@code job} on every image; returns the exit code (0, or 2 if any image was refused). */
  static int run(String command, List<Path> images, PrintWriter err, Job job) throws IOException {
    Progress progress = images.size() > 1 ? Progress.onStderr(err, command, images.size(), "images") : null;
    int refused = 0;
    for (int i = 0; i < images.size(); i++) {
      if (progress != null) {
        progress.clear();
      }
      try {
        job.run(images.get(i));
      } catch (IOException | RuntimeException e) {
        if (!ExitCodes.isBadInput(e)) {
          throw e;
        }
        ExitCodes.report(e, "dpn " + command, err);
        refused++;
      }
      if (progress != null) {
        progress.step(i + 1, refused == 0 ? "" : refused + " refused");
      }
    }
    if (refused > 0) {
      err.println("dpn " + command + ": " + refused + " of " + images.size() + " images failed");
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    return ExitCodes.OK;
  }
}
