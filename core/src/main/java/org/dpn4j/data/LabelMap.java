package org.dpn4j.data;

/** A decoded label map: {@code labels[y * w + x]} is a class in [0, n) or the ignore value. */
public record LabelMap(int h, int w, int[] labels) {

  public LabelMap {
    if ((long) h * w != labels.length) {
      throw new IllegalArgumentException(labels.length + " labels for a " + h + "x" + w + " map");
    }
  }
}
