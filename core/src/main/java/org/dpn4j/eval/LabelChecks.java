package org.dpn4j.eval;

/** Checks and conversions shared by the metrics' label-map inputs. */
final class LabelChecks {

  private LabelChecks() {}

  /** The labels of an 8-bit map read as unsigned values 0..255 (a PNG's grey or palette index). */
  static int[] unsigned(byte[] map) {
    int[] labels = new int[map.length];
    for (int i = 0; i < map.length; i++) {
      labels[i] = map[i] & 0xFF;
    }
    return labels;
  }

  static void requireSameSize(int predictedPixels, int truthPixels) {
    if (predictedPixels != truthPixels) {
      throw new IllegalArgumentException(
          "predicted map has "
              + predictedPixels
              + " pixels but the ground truth has "
              + truthPixels);
    }
  }

  /** Throws when {@code label} is neither a class in [0, numClasses) nor the ignore value. */
  static void requireLabel(int label, String which, int pixel, int numClasses, int ignore) {
    if ((label < 0 || label >= numClasses) && label != ignore) {
      throw new IllegalArgumentException(
          which
              + " label "
              + label
              + " at pixel "
              + pixel
              + " is outside [0, "
              + numClasses
              + ") and is not the ignore value "
              + ignore);
    }
  }
}
