package org.dpn4j.eval;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;

/**
 * Accumulates the metrics of DESIGN.md section 4 image by image (docs/METRICS.md says the same):
 *
 * <ul>
 *   <li><b>Confusion matrix</b> over every pixel whose ground truth is not the ignore value; from
 *       it IoU_c = TP / (TP + FP + FN) (null where TP + FP + FN = 0), mIoU = the mean over the
 *       classes with TP + FP + FN > 0, pixel accuracy = sum TP / pixels, mean class accuracy = the
 *       mean of TP / (TP + FN) over the classes with a ground-truth pixel ({@link ConfusionMatrix}).
 *   <li><b>Ignored pixels</b> (ground truth = ignore value) are removed from the predicted map as
 *       well before presence, boxes and boundaries are taken; so are predicted pixels equal to the
 *       ignore value. A removed pixel is of no class.
 *   <li><b>Presence</b> of class c in a label map: at least one pixel of c and at least
 *       {@code presenceThreshold} (0.1%) of the image's non-ignored pixels; the same rule for
 *       ground truth and prediction.
 *   <li><b>TA</b>: TA_c = the fraction of images whose predicted presence of c equals its
 *       ground-truth presence; TA = the mean of TA_c over all classes. Images with no non-ignored
 *       pixel carry no tags and are left out of TA.
 *   <li><b>LA (bIoU)</b>: for each image and class c present in the ground truth, the IoU of the
 *       bounding box of all predicted pixels of c with that of all its ground-truth pixels (boxes
 *       inclusive, in pixels: a single pixel is a 1 x 1 box), or 0 if c is not present in the
 *       prediction; LA_c = the mean over those images; LA = the mean over the classes present in at
 *       least one ground truth.
 *   <li><b>BA</b>: for each image and class c with bIoU >= 0.5, the boundary of c in a map is the
 *       set of pixels of c with a 4-neighbour inside the image that is not of c (the image border is
 *       not a boundary; an ignored neighbour is not of c, so the true boundary of an object rimmed
 *       by VOC's void band runs along the band, and so does the prediction's, cut at the band). A
 *       boundary pixel is matched if the other map's boundary has a pixel within a Euclidean
 *       distance (pixel centres, inclusive) of {@code boundaryTolerance} (0.0075) x the image
 *       diagonal sqrt(W^2 + H^2), found with an exact distance transform; no one-to-one assignment.
 *       Precision P = matched predicted / predicted boundary pixels, recall R = matched true / true
 *       boundary pixels, BA_{c,image} = 2PR / (P + R) (0 when P + R = 0; 1 when both boundaries are
 *       empty, 0 when only one is). BA_c = the mean over those images; BA = the mean over the
 *       classes that have at least one.
 * </ul>
 *
 * Thread-safe: {@link #add} scores the image outside any lock and then adds its sums; instances
 * can also be filled separately (one per Spark partition: they are serializable) and
 * {@link #merge merged}. Sums are exact (integer counts, LA and
 * BA in fixed point with 2^-40 steps), so the result does not depend on the order of the images.
 */
public final class SegmentationMetrics implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<String> classNames;
  private final MetricsOptions options;
  private final Tally tally;

  /** The paper's settings (presence 0.1%, tolerance 0.0075 x diagonal) with this ignore value. */
  public SegmentationMetrics(List<String> classNames, int ignore) {
    this(classNames, MetricsOptions.defaults(ignore));
  }

  /** @param classNames one name per class, in label order (class c = classNames.get(c)) */
  public SegmentationMetrics(List<String> classNames, MetricsOptions options) {
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("no class names given");
    }
    if (new HashSet<>(classNames).size() != classNames.size()) {
      throw new IllegalArgumentException("class names are not distinct: " + classNames);
    }
    this.classNames = List.copyOf(classNames);
    this.options = options;
    this.tally = new Tally(classNames.size());
  }

  public List<String> classNames() {
    return classNames;
  }

  public MetricsOptions options() {
    return options;
  }

  /**
   * Adds one image: predicted and ground-truth label maps of {@code width x height} pixels,
   * row-major ({@code map[y * width + x]}). Every value must be a class in [0, number of classes)
   * or the ignore value.
   */
  public void add(int[] predicted, int[] truth, int width, int height) {
    if (width < 1 || height < 1 || (long) width * height != truth.length) {
      throw new IllegalArgumentException(
          "a "
              + width
              + " x "
              + height
              + " image does not have the "
              + truth.length
              + " pixels of its ground-truth map");
    }
    LabelChecks.requireSameSize(predicted.length, truth.length);
    Tally image =
        ImageMetrics.score(predicted, truth, width, height, classNames.size(), options);
    synchronized (this) {
      tally.add(image);
    }
  }

  /** {@link #add(int[], int[], int, int)} for 8-bit maps, read as unsigned values 0..255. */
  public void add(byte[] predicted, byte[] truth, int width, int height) {
    add(LabelChecks.unsigned(predicted), LabelChecks.unsigned(truth), width, height);
  }

  /** Adds the images of another accumulator with the same classes and options. */
  public void merge(SegmentationMetrics other) {
    if (!other.classNames.equals(classNames) || !other.options.equals(options)) {
      throw new IllegalArgumentException(
          "cannot merge metrics of classes "
              + other.classNames
              + " with "
              + other.options
              + " into metrics of classes "
              + classNames
              + " with "
              + options);
    }
    Tally snapshot;
    synchronized (other) {
      snapshot = other.tally.copy();
    }
    synchronized (this) {
      tally.add(snapshot);
    }
  }

  /** The confusion matrix of the images added so far (a copy). */
  public synchronized ConfusionMatrix confusionMatrix() {
    return tally.confusion.copy();
  }

  /** The metrics of the images added so far. */
  public synchronized MetricsResult result() {
    return tally.result(classNames);
  }
}
