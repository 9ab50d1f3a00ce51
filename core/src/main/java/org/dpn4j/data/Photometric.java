package org.dpn4j.data;

import java.util.SplittableRandom;
import org.dpn4j.value.Maps;

/**
 * Photometric training augmentation (issue 12: drives the model never saw differ in light), applied
 * to the photo alone (RGB in [0, 1], before normalisation), beside the scale, crop and flip of
 * {@link Augmentation}. Per sample it draws, always all and in this order:
 *
 * <ol>
 *   <li>brightness factor b uniform in [1 - brightness, 1 + brightness]: x' = b x;
 *   <li>contrast factor c uniform in [1 - contrast, 1 + contrast]: x' = m + c (x - m), m the image's
 *       mean grey value (after the brightness);
 *   <li>saturation factor s uniform in [1 - saturation, 1 + saturation]: x' = g + s (x - g), g the
 *       pixel's grey value;
 *   <li>hue shift h uniform in [-hue, hue] turns of the colour circle: the chroma (I, Q of YIQ)
 *       rotated by 2 pi h about the grey axis, grey values unchanged;
 *   <li>blur: with probability 1/2 a Gaussian of sigma uniform in [0, blur] pixels (separable,
 *       radius ceil(3 sigma), edge pixels repeated); no blur below sigma {@link #MIN_SIGMA}.
 * </ol>
 *
 * Grey is ITU-R 601 luma, 0.299 R + 0.587 G + 0.114 B, as torchvision's ColorJitter. The colour
 * steps are one affine map per pixel, composed before it runs; the result is clamped to [0, 1] once,
 * at the end (torchvision clamps after each step: the two differ only where a step leaves [0, 1]).
 * A range of 0 leaves its step out exactly: {@link #NONE} returns the photo unchanged, and a
 * brightness of 0 changes nothing.
 *
 * @param brightness in [0, 1]
 * @param contrast in [0, 1]
 * @param saturation in [0, 1]
 * @param hue in [0, 0.5]
 * @param blur the largest blur sigma in pixels, in [0, {@link #MAX_BLUR}]
 */
public record Photometric(double brightness, double contrast, double saturation, double hue, double blur) {

  /** No photometric change (the default of every configuration that does not ask for one). */
  public static final Photometric NONE = new Photometric(0, 0, 0, 0, 0);

  /**
   * Moderate ranges for street scenes (issue 12's configurations): brightness, contrast and
   * saturation +-30 %, hue +-0.02 turn (7 degrees: roads stay grey, skies blue), blur sigma up to 1 pixel.
   */
  public static final Photometric MODERATE = new Photometric(0.3, 0.3, 0.3, 0.02, 1.0);

  /** The largest blur range accepted: a slight blur, not a different image. */
  public static final double MAX_BLUR = 3;

  /** Below this sigma a Gaussian's neighbours weigh less than 0.4 %: no blur. */
  public static final double MIN_SIGMA = 0.3;

  private static final float[] LUMA = {0.299f, 0.587f, 0.114f};
  /** RGB to YIQ (FCC); rows Y, I, Q. */
  private static final double[][] YIQ = {{0.299, 0.587, 0.114}, {0.596, -0.274, -0.322}, {0.211, -0.523, 0.312}};
  /** YIQ to RGB, the inverse of {@link #YIQ}. */
  private static final double[][] RGB = invert(YIQ);

  public Photometric {
    check("brightness", brightness, 1);
    check("contrast", contrast, 1);
    check("saturation", saturation, 1);
    check("hue", hue, 0.5);
    check("blur", blur, MAX_BLUR);
  }

  private static void check(String what, double v, double max) {
    if (!(v >= 0 && v <= max)) {
      throw new IllegalArgumentException(what + " must be in [0, " + max + "], got " + v);
    }
  }

  /** Whether this changes nothing. */
  public boolean none() {
    return equals(NONE);
  }

  /**
   * One sample's factors.
   *
   * @param sigma the blur's sigma in pixels (0: none)
   */
  public record Draw(double brightness, double contrast, double saturation, double hue, double sigma) {

    /** The identity. */
    public static final Draw IDENTITY = new Draw(1, 1, 1, 0, 0);
  }

  /** The factors of one sample from {@code rnd} (six draws, always, in the order of the class comment). */
  public Draw draw(SplittableRandom rnd) {
    double b = factor(rnd, brightness);
    double c = factor(rnd, contrast);
    double s = factor(rnd, saturation);
    double u = rnd.nextDouble();
    double h = hue == 0 ? 0 : hue * (2 * u - 1);
    boolean blurred = rnd.nextBoolean();
    double sigma = blur * rnd.nextDouble();
    return new Draw(b, c, s, h, blurred && sigma >= MIN_SIGMA ? sigma : 0);
  }

  private static double factor(SplittableRandom rnd, double range) {
    double u = rnd.nextDouble();
    return range == 0 ? 1 : 1 + range * (2 * u - 1);
  }

  /** The pair with its photo changed by a draw from {@code rnd}; {@code in} itself when this is {@link #NONE}. */
  public LabelledImage apply(LabelledImage in, SplittableRandom rnd) {
    if (none()) {
      return in;
    }
    return new LabelledImage(in.name(), apply(in.image(), draw(rnd)), in.labels());
  }

  /** {@code rgb} (3 maps in [0, 1]) changed by {@code d}, a new stack. */
  public static Maps apply(Maps rgb, Draw d) {
    if (rgb.c != 3) {
      throw new IllegalArgumentException("photometric augmentation needs 3 RGB maps, got " + rgb.shape());
    }
    Maps out = colour(rgb, d);
    return d.sigma() > 0 ? blur(out, d.sigma()) : out;
  }

  /** The colour steps as one affine map A x + t per pixel, then clamped; a copy when the map is the identity. */
  private static Maps colour(Maps rgb, Draw d) {
    int plane = rgb.plane();
    if (d.brightness() == 1 && d.contrast() == 1 && d.saturation() == 1 && d.hue() == 0) {
      return new Maps(3, rgb.h, rgb.w, rgb.data.clone());
    }
    double[][] a = scaled(identity(), d.brightness());
    double[] t = new double[3];
    if (d.contrast() != 1) {
      // m: the mean grey after the brightness, b times the photo's.
      double m = meanGrey(rgb) * d.brightness();
      a = scaled(a, d.contrast());
      for (int k = 0; k < 3; k++) {
        t[k] = (1 - d.contrast()) * m;
      }
    }
    if (d.saturation() != 1) {
      double[][] s = new double[3][3];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          s[i][j] = (1 - d.saturation()) * LUMA[j] + (i == j ? d.saturation() : 0);
        }
      }
      a = times(s, a);
      t = times(s, t);
    }
    if (d.hue() != 0) {
      double th = 2 * Math.PI * d.hue();
      double[][] r = {{1, 0, 0}, {0, Math.cos(th), -Math.sin(th)}, {0, Math.sin(th), Math.cos(th)}};
      double[][] h = times(RGB, times(r, YIQ));
      a = times(h, a);
      t = times(h, t);
    }
    Maps out = new Maps(3, rgb.h, rgb.w);
    float[] x = rgb.data;
    for (int i = 0; i < plane; i++) {
      float r = x[i];
      float g = x[plane + i];
      float b = x[2 * plane + i];
      for (int k = 0; k < 3; k++) {
        double v = a[k][0] * r + a[k][1] * g + a[k][2] * b + t[k];
        out.data[k * plane + i] = (float) Math.min(1, Math.max(0, v));
      }
    }
    return out;
  }

  private static double meanGrey(Maps rgb) {
    int plane = rgb.plane();
    double sum = 0;
    for (int i = 0; i < plane; i++) {
      sum += LUMA[0] * rgb.data[i] + LUMA[1] * rgb.data[plane + i] + LUMA[2] * rgb.data[2 * plane + i];
    }
    return sum / plane;
  }

  /** Each map blurred by a separable Gaussian of {@code sigma}, edge pixels repeated; a new stack. */
  static Maps blur(Maps in, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    float[] kernel = new float[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      sum += Math.exp(-0.5 * i * i / (sigma * sigma));
    }
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = (float) (Math.exp(-0.5 * i * i / (sigma * sigma)) / sum);
    }
    int h = in.h;
    int w = in.w;
    Maps rows = new Maps(in.c, h, w);
    Maps out = new Maps(in.c, h, w);
    for (int k = 0; k < in.c; k++) {
      int o = in.offset(k);
      for (int y = 0; y < h; y++) {
        int row = o + y * w;
        for (int x = 0; x < w; x++) {
          float v = 0;
          for (int i = -radius; i <= radius; i++) {
            v += kernel[i + radius] * in.data[row + Math.min(w - 1, Math.max(0, x + i))];
          }
          rows.data[row + x] = v;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = 0;
          for (int i = -radius; i <= radius; i++) {
            v += kernel[i + radius] * rows.data[o + Math.min(h - 1, Math.max(0, y + i)) * w + x];
          }
          out.data[o + y * w + x] = v;
        }
      }
    }
    return out;
  }

  private static double[][] identity() {
    return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  }

  private static double[][] scaled(double[][] a, double f) {
    double[][] out = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        out[i][j] = a[i][j] * f;
      }
    }
    return out;
  }

  private static double[][] times(double[][] a, double[][] b) {
    double[][] out = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          out[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return out;
  }

  private static double[] times(double[][] a, double[] v) {
    double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < 3; k++) {
        out[i] += a[i][k] * v[k];
      }
    }
    return out;
  }

  /** The inverse of a 3 x 3 matrix (by its adjugate). */
  private static double[][] invert(double[][] m) {
    double[][] c = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        int i1 = (i + 1) % 3;
        int i2 = (i + 2) % 3;
        int j1 = (j + 1) % 3;
        int j2 = (j + 2) % 3;
        // Cofactor (i, j), stored transposed: the adjugate.
        c[j][i] = m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1];
      }
    }
    double det = m[0][0] * c[0][0] + m[0][1] * c[1][0] + m[0][2] * c[2][0];
    return scaled(c, 1 / det);
  }
}
