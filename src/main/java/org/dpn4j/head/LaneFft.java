package org.dpn4j.head;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Complex 2-D FFTs of size {@code ny x nx} (powers of two), {@link #VL} transforms at once: every
 * element is a vector of VL independent values (one per lane), stored at {@code at(y, x) + lane}
 * in separate real and imaginary arrays. Each scalar operation of a textbook radix-2 FFT is
 * then one vector operation, whatever the size, with no transposes; b13 puts its tiles in the lanes.
 *
 * <p>Forward: {@code Z(k) = sum_n z(n) exp(-2 pi i (ky y / ny + kx x / nx))}; the inverse uses
 * {@code +i} and is not normalised.
 */
final class LaneFft {
  static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
  static final int VL = SP.length();

  final int ny;
  final int nx;
  private final int rowStride;
  private final Axis rows;
  private final Axis cols;

  LaneFft(int ny, int nx) {
    this.ny = ny;
    this.nx = nx;
    this.rowStride = (nx + 1) * VL;
    this.rows = new Axis(nx);
    this.cols = new Axis(ny);
  }

  /** Floats in one real or imaginary array of a transform. */
  int size() {
    return ny * rowStride;
  }

  /**
   * Offset of element (y, x). Rows are padded by one element: with a power-of-two stride the
   * column passes would map every row to the same L1 sets (measured 4x slower at 64 x 64).
   */
  int at(int y, int x) {
    return y * rowStride + x * VL;
  }

  void transform(float[] re, float[] im, boolean inverse) {
    // All stages of one row, then of one strip of columns, so that the data stays in L1: along x a
    // butterfly pairs two VL-blocks of a row, along y two row segments of the strip.
    for (int y = 0; y < ny; y++) {
      rows.fft(re, im, at(y, 0), VL, VL, inverse);
    }
    int strip = Math.max(1, Math.min(nx, STRIP_FLOATS / (ny * VL)));
    for (int x = 0; x < nx; x += strip) {
      cols.fft(re, im, at(0, x), rowStride, Math.min(strip, nx - x) * VL, inverse);
    }
  }

  /** Floats of one column strip (re or im): both fit in L1 with room to spare. */
  private static final int STRIP_FLOATS = 4096;

  /** One axis of length n: bit-reversal table and twiddles exp(-2 pi i k / n), k < n/2. */
  private static final class Axis {
    final int n;
    final int[] rev;
    final float[] cos;
    final float[] sin;

    Axis(int n) {
      if (n < 1 || Integer.bitCount(n) != 1) {
        throw new IllegalArgumentException("FFT size must be a power of two, got " + n);
      }
      this.n = n;
      rev = new int[n];
      int bits = Integer.numberOfTrailingZeros(n);
      for (int i = 0; i < n; i++) {
        rev[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
      }
      cos = new float[Math.max(1, n / 2)];
      sin = new float[Math.max(1, n / 2)];
      for (int k = 0; k < n / 2; k++) {
        double a = 2 * Math.PI * k / n;
        cos[k] = (float) Math.cos(a);
        sin[k] = (float) Math.sin(a);
      }
    }

    /** FFT of the n elements at {@code base + i * stride}, each a run of {@code block} floats. */
    void fft(float[] re, float[] im, int base, int stride, int block, boolean inverse) {
      for (int i = 0; i < n; i++) {
        int j = rev[i];
        if (j > i) {
          swap(re, im, base + i * stride, base + j * stride, block);
        }
      }
      for (int half = 1; half < n; half <<= 1) {
        int step = n / (2 * half);
        for (int k = 0; k < half; k++) {
          float wr = cos[k * step];
          float wi = inverse ? sin[k * step] : -sin[k * step];
          for (int start = 0; start < n; start += 2 * half) {
            int p = base + (start + k) * stride;
            butterfly(re, im, p, p + half * stride, block, wr, wi);
          }
        }
      }
    }

    private static void swap(float[] re, float[] im, int a, int b, int block) {
      for (int e = 0; e < block; e += VL) {
        FloatVector ra = FloatVector.fromArray(SP, re, a + e);
        FloatVector ia = FloatVector.fromArray(SP, im, a + e);
        FloatVector.fromArray(SP, re, b + e).intoArray(re, a + e);
        FloatVector.fromArray(SP, im, b + e).intoArray(im, a + e);
        ra.intoArray(re, b + e);
        ia.intoArray(im, b + e);
      }
    }

    /** (a, b) <- (a + w b, a - w b). */
    private static void butterfly(float[] re, float[] im, int p, int q, int block, float wr, float wi) {
      FloatVector vwr = FloatVector.broadcast(SP, wr);
      FloatVector vwi = FloatVector.broadcast(SP, wi);
      for (int e = 0; e < block; e += VL) {
        FloatVector br = FloatVector.fromArray(SP, re, q + e);
        FloatVector bi = FloatVector.fromArray(SP, im, q + e);
        FloatVector tr = br.mul(vwr).sub(bi.mul(vwi));
        FloatVector ti = br.mul(vwi).add(bi.mul(vwr));
        FloatVector ar = FloatVector.fromArray(SP, re, p + e);
        FloatVector ai = FloatVector.fromArray(SP, im, p + e);
        ar.add(tr).intoArray(re, p + e);
        ai.add(ti).intoArray(im, p + e);
        ar.sub(tr).intoArray(re, q + e);
        ai.sub(ti).intoArray(im, q + e);
      }
    }
  }
}
