package org.dpn4j.util;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The one progress display of every long job (evaluation, segmenting many files, training, cache
 * building): count, rate and time left. On a terminal it redraws a single line in place; in a log (a
 * file or a pipe) it writes a new line at most every {@link #LOG_EVERY_MS} milliseconds, and always
 * after the last step, so a log of a long run stays short.
 *
 * <p>The rate counts the steps done since this object was made, so a resumed run reports its own
 * speed, not the speed of the steps it skipped.
 */
public final class Progress {

  /** How often a log gets a new line. */
  public static final long LOG_EVERY_MS = 5_000;
  /** How often a terminal line is redrawn. */
  public static final long TERMINAL_EVERY_MS = 250;

  private final PrintWriter out;
  private final String what;
  private final String unit;
  private final long total;
  private final boolean terminal;
  private final long everyNs;
  private final long t0;
  private long first = -1;
  private long lastDraw;
  private boolean drawn;
  private int drawnWidth;

  /**
   * A display of {@code total} steps named {@code what} (e.g. "eval"), counted in {@code unit} (e.g.
   * "images"), written to {@code out}; {@code terminal} redraws one line in place.
   */
  public Progress(PrintWriter out, String what, long total, String unit, boolean terminal) {
    this(out, what, total, unit, terminal, System.nanoTime());
  }

  /**
   * As {@link #Progress(PrintWriter, String, long, String, boolean)} for work that began at {@code
   * startNanos} ({@link System#nanoTime()}): for a display made when the first step reports, which
   * is only when its total becomes known.
   */
  public Progress(PrintWriter out, String what, long total, String unit, boolean terminal, long startNanos) {
    this.t0 = startNanos;
    this.out = out;
    this.what = what;
    this.unit = unit;
    this.total = total;
    this.terminal = terminal;
    this.everyNs = (terminal ? TERMINAL_EVERY_MS : LOG_EVERY_MS) * 1_000_000L;
  }

  /** A display on standard error, redrawn in place when the JVM has a console. */
  public static Progress onStderr(PrintWriter err, String what, long total, String unit) {
    return new Progress(err, what, total, unit, System.console() != null);
  }

  /** {@link #onStderr(PrintWriter, String, long, String)} for work that began at {@code startNanos}. */
  public static Progress onStderr(PrintWriter err, String what, long total, String unit, long startNanos) {
    return new Progress(err, what, total, unit, System.console() != null, startNanos);
  }

  /**
   * Step {@code done} of the total is finished (1-based count); draws when a line is due. {@code
   * detail} (may be empty) follows the counts, e.g. a loss.
   */
  public void step(long done, String detail) {
    if (first < 0) {
      first = done - 1;
    }
    long now = System.nanoTime();
    if (drawn && done < total && now - lastDraw < everyNs) {
      return;
    }
    drawn = true;
    lastDraw = now;
    String line = line(done, now, detail);
    if (terminal) {
      int pad = Math.max(0, drawnWidth - line.length());
      out.print("\r" + line + " ".repeat(pad));
      drawnWidth = line.length();
      if (done >= total) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  /**
   * On a terminal, erases the line drawn in place, so that other output (e.g. a result line on
   * standard output) starts at the left margin; the next {@link #step} draws again at once. In a log
   * it does nothing.
   */
  public void clear() {
    if (terminal && drawnWidth > 0) {
      out.print("\r" + " ".repeat(drawnWidth) + "\r");
      out.flush();
      drawnWidth = 0;
      drawn = false;
    }
  }

  /** {@link #step(long, String)} without a detail. */
  public void step(long done) {
    step(done, "");
  }

  /** Steps per second since this display started, 0 before the first step. */
  public double rate(long done) {
    double seconds = (System.nanoTime() - t0) / 1e9;
    return first < 0 ? 0 : (done - first) / Math.max(1e-9, seconds);
  }

  /** Seconds since this display started. */
  public double elapsedSeconds() {
    return (System.nanoTime() - t0) / 1e9;
  }

  private String line(long done, long now, String detail) {
    double seconds = (now - t0) / 1e9;
    double rate = (done - first) / Math.max(1e-9, seconds);
    String left = rate > 0 ? clock((total - done) / rate) : "?";
    return String.format(Locale.ROOT, "%s %d/%d%s  %.2f %s/s  %s left (%s elapsed)", what, done,
        total, detail.isEmpty() ? "" : "  " + detail, rate, unit, left, clock(seconds));
  }

  /** {@code h:mm:ss}. */
  public static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
