package org.dpn4j.head;

import org.dpn4j.util.Simd;

/**
 * Complex 2-D FFTs of size {@code ny x nx} (powers of two), {@link #VL} transforms at once: every
 * element is a vector of VL independent values (one per lane), stored at {@code at(y, x) + lane}
 * in separate real and imaginary arrays. Each scalar operation of a textbook radix-2 FFT (its
 * stages taken two at a time) is then one vector operation, whatever the size, with no transposes;
 * b13 puts its tiles in the lanes. About 60 GFLOP/s (5 n log2 n) on one core here at 32 x 32.
 *
 * <p>Forward: {@code Z(k) = sum_n z(n) exp(-2 pi i (ky y / ny + kx x / nx))}; the inverse uses
 * {@code +i} and is not normalised.
 */
final class LaneFft {
  /** Transforms at once: the lanes of a float vector ({@link LaneFftVectors} runs the loops then). */
  static final int VL = Simd.FLOAT_LANES;

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
      int half = 1;
      if (Integer.numberOfTrailingZeros(n) % 2 == 1) {
        for (int start = 0; start < n; start += 2) {
          int p = base + start * stride;
          butterfly(re, im, p, p + stride, block, 1f, 0f);
        }
        half = 2;
      }
      // Two radix-2 stages (spans half and 2 half) at once: half the passes over the data.
      for (; half < n; half <<= 2) {
        int step1 = n / (2 * half);
        int step2 = n / (4 * half);
        for (int k = 0; k < half; k++) {
          float w1r = cos[k * step1];
          float w1i = inverse ? sin[k * step1] : -sin[k * step1];
          float w2r = cos[k * step2];
          float w2i = inverse ? sin[k * step2] : -sin[k * step2];
          for (int start = 0; start < n; start += 4 * half) {
            int p = base + (start + k) * stride;
            radix4(re, im, p, half * stride, block, w1r, w1i, w2r, w2i, inverse);
          }
        }
      }
    }

    private static void swap(float[] re, float[] im, int a, int b, int block) {
      if (Simd.VECTOR) {
        LaneFftVectors.swap(re, im, a, b, block);
        return;
      }
      for (int e = 0; e < block; e++) {
        float r = re[a + e];
        float i = im[a + e];
        re[a + e] = re[b + e];
        im[a + e] = im[b + e];
        re[b + e] = r;
        im[b + e] = i;
      }
    }

    /**
     * The radix-2 stages of spans h and 2h on the elements a0..a3 at p + j * span: first (a0, a1)
     * and (a2, a3) with twiddle w1, then (b0, b2) with w2 and (b1, b3) with w2 * exp(-+ i pi / 2).
     */
    private static void radix4(
        float[] re, float[] im, int p, int span, int block, float w1r, float w1i, float w2r, float w2i,
        boolean inverse) {
      // exp(-i pi/2) = -i forward, +i inverse: w3 = w2 * (-+i).
      float w3r = inverse ? -w2i : w2i;
      float w3i = inverse ? w2r : -w2r;
      if (Simd.VECTOR) {
        LaneFftVectors.radix4(re, im, p, span, block, w1r, w1i, w2r, w2i, w3r, w3i);
        return;
      }
      for (int e = 0; e < block; e++) {
        int i0 = p + e;
        int i1 = i0 + span;
        int i2 = i1 + span;
        int i3 = i2 + span;
        float t1r = re[i1] * w1r - im[i1] * w1i;
        float t1i = re[i1] * w1i + im[i1] * w1r;
        float t3r = re[i3] * w1r - im[i3] * w1i;
        float t3i = re[i3] * w1i + im[i3] * w1r;
        float b0r = re[i0] + t1r;
        float b0i = im[i0] + t1i;
        float b1r = re[i0] - t1r;
        float b1i = im[i0] - t1i;
        float b2r = re[i2] + t3r;
        float b2i = im[i2] + t3i;
        float b3r = re[i2] - t3r;
        float b3i = im[i2] - t3i;
        float u2r = b2r * w2r - b2i * w2i;
        float u2i = b2r * w2i + b2i * w2r;
        float u3r = b3r * w3r - b3i * w3i;
        float u3i = b3r * w3i + b3i * w3r;
        re[i0] = b0r + u2r;
        im[i0] = b0i + u2i;
        re[i2] = b0r - u2r;
        im[i2] = b0i - u2i;
        re[i1] = b1r + u3r;
        im[i1] = b1i + u3i;
        re[i3] = b1r - u3r;
        im[i3] = b1i - u3i;
      }
    }

    /** (a, b) <- (a + w b, a - w b). */
    private static void butterfly(float[] re, float[] im, int p, int q, int block, float wr, float wi) {
      if (Simd.VECTOR) {
        LaneFftVectors.butterfly(re, im, p, q, block, wr, wi);
        return;
      }
      for (int e = 0; e < block; e++) {
        float tr = re[q + e] * wr - im[q + e] * wi;
        float ti = re[q + e] * wi + im[q + e] * wr;
        float ar = re[p + e];
        float ai = im[p + e];
        re[p + e] = ar + tr;
        im[p + e] = ai + ti;
        re[q + e] = ar - tr;
        im[q + e] = ai - ti;
      }
    }
  }
}
