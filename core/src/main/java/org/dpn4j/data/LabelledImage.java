package org.dpn4j.data;

import org.dpn4j.value.Maps;

/**
 * A photo (3 x H x W, RGB in [0, 1] as read, normalised after {@link Normalisation}) with its label
 * map ({@code labels[y * W + x]}: a class or the ignore value).
 */
public record LabelledImage(String name, Maps image, int[] labels) {

  public LabelledImage {
    if (image.plane() != labels.length) {
      throw new IllegalArgumentException(
          name + ": " + labels.length + " labels for an image of " + image.h + "x" + image.w);
    }
  }

  public int h() {
    return image.h;
  }

  public int w() {
    return image.w;
  }
}
