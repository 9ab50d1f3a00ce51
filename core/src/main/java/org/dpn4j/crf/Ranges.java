package org.dpn4j.crf;

import org.dpn4j.util.Parallel;

/** Splits [0, n) into contiguous ranges of about {@code grain} items run on the kernel pool. */
final class Ranges {
  /** Work on one range [from, to) of points (or vertices). */
  @FunctionalInterface
  interface Body {
    void run(int from, int to);
  }

  private Ranges() {}

  /** On one thread too the ranges run one by one, so that a body's output is in cache at its end. */
  static void forEach(int n, int grain, Body body) {
    int chunks = (n + grain - 1) / grain;
    Parallel.forEach(chunks, c -> body.run(c * grain, Math.min(n, (c + 1) * grain)));
  }
}
