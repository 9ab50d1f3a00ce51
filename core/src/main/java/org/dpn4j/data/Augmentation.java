package org.dpn4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;

/**
 * The training augmentation of DESIGN.md section 3, applied to the photo and its labels together:
 *
 * <ol>
 *   <li>random scale s uniform in [minScale, maxScale] (default [0.5, 2.0]): the photo bilinear
 *       (half-pixel centres), the labels NEAREST (labels are never interpolated); the new size is
 *       round(s * H) x round(s * W);
 *   <li>random crop to cropH x cropW; a side shorter than the crop is padded at the bottom/right
 *       (DeepLab's convention), labels with the ignore value, the photo with the normalisation mean,
 *       which is 0 after normalising (plain zero padding with {@link Normalisation#NONE});
 *   <li>horizontal flip with probability 1/2 (if enabled);
 *   <li>per-channel normalisation.
 * </ol>
 *
 * The random draws (scale, crop y, crop x, flip) come from a {@link SplittableRandom} seeded with
 * {@code seed}, always all four and in this order, so a seed fixes the sample.
 *
 * <p>With a {@link Photometric} other than {@link Photometric#NONE}, the photo's colours and blur
 * change first (before the scale), from draws of a second stream split off the same seed, so the
 * geometric draws above are the same with or without it; without it the sample is exactly what it
 * was before photometric augmentation existed (old runs resume identically).
 */
public record Augmentation(
    double minScale, double maxScale, int cropH, int cropW, boolean flip, Normalisation norm, int ignore,
    Photometric photometric) implements PairTransform {

  /** Without photometric changes. */
  public Augmentation(
      double minScale, double maxScale, int cropH, int cropW, boolean flip, Normalisation norm, int ignore) {
    this(minScale, maxScale, cropH, cropW, flip, norm, ignore, Photometric.NONE);
  }

  public Augmentation {
    if (photometric == null) {
      throw new IllegalArgumentException("photometric must be given (Photometric.NONE for none)");
    }
    if (!(minScale > 0) || !(maxScale >= minScale) || !Double.isFinite(maxScale)) {
      throw new IllegalArgumentException("scale range [" + minScale + ", " + maxScale + "] is not valid");
    }
    if (cropH < 1 || cropW < 1) {
      throw new IllegalArgumentException("crop must be positive, got " + cropH + "x" + cropW);
    }
  }

  /** The training scale range of {@link #training}. */
  public static final double MIN_SCALE = 0.5;

  public static final double MAX_SCALE = 2.0;

  /** DESIGN.md's defaults: scale in [0.5, 2.0], a cropH x cropW crop, flips. */
  public static Augmentation training(int cropH, int cropW, Normalisation norm, int ignore) {
    return new Augmentation(MIN_SCALE, MAX_SCALE, cropH, cropW, true, norm, ignore);
  }

  /** This augmentation with photometric changes {@code p}. */
  public Augmentation withPhotometric(Photometric p) {
    return new Augmentation(minScale, maxScale, cropH, cropW, flip, norm, ignore, p);
  }

  @Override
  public LabelledImage apply(LabelledImage in, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double s = minScale + (maxScale - minScale) * rnd.nextDouble();
    int h = scaledSize(in.h(), s);
    int w = scaledSize(in.w(), s);
    int y0 = rnd.nextInt(Math.max(0, h - cropH) + 1);
    int x0 = rnd.nextInt(Math.max(0, w - cropW) + 1);
    boolean mirror = rnd.nextBoolean();
    LabelledImage src = photometric.apply(in, new SplittableRandom(seed).split());
    // Only the crop's part of the scaled pair is computed: the same values as scaling it all first.
    LabelledImage window = scaledWindow(src, h, w, y0, x0, Math.min(cropH, h - y0), Math.min(cropW, w - x0));
    LabelledImage out = crop(window, 0, 0, cropH, cropW, norm.mean(), ignore);
    if (flip && mirror) {
      out = flip(out);
    }
    return norm.apply(out, seed);
  }

  /** round(s * n), at least 1: a side's length after scaling by s. */
  private static int scaledSize(int n, double s) {
    return Math.max(1, (int) Math.round(n * s));
  }

  /** The pair resized by {@code s}: bilinear photo, nearest labels; s = 1 returns {@code in}. */
  public static LabelledImage scale(LabelledImage in, double s) {
    int h = scaledSize(in.h(), s);
    int w = scaledSize(in.w(), s);
    return scaledWindow(in, h, w, 0, 0, h, w);
  }

  /**
   * The {@code wh x ww} window at (y0, x0) of the pair resized to {@code h x w} (bilinear photo,
   * nearest labels), computed alone; {@code in} itself when the size and the window are its own.
   */
  static LabelledImage scaledWindow(LabelledImage in, int h, int w, int y0, int x0, int wh, int ww) {
    if (h == in.h() && w == in.w()) {
      return wh == h && ww == w ? in : crop(in, y0, x0, wh, ww, new float[in.image().c], 0);
    }
    int[] labels = new int[wh * ww];
    int[] sx = nearest(in.w(), w);
    int[] sy = nearest(in.h(), h);
    for (int y = 0; y < wh; y++) {
      int row = sy[y0 + y] * in.w();
      for (int x = 0; x < ww; x++) {
        labels[y * ww + x] = in.labels()[row + sx[x0 + x]];
      }
    }
    return new LabelledImage(in.name(), Images.resizeBilinear(in.image(), h, w, y0, x0, wh, ww), labels);
  }

  /** For each of {@code out} positions, the source position whose centre is nearest (half-pixel centres). */
  private static int[] nearest(int in, int out) {
    int[] src = new int[out];
    double step = (double) in / out;
    for (int i = 0; i < out; i++) {
      src[i] = Math.min(in - 1, (int) Math.floor((i + 0.5) * step));
    }
    return src;
  }

  /**
   * The {@code h x w} window at (y0, x0); positions outside the pair get {@code pad[k]} in photo
   * channel k and {@code ignore} in the labels.
   */
  public static LabelledImage crop(LabelledImage in, int y0, int x0, int h, int w, float[] pad, int ignore) {
    Maps src = in.image();
    Maps img = new Maps(src.c, h, w);
    int[] labels = new int[h * w];
    for (int k = 0; k < src.c; k++) {
      Arrays.fill(img.data, img.offset(k), img.offset(k) + h * w, pad[k]);
    }
    Arrays.fill(labels, ignore);
    int ys = Math.max(0, -y0);
    int ye = Math.min(h, src.h - y0);
    int xs = Math.max(0, -x0);
    int xe = Math.min(w, src.w - x0);
    for (int y = ys; y < ye; y++) {
      int from = (y + y0) * src.w + x0 + xs;
      System.arraycopy(in.labels(), from, labels, y * w + xs, xe - xs);
      for (int k = 0; k < src.c; k++) {
        System.arraycopy(src.data, src.offset(k) + from, img.data, img.offset(k) + y * w + xs, xe - xs);
      }
    }
    return new LabelledImage(in.name(), img, labels);
  }

  /** The pair mirrored left to right. */
  public static LabelledImage flip(LabelledImage in) {
    int h = in.h();
    int w = in.w();
    int[] labels = new int[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        labels[y * w + x] = in.labels()[y * w + w - 1 - x];
      }
    }
    return new LabelledImage(in.name(), Images.mirror(in.image()), labels);
  }
}
