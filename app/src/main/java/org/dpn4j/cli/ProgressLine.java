package org.dpn4j.cli;

import java.util.Locale;

/**
 * When a training command prints its next progress line (every few seconds and at the last step)
 * and what it says about speed: steps per second since the run (re)started, time left and
 * time elapsed.
 */
final class ProgressLine {

  private final long everyMs;
  private final long t0 = System.nanoTime();
  private long first = -1;
  private long lastPrint;

  /** Lines at most every {@code everyMs} milliseconds, and after the last step. */
  ProgressLine(long everyMs) {
    this.everyMs = everyMs;
  }

  /**
   * The speed part of a line after step {@code iteration} (0-based) of {@code total}, e.g.
   * {@code "2.50 images/s  0:01:10 left (0:00:20 elapsed)"}, or null when no line is due yet.
   */
  String after(long iteration, long total, String unit) {
    if (first < 0) {
      first = iteration;
    }
    long now = System.nanoTime();
    if (iteration + 1 != total && (now - lastPrint) / 1_000_000 < everyMs) {
      return null;
    }
    lastPrint = now;
    double seconds = (now - t0) / 1e9;
    double rate = (iteration + 1 - first) / Math.max(1e-9, seconds);
    return String.format(Locale.ROOT, "%.2f %s/s  %s left (%s elapsed)", rate, unit,
        TrainCommand.time((total - iteration - 1) / rate), TrainCommand.time(seconds));
  }
}
