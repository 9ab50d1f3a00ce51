package org.dpn4j.crf;

import org.dpn4j.util.Parallel;

/** Splits [0, n) into contiguous ranges of about {@code grain} items run on the kernel pool. */
public final class Ranges {
  /** Work on one range [from, to) of points (or vertices). */
  @FunctionalInterface
  public interface Body {
    void run(int from, int to);

    /** This, then {@code next} (if not null) on the same range. */
    default Body andThen(Body next) {
      return next == null ? this : (from, to) -> {
        run(from, to);
        next.run(from, to);
      };
    }
  }

  private Ranges() {}

  /** Runs the ranges in order on one thread too, so that composed bodies work on cached data. */
  static void forEach(int n, int grain, Body body) {
    int chunks = (n + grain - 1) / grain;
    Parallel.forEach(chunks, c -> body.run(c * grain, Math.min(n, (c + 1) * grain)));
  }
}
