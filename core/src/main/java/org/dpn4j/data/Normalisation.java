package org.dpn4j.data;

import org.dpn4j.value.Maps;

/**
 * Per-channel normalisation of the unary network's input: {@code x' = (x - mean_k) / std_k} on RGB
 * in [0, 1]. As a {@link PairTransform} it leaves the labels alone (evaluation's only transform).
 */
public record Normalisation(float[] mean, float[] std) implements PairTransform {

  /** The ImageNet statistics torchvision's models use. */
  public static final Normalisation IMAGENET =
      new Normalisation(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

  /** RGB in [0, 1] to [-1, 1], MobileNetV2's (TFLite) input range. */
  public static final Normalisation SYMMETRIC =
      new Normalisation(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});

  /** The identity. */
  public static final Normalisation NONE =
      new Normalisation(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});

  public Normalisation {
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException(
          "mean and std need 3 values (R, G, B), got " + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0f) || !Float.isFinite(s)) {
        throw new IllegalArgumentException("std values must be positive and finite, got " + s);
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /** A normalised copy of the RGB stack {@code rgb}. */
  public Maps apply(Maps rgb) {
    Maps out = zerosLikeRgb(rgb);
    int plane = rgb.plane();
    for (int k = 0; k < 3; k++) {
      float m = mean[k];
      float inv = 1f / std[k];
      int o = rgb.offset(k);
      for (int i = o; i < o + plane; i++) {
        out.data[i] = (rgb.data[i] - m) * inv;
      }
    }
    return out;
  }

  /** The RGB stack whose normalisation is {@code normalised}: {@code x = x' std_k + mean_k}. */
  public Maps undo(Maps normalised) {
    Maps out = zerosLikeRgb(normalised);
    int plane = normalised.plane();
    for (int k = 0; k < 3; k++) {
      int o = normalised.offset(k);
      for (int i = o; i < o + plane; i++) {
        out.data[i] = normalised.data[i] * std[k] + mean[k];
      }
    }
    return out;
  }

  /** A zero stack of {@code rgb}'s size, once {@code rgb} is checked to hold 3 maps. */
  private static Maps zerosLikeRgb(Maps rgb) {
    if (rgb.c != 3) {
      throw new IllegalArgumentException("normalisation expects 3 RGB maps, got " + rgb.shape());
    }
    return rgb.zerosLike();
  }

  @Override
  public LabelledImage apply(LabelledImage in, long seed) {
    return new LabelledImage(in.name(), apply(in.image()), in.labels());
  }
}
