package org.dpn4j.eval;

import java.util.Arrays;

/**
 * One image's contribution to every metric of {@link SegmentationMetrics}: its confusion matrix,
 * and per class its tag agreement (TA), bIoU (LA) and boundary F-measure (BA).
 */
final class ImageMetrics {

  /** A pixel of no class: ignored in the ground truth, or predicted as the ignore value. */
  private static final int NONE = -1;

  private ImageMetrics() {}

  /** Scores one image; the maps hold {@code width x height} labels, row-major. */
  static Tally score(
      int[] predicted, int[] truth, int width, int height, int numClasses, MetricsOptions options) {
    Tally tally = new Tally(numClasses);
    tally.images = 1;
    tally.confusion.add(predicted, truth, options.ignore());
    long labelled = tally.confusion.pixels();
    if (labelled == 0) {
      return tally; // no tag, box or boundary to compare
    }
    tally.labelledImages = 1;
    int[] gt = withoutIgnored(truth, truth, options.ignore());
    int[] pred = withoutIgnored(predicted, truth, options.ignore());
    Regions inTruth = new Regions(gt, width, numClasses);
    Regions inPrediction = new Regions(pred, width, numClasses);
    double tolerance = options.boundaryTolerance() * Math.hypot(width, height);
    for (int c = 0; c < numClasses; c++) {
      boolean truthHasC = inTruth.present(c, labelled, options.presenceThreshold());
      boolean predictionHasC = inPrediction.present(c, labelled, options.presenceThreshold());
      if (truthHasC == predictionHasC) {
        tally.tagAgreements[c]++;
      }
      if (!truthHasC) {
        continue;
      }
      double bIoU = predictionHasC ? inTruth.boxes[c].iou(inPrediction.boxes[c]) : 0;
      tally.boxIoU.add(c, bIoU);
      if (bIoU >= 0.5) {
        Box crop = inTruth.boxes[c].union(inPrediction.boxes[c]);
        tally.boundaryF.add(c, boundaryF(gt, pred, width, height, c, crop, tolerance));
      }
    }
    return tally;
  }

  /** {@code map} with NONE wherever the ground truth or the map itself is the ignore value. */
  private static int[] withoutIgnored(int[] map, int[] truth, int ignore) {
    int[] out = new int[map.length];
    for (int i = 0; i < map.length; i++) {
      out[i] = truth[i] == ignore || map[i] == ignore ? NONE : map[i];
    }
    return out;
  }

  /** Pixel counts and bounding boxes of every class in a label map (null box: no pixel). */
  private static final class Regions {
    final long[] counts;
    final Box[] boxes;

    Regions(int[] map, int width, int numClasses) {
      counts = new long[numClasses];
      int[] x0 = filled(numClasses, Integer.MAX_VALUE);
      int[] y0 = filled(numClasses, Integer.MAX_VALUE);
      int[] x1 = filled(numClasses, -1);
      int[] y1 = filled(numClasses, -1);
      for (int i = 0; i < map.length; i++) {
        int c = map[i];
        if (c == NONE) {
          continue;
        }
        int x = i % width;
        int y = i / width;
        counts[c]++;
        x0[c] = Math.min(x0[c], x);
        x1[c] = Math.max(x1[c], x);
        y0[c] = Math.min(y0[c], y);
        y1[c] = Math.max(y1[c], y);
      }
      boxes = new Box[numClasses];
      for (int c = 0; c < numClasses; c++) {
        boxes[c] = counts[c] == 0 ? null : new Box(x0[c], y0[c], x1[c], y1[c]);
      }
    }

    /** At least one pixel and at least {@code threshold} of the map's labelled pixels. */
    boolean present(int c, long labelled, double threshold) {
      return counts[c] > 0 && counts[c] >= threshold * labelled;
    }

    private static int[] filled(int n, int value) {
      int[] a = new int[n];
      Arrays.fill(a, value);
      return a;
    }
  }

  /**
   * BA_{c,image}: the F-measure 2PR / (P + R) of boundary precision P (the fraction of predicted
   * boundary pixels within {@code tolerance} of a true one) and recall R (the same the other way).
   * Both boundaries empty: 1; one of them empty: 0. Every boundary pixel lies in {@code crop} (the
   * union of both boxes of c), so distances computed on the crop alone are exact.
   */
  static double boundaryF(
      int[] gt, int[] pred, int width, int height, int c, Box crop, double tolerance) {
    boolean[] truthEdge = boundary(gt, width, height, c, crop);
    boolean[] predictedEdge = boundary(pred, width, height, c, crop);
    long[] toTruth = DistanceTransform.squared(truthEdge, crop.width(), crop.height());
    long[] toPrediction = DistanceTransform.squared(predictedEdge, crop.width(), crop.height());
    double limit = tolerance * tolerance;
    long truthPixels = 0;
    long truthMatched = 0;
    long predictedPixels = 0;
    long predictedMatched = 0;
    for (int i = 0; i < truthEdge.length; i++) {
      if (truthEdge[i]) {
        truthPixels++;
        truthMatched += toPrediction[i] <= limit ? 1 : 0;
      }
      if (predictedEdge[i]) {
        predictedPixels++;
        predictedMatched += toTruth[i] <= limit ? 1 : 0;
      }
    }
    if (truthPixels == 0 || predictedPixels == 0) {
      return truthPixels == predictedPixels ? 1 : 0;
    }
    double precision = (double) predictedMatched / predictedPixels;
    double recall = (double) truthMatched / truthPixels;
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  }

  /**
   * The boundary of class c over {@code crop}: pixels of c with a 4-neighbour inside the image that
   * is not of c. A NONE neighbour (ignored in the ground truth) is not of c, so it makes a
   * boundary; the image border does not.
   */
  static boolean[] boundary(int[] map, int width, int height, int c, Box crop) {
    boolean[] edge = new boolean[(int) crop.area()];
    for (int y = crop.y0(); y <= crop.y1(); y++) {
      for (int x = crop.x0(); x <= crop.x1(); x++) {
        int i = y * width + x;
        if (map[i] != c) {
          continue;
        }
        edge[(y - crop.y0()) * crop.width() + x - crop.x0()] =
            (x > 0 && map[i - 1] != c)
                || (x < width - 1 && map[i + 1] != c)
                || (y > 0 && map[i - width] != c)
                || (y < height - 1 && map[i + width] != c);
      }
    }
    return edge;
  }
}
