package org.dpn4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.dpn4j.util.Parallel;

/**
 * Median frequency balancing (Eigen and Fergus 2015, as SegNet uses it; DESIGN.md section 3):
 *
 * <pre>
 *   freq_c = (pixels of class c) / (pixels of the images where c appears)
 *   w_c    = median_c'(freq_c') / freq_c
 * </pre>
 *
 * "Pixels of the images" counts every pixel of such an image, ignored ones included. The median is
 * over the classes that appear in at least one image (the mean of the two middle values for an
 * even count); a class that never appears gets weight 0, which is harmless since it never
 * contributes to the loss.
 */
public final class MedianFrequency {

  private MedianFrequency() {}

  /** Per class: its pixels, and the pixels of the images where it appears. */
  public record Counts(long[] classPixels, long[] imagePixels) {

    /** The counts of one label map over {@code classes} classes (other values are ignored). */
    public static Counts of(int[] labels, int classes) {
      long[] px = new long[classes];
      for (int v : labels) {
        if (v >= 0 && v < classes) {
          px[v]++;
        }
      }
      long[] img = new long[classes];
      for (int c = 0; c < classes; c++) {
        img[c] = px[c] > 0 ? labels.length : 0;
      }
      return new Counts(px, img);
    }

    public Counts plus(Counts o) {
      long[] px = classPixels.clone();
      long[] img = imagePixels.clone();
      for (int c = 0; c < px.length; c++) {
        px[c] += o.classPixels[c];
        img[c] += o.imagePixels[c];
      }
      return new Counts(px, img);
    }

    /** The weights w_c = median(freq) / freq_c. */
    public double[] weights() {
      int n = classPixels.length;
      double[] freq = new double[n];
      double[] present = new double[n];
      int m = 0;
      for (int c = 0; c < n; c++) {
        if (imagePixels[c] > 0) {
          freq[c] = (double) classPixels[c] / imagePixels[c];
          present[m++] = freq[c];
        }
      }
      if (m == 0) {
        throw new IllegalStateException("no class appears in the labels: no weights to compute");
      }
      Arrays.sort(present, 0, m);
      double median = m % 2 == 1 ? present[m / 2] : 0.5 * (present[m / 2 - 1] + present[m / 2]);
      double[] w = new double[n];
      for (int c = 0; c < n; c++) {
        w[c] = imagePixels[c] > 0 ? median / freq[c] : 0;
      }
      return w;
    }
  }

  /** Scans the label maps of {@code samples} (in parallel, labels only) and counts. */
  public static Counts count(Dataset dataset, List<Sample> samples) throws IOException {
    int classes = dataset.labels().size();
    Counts[] each = new Counts[samples.size()];
    try {
      Parallel.forEach(
          samples.size(),
          i -> {
            try {
              each[i] = Counts.of(dataset.readLabels(samples.get(i)).labels(), classes);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Counts sum = new Counts(new long[classes], new long[classes]);
    for (Counts c : each) {
      sum = sum.plus(c);
    }
    return sum;
  }

  /** The median frequency weights of a split. */
  public static double[] weights(Dataset dataset, List<Sample> samples) throws IOException {
    return count(dataset, samples).weights();
  }
}
