package org.dpn4j.head;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.dpn4j.util.Vectors;

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
  static final VectorSpecies<Float> SP = Vectors.FLOAT;
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
      for (int e = 0; e < block; e += VL) {
        FloatVector ra = FloatVector.fromArray(SP, re, a + e);
        FloatVector ia = FloatVector.fromArray(SP, im, a + e);
        FloatVector.fromArray(SP, re, b + e).intoArray(re, a + e);
        FloatVector.fromArray(SP, im, b + e).intoArray(im, a + e);
        ra.intoArray(re, b + e);
        ia.intoArray(im, b + e);
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
      FloatVector v1r = FloatVector.broadcast(SP, w1r);
      FloatVector v1i = FloatVector.broadcast(SP, w1i);
      FloatVector v2r = FloatVector.broadcast(SP, w2r);
      FloatVector v2i = FloatVector.broadcast(SP, w2i);
      FloatVector v3r = FloatVector.broadcast(SP, w3r);
      FloatVector v3i = FloatVector.broadcast(SP, w3i);
      for (int e = 0; e < block; e += VL) {
        int i0 = p + e;
        int i1 = i0 + span;
        int i2 = i1 + span;
        int i3 = i2 + span;
        FloatVector a1r = FloatVector.fromArray(SP, re, i1);
        FloatVector a1i = FloatVector.fromArray(SP, im, i1);
        FloatVector a3r = FloatVector.fromArray(SP, re, i3);
        FloatVector a3i = FloatVector.fromArray(SP, im, i3);
        FloatVector t1r = a1r.mul(v1r).sub(a1i.mul(v1i));
        FloatVector t1i = a1r.mul(v1i).add(a1i.mul(v1r));
        FloatVector t3r = a3r.mul(v1r).sub(a3i.mul(v1i));
        FloatVector t3i = a3r.mul(v1i).add(a3i.mul(v1r));
        FloatVector a0r = FloatVector.fromArray(SP, re, i0);
        FloatVector a0i = FloatVector.fromArray(SP, im, i0);
        FloatVector a2r = FloatVector.fromArray(SP, re, i2);
        FloatVector a2i = FloatVector.fromArray(SP, im, i2);
        FloatVector b0r = a0r.add(t1r);
        FloatVector b0i = a0i.add(t1i);
        FloatVector b1r = a0r.sub(t1r);
        FloatVector b1i = a0i.sub(t1i);
        FloatVector b2r = a2r.add(t3r);
        FloatVector b2i = a2i.add(t3i);
        FloatVector b3r = a2r.sub(t3r);
        FloatVector b3i = a2i.sub(t3i);
        FloatVector u2r = b2r.mul(v2r).sub(b2i.mul(v2i));
        FloatVector u2i = b2r.mul(v2i).add(b2i.mul(v2r));
        FloatVector u3r = b3r.mul(v3r).sub(b3i.mul(v3i));
        FloatVector u3i = b3r.mul(v3i).add(b3i.mul(v3r));
        b0r.add(u2r).intoArray(re, i0);
        b0i.add(u2i).intoArray(im, i0);
        b0r.sub(u2r).intoArray(re, i2);
        b0i.sub(u2i).intoArray(im, i2);
        b1r.add(u3r).intoArray(re, i1);
        b1i.add(u3i).intoArray(im, i1);
        b1r.sub(u3r).intoArray(re, i3);
        b1i.sub(u3i).intoArray(im, i3);
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
