package org.dpn4j.eval;

import java.io.Serializable;

/**
 * The settings of {@link SegmentationMetrics} (DESIGN.md section 4).
 *
 * @param ignore the ground-truth value that is left out everywhere (CamVid 11, VOC and Cityscapes
 *     255); a value no map holds (e.g. -1) ignores nothing
 * @param presenceThreshold a class is present in a label map when it has at least one pixel and at
 *     least this fraction of the map's non-ignored pixels (default 0.001 = 0.1%)
 * @param boundaryTolerance boundary pixels match within this fraction of the image diagonal
 *     (default 0.0075)
 */
public record MetricsOptions(int ignore, double presenceThreshold, double boundaryTolerance)
    implements Serializable {

  public static final double DEFAULT_PRESENCE_THRESHOLD = 0.001;
  public static final double DEFAULT_BOUNDARY_TOLERANCE = 0.0075;

  public MetricsOptions {
    if (!(presenceThreshold >= 0 && presenceThreshold <= 1)) {
      throw new IllegalArgumentException(
          "presence threshold must be a fraction in [0, 1], got " + presenceThreshold);
    }
    if (!(boundaryTolerance >= 0 && Double.isFinite(boundaryTolerance))) {
      throw new IllegalArgumentException(
          "boundary tolerance must be a finite fraction >= 0 of the diagonal, got "
              + boundaryTolerance);
    }
  }

  /** The paper's settings with the dataset's ignore value. */
  public static MetricsOptions defaults(int ignore) {
    return new MetricsOptions(ignore, DEFAULT_PRESENCE_THRESHOLD, DEFAULT_BOUNDARY_TOLERANCE);
  }
}
