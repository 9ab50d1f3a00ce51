package org.dpn4j.eval;

import java.io.Serializable;

/**
 * Per-class sums and counts of a score in [0, 1] over images (LA's bIoU, BA's F-measure), with
 * the per-class mean. The sums are kept in fixed point (2^-40 steps) so that they are exact and a
 * result does not depend on the order in which images or threads were added.
 */
final class ClassMeans implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final double ONE = 0x1p40;

  private final long[] sums;
  private final long[] images;

  ClassMeans(int numClasses) {
    sums = new long[numClasses];
    images = new long[numClasses];
  }

  void add(int c, double score) {
    sums[c] += Math.round(score * ONE);
    images[c]++;
  }

  void add(ClassMeans other) {
    for (int c = 0; c < sums.length; c++) {
      sums[c] += other.sums[c];
      images[c] += other.images[c];
    }
  }

  /** The mean score of class c over the images that scored it; null if there is none. */
  Double mean(int c) {
    return images[c] == 0 ? null : sums[c] / ONE / images[c];
  }
}
