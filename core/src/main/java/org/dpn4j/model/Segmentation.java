package org.dpn4j.model;

import java.awt.image.BufferedImage;
import org.dpn4j.data.LabelSet;
import org.dpn4j.value.Maps;
import org.dpn4j.io.LabelMaps;

/**
 * One image's segmentation at the image's size: the label of every pixel (the arg-max of the
 * probabilities) and the per-label probabilities, with the model's label set for drawing.
 */
public final class Segmentation {

  /** How much of the label colour an {@link #overlay()} shows over the photo. */
  public static final float OVERLAY_ALPHA = 0.5f;

  private final Maps image;
  private final Maps probabilities;
  private final int[] labels;
  private final LabelSet labelSet;

  /**
   * The segmentation given by {@code probabilities} (L x H x W) of {@code image} (3 x H x W, RGB
   * in [0, 1]) at the same size; the labels are their arg-max.
   */
  public Segmentation(Maps image, Maps probabilities, LabelSet labelSet) {
    image.requireSameSize(probabilities, "probabilities");
    this.image = image;
    this.probabilities = probabilities;
    this.labels = LabelMaps.argmax(probabilities);
    this.labelSet = labelSet;
  }

  public int width() {
    return image.w;
  }

  public int height() {
    return image.h;
  }

  /** The label of every pixel, row-major: {@code labels()[y * width() + x]}. */
  public int[] labels() {
    return labels;
  }

  /** The label of pixel (x, y). */
  public int label(int x, int y) {
    return labels[y * image.w + x];
  }

  /** L x H x W probabilities (each pixel's sum to 1): the unary's softmax, or b15's output with the head. */
  public Maps probabilities() {
    return probabilities;
  }

  /** The label set (names, colours, ignore value) the labels refer to. */
  public LabelSet labelSet() {
    return labelSet;
  }

  /** The labels as an 8-bit indexed image whose palette holds the label colours. */
  public BufferedImage labelImage() {
    return LabelMaps.indexed(labels, image.h, image.w, labelSet.colours());
  }

  /** The photo with the label colours blended over it ({@link #OVERLAY_ALPHA}). */
  public BufferedImage overlay() {
    return LabelMaps.overlay(image, labels, labelSet.colours(), OVERLAY_ALPHA);
  }
}
