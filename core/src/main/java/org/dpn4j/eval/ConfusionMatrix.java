package org.dpn4j.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The confusion matrix of a segmentation (DESIGN.md section 4): {@code count(t, p)} is the number
 * of pixels whose ground truth is class t and whose prediction is class p, over every pixel whose
 * ground truth is not the ignore value. Rows are the ground truth, columns the prediction.
 *
 * <p>A pixel whose ground truth is a class but whose prediction is the ignore value (a model or a
 * padding that left it unlabelled) is a miss: it counts in {@link #predictedIgnore(int)}, as a
 * false negative of its true class and as a labelled pixel, and as a false positive of no class.
 *
 * <p>From the matrix, with TP_c = count(c, c), FP_c = predicted pixels of c - TP_c and FN_c =
 * ground-truth pixels of c - TP_c:
 *
 * <ul>
 *   <li>IoU_c = TP_c / (TP_c + FP_c + FN_c), null where TP_c + FP_c + FN_c = 0 (c neither in the
 *       ground truth nor in the prediction);
 *   <li>mIoU = the mean of the defined IoU_c;
 *   <li>pixel accuracy = sum_c TP_c / labelled pixels;
 *   <li>mean class accuracy = the mean of TP_c / (TP_c + FN_c) over the classes with at least one
 *       ground-truth pixel.
 * </ul>
 *
 * Not thread-safe: give each thread its own matrix and {@link #add(ConfusionMatrix) add} them.
 */
public final class ConfusionMatrix implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int numClasses;
  private final long[] counts; // counts[truth * numClasses + predicted]
  private final long[] predictedIgnore; // per true class

  public ConfusionMatrix(int numClasses) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    this.numClasses = numClasses;
    this.counts = new long[numClasses * numClasses];
    this.predictedIgnore = new long[numClasses];
  }

  public int numClasses() {
    return numClasses;
  }

  /**
   * Adds one image: {@code predicted} and {@code truth} are label maps of the same H x W pixels
   * (any pixel order, the same in both). Every value of both maps must be a class in [0,
   * numClasses) or {@code ignore}, including where the other map is ignored: a stray value is a
   * bug upstream (a wrong class count, an unmapped label id), never silently dropped.
   */
  public void add(int[] predicted, int[] truth, int ignore) {
    LabelChecks.requireSameSize(predicted.length, truth.length);
    for (int i = 0; i < truth.length; i++) {
      LabelChecks.requireLabel(truth[i], "ground-truth", i, numClasses, ignore);
      LabelChecks.requireLabel(predicted[i], "predicted", i, numClasses, ignore);
    }
    for (int i = 0; i < truth.length; i++) {
      int t = truth[i];
      if (t == ignore) {
        continue;
      }
      int p = predicted[i];
      if (p == ignore) {
        predictedIgnore[t]++;
      } else {
        counts[t * numClasses + p]++;
      }
    }
  }

  /** {@link #add(int[], int[], int)} for 8-bit maps, read as unsigned values 0..255. */
  public void add(byte[] predicted, byte[] truth, int ignore) {
    add(LabelChecks.unsigned(predicted), LabelChecks.unsigned(truth), ignore);
  }

  /** Adds the counts of another matrix (of other images, or of another thread). */
  public void add(ConfusionMatrix other) {
    if (other.numClasses != numClasses) {
      throw new IllegalArgumentException(
          "cannot add a " + other.numClasses + "-class confusion matrix to a " + numClasses
              + "-class one");
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    for (int c = 0; c < numClasses; c++) {
      predictedIgnore[c] += other.predictedIgnore[c];
    }
  }

  public ConfusionMatrix copy() {
    ConfusionMatrix m = new ConfusionMatrix(numClasses);
    m.add(this);
    return m;
  }

  /** Pixels of true class {@code truth} predicted as class {@code predicted}. */
  public long count(int truth, int predicted) {
    return counts[truth * numClasses + predicted];
  }

  /** Pixels of true class {@code truth} whose prediction was the ignore value (misses). */
  public long predictedIgnore(int truth) {
    return predictedIgnore[truth];
  }

  /** The square matrix, rows = ground truth, columns = prediction (a copy). */
  public long[][] toArray() {
    long[][] m = new long[numClasses][];
    for (int t = 0; t < numClasses; t++) {
      m[t] = Arrays.copyOfRange(counts, t * numClasses, (t + 1) * numClasses);
    }
    return m;
  }

  public long truePositives(int c) {
    return count(c, c);
  }

  /** Labelled pixels of class c in the ground truth: TP_c + FN_c. */
  public long truthPixels(int c) {
    long sum = predictedIgnore[c];
    for (int p = 0; p < numClasses; p++) {
      sum += count(c, p);
    }
    return sum;
  }

  /** Pixels predicted as class c (where the ground truth is not ignored): TP_c + FP_c. */
  public long predictedPixels(int c) {
    long sum = 0;
    for (int t = 0; t < numClasses; t++) {
      sum += count(t, c);
    }
    return sum;
  }

  /** Pixels whose ground truth is not the ignore value. */
  public long pixels() {
    long sum = 0;
    for (int c = 0; c < numClasses; c++) {
      sum += truthPixels(c);
    }
    return sum;
  }

  /** IoU_c = TP / (TP + FP + FN); null where TP + FP + FN = 0. */
  public Double iou(int c) {
    long tp = truePositives(c);
    long union = truthPixels(c) + predictedPixels(c) - tp;
    return union == 0 ? null : (double) tp / union;
  }

  /** IoU_c of every class, in class order (null entries where undefined). */
  public List<Double> perClassIoU() {
    List<Double> iou = new ArrayList<>(numClasses);
    for (int c = 0; c < numClasses; c++) {
      iou.add(iou(c));
    }
    return iou;
  }

  /** The mean of IoU_c over the classes with TP + FP + FN > 0; null if there is none. */
  public Double meanIoU() {
    return Averages.meanOfDefined(perClassIoU());
  }

  /** sum TP / labelled pixels; null when no pixel is labelled. */
  public Double pixelAccuracy() {
    long tp = 0;
    for (int c = 0; c < numClasses; c++) {
      tp += truePositives(c);
    }
    long pixels = pixels();
    return pixels == 0 ? null : (double) tp / pixels;
  }

  /** The mean of TP_c / (TP_c + FN_c) over the classes present in the ground truth. */
  public Double meanClassAccuracy() {
    List<Double> accuracy = new ArrayList<>(numClasses);
    for (int c = 0; c < numClasses; c++) {
      long truth = truthPixels(c);
      accuracy.add(truth == 0 ? null : (double) truePositives(c) / truth);
    }
    return Averages.meanOfDefined(accuracy);
  }
}
