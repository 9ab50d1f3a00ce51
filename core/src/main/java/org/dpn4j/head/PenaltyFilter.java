package org.dpn4j.head;

import org.dpn4j.value.Maps;

/**
 * The two sums of b12 over a resolved window, label by label, for every pixel j:
 *
 * <pre>
 *   COL_j^v = n * sum_{z in W(j)} a(j, z) q_z^v      (colour part; bilateral part of the Gaussian kernel)
 *   POS_j^v = n * sum_{z in W(j)} b(z - j) q_z^v     (position part; spatial part of the Gaussian kernel)
 * </pre>
 *
 * with n = 1/|W| or 1. b12 is then o = c * (w_1 COL + w_2 POS). The colour at j comes from the
 * centre image and the colour at z from the neighbour image (the same image in 2D; a warped
 * neighbour frame in the spatio-temporal b12).
 */
interface PenaltyFilter {

  /** Receives one output row: the colour and position sums of label v, row y (the first W values). */
  @FunctionalInterface
  interface RowSink {
    void row(int v, int y, double[] colour, double[] position);
  }

  /**
   * Filters the L maps of {@code q} over {@code window} (resolved, possibly mirrored) and hands
   * every row of every label to {@code sink}, from several threads (rows of distinct (v, y) only).
   */
  void apply(Maps q, Window window, RowSink sink);
}
