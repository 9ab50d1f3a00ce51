package org.dpn4j.value;

import java.util.Arrays;

/**
 * A stack of {@code c} maps of {@code h x w} floats, channel-major and row-major inside a map: one
 * image of an NCHW tensor. Element (k, y, x) lives at {@code data[(k * h + y) * w + x]}. This is the
 * currency of the DPN head's Java kernels (b12-b15): probabilities q (L maps), an image (3 maps,
 * RGB in [0, 1]), b13's K*L maps.
 */
public final class Maps {
  public final int c;
  public final int h;
  public final int w;
  public final float[] data;

  public Maps(int c, int h, int w) {
    this(c, h, w, new float[checkedSize(c, h, w)]);
  }

  public Maps(int c, int h, int w, float[] data) {
    if (data.length != checkedSize(c, h, w)) {
      throw new IllegalArgumentException(
          "data has " + data.length + " values, shape " + c + "x" + h + "x" + w + " needs " + (long) c * h * w);
    }
    this.c = c;
    this.h = h;
    this.w = w;
    this.data = data;
  }

  private static int checkedSize(int c, int h, int w) {
    if (c < 1 || h < 1 || w < 1) {
      throw new IllegalArgumentException("shape must be positive, got " + c + "x" + h + "x" + w);
    }
    long n = (long) c * h * w;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("shape " + c + "x" + h + "x" + w + " is too large for one array");
    }
    return (int) n;
  }

  /** Pixels per map. */
  public int plane() {
    return h * w;
  }

  /** Offset of map k in {@link #data}. */
  public int offset(int k) {
    return k * h * w;
  }

  public float get(int k, int y, int x) {
    return data[(k * h + y) * w + x];
  }

  public void set(int k, int y, int x, float v) {
    data[(k * h + y) * w + x] = v;
  }

  /** A zero-filled stack of the same shape. */
  public Maps zerosLike() {
    return new Maps(c, h, w);
  }

  public Maps copy() {
    return new Maps(c, h, w, data.clone());
  }

  public boolean sameShape(Maps o) {
    return c == o.c && h == o.h && w == o.w;
  }

  /** Throws a clear error when {@code o} does not have the same height and width. */
  public void requireSameSize(Maps o, String what) {
    if (h != o.h || w != o.w) {
      throw new IllegalArgumentException(
          what + " is " + o.h + "x" + o.w + " but the maps are " + h + "x" + w);
    }
  }

  /**
   * max |this - reference| / max |reference| over all values (the plain max error where the
   * reference is all zero): the error measure of the fast kernels against their references.
   */
  public double maxRelativeError(Maps reference) {
    if (!sameShape(reference)) {
      throw new IllegalArgumentException("shapes differ: " + shape() + " vs " + reference.shape());
    }
    double err = 0;
    double scale = 0;
    for (int i = 0; i < data.length; i++) {
      err = Math.max(err, Math.abs((double) data[i] - reference.data[i]));
      scale = Math.max(scale, Math.abs((double) reference.data[i]));
    }
    return scale == 0 ? err : err / scale;
  }

  public String shape() {
    return c + "x" + h + "x" + w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Maps m && sameShape(m) && Arrays.equals(data, m.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * c + h) + w) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Maps[" + shape() + "]";
  }
}
