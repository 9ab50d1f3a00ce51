package org.dpn4j.head;

import static org.dpn4j.head.LaneFft.VL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.dpn4j.util.Vectors;

/**
 * {@link TiledCorrelation}'s lane loops on the Vector API (one vector per VL tiles); the plain
 * loops and the documentation are in TiledCorrelation. Loaded only when
 * {@link org.dpn4j.util.Simd#VECTOR} is true.
 */
final class TiledCorrelationVectors {
  private static final VectorSpecies<Float> SP = Vectors.FLOAT;

  private TiledCorrelationVectors() {}

  /** The two real-signal half spectra A, B of Z = z[0] + i z[1], written to {@code dst}. */
  static void split(LaneFft fft, int hx, float[][] z, float[] dst, int base, int binStride, int c0, boolean two) {
    int ny = fft.ny;
    int nx = fft.nx;
    FloatVector half = FloatVector.broadcast(SP, 0.5f);
    for (int ky = 0; ky < ny; ky++) {
      int my = (ny - ky) % ny;
      for (int kx = 0; kx < hx; kx++) {
        int p = fft.at(ky, kx);
        int q = fft.at(my, (nx - kx) % nx);
        FloatVector zr = FloatVector.fromArray(SP, z[0], p);
        FloatVector zi = FloatVector.fromArray(SP, z[1], p);
        FloatVector mr = FloatVector.fromArray(SP, z[0], q);
        FloatVector mi = FloatVector.fromArray(SP, z[1], q);
        int d = base + (ky * hx + kx) * binStride + c0 * 2 * VL;
        zr.add(mr).mul(half).intoArray(dst, d);
        zi.sub(mi).mul(half).intoArray(dst, d + VL);
        if (two) {
          zi.add(mi).mul(half).intoArray(dst, d + 2 * VL);
          mr.sub(zr).mul(half).intoArray(dst, d + 3 * VL);
        }
      }
    }
  }

  /** Z = A + iB over the full spectrum from the half spectra at {@code a} and {@code b} of {@code src}. */
  static void expand(LaneFft fft, int hx, float[] src, int a, int b, boolean two, float[][] z) {
    int ny = fft.ny;
    int nx = fft.nx;
    FloatVector zero = FloatVector.zero(SP);
    for (int ky = 0; ky < ny; ky++) {
      int my = (ny - ky) % ny;
      for (int kx = 0; kx < nx; kx++) {
        boolean stored = kx < hx;
        int bin = stored ? ky * hx + kx : my * hx + nx - kx;
        FloatVector ar = FloatVector.fromArray(SP, src, a + bin * 2 * VL);
        FloatVector ai = FloatVector.fromArray(SP, src, a + bin * 2 * VL + VL);
        FloatVector br = two ? FloatVector.fromArray(SP, src, b + bin * 2 * VL) : zero;
        FloatVector bi = two ? FloatVector.fromArray(SP, src, b + bin * 2 * VL + VL) : zero;
        int p = fft.at(ky, kx);
        if (stored) {
          ar.sub(bi).intoArray(z[0], p);
          ai.add(br).intoArray(z[1], p);
        } else {
          ar.add(bi).intoArray(z[0], p);
          br.sub(ai).intoArray(z[1], p);
        }
      }
    }
  }

  /** acc = min(acc, z). */
  static void minInto(float[] acc, float[] z) {
    for (int i = 0; i < acc.length; i += VL) {
      FloatVector.fromArray(SP, z, i).min(FloatVector.fromArray(SP, acc, i)).intoArray(acc, i);
    }
  }

  /** One bin of the channel mixing; the filter spectrum of the bin starts at entry {@code bnf}. */
  static void mixBin(
      float[] src, int s, int nIn, float[] spec, int bnf, int wOut, int wIn, boolean conj,
      float[] dst, int d, int nOut, int plane) {
    for (int o = 0; o < nOut; o += 4) {
      // Four outputs at once so that each loaded input vector feeds eight FMAs; a short last
      // block repeats the last output (same value, stored twice).
      int o1 = Math.min(o + 1, nOut - 1);
      int o2 = Math.min(o + 2, nOut - 1);
      int o3 = Math.min(o + 3, nOut - 1);
      int w0 = (bnf + o * wOut) * 2;
      int w1 = (bnf + o1 * wOut) * 2;
      int w2 = (bnf + o2 * wOut) * 2;
      int w3 = (bnf + o3 * wOut) * 2;
      // Per output: A = sum xr a, B = sum xi c, C = sum xi a, D = sum xr c for W = a + ic, so that
      // Re = A - B, Im = C + D (conjugated: A + B, C - D), every update one FMA.
      FloatVector a0 = FloatVector.zero(SP);
      FloatVector b0 = a0;
      FloatVector c0 = a0;
      FloatVector d0 = a0;
      FloatVector a1 = a0;
      FloatVector b1 = a0;
      FloatVector c1 = a0;
      FloatVector d1 = a0;
      FloatVector a2 = a0;
      FloatVector b2 = a0;
      FloatVector c2 = a0;
      FloatVector d2 = a0;
      FloatVector a3 = a0;
      FloatVector b3 = a0;
      FloatVector c3 = a0;
      FloatVector d3 = a0;
      for (int i = 0; i < nIn; i++) {
        FloatVector xr = FloatVector.fromArray(SP, src, s + i * 2 * VL);
        FloatVector xi = FloatVector.fromArray(SP, src, s + i * 2 * VL + VL);
        int wi = i * wIn * 2;
        FloatVector re = FloatVector.broadcast(SP, spec[w0 + wi]);
        FloatVector im = FloatVector.broadcast(SP, spec[w0 + wi + 1]);
        a0 = xr.fma(re, a0);
        b0 = xi.fma(im, b0);
        c0 = xi.fma(re, c0);
        d0 = xr.fma(im, d0);
        re = FloatVector.broadcast(SP, spec[w1 + wi]);
        im = FloatVector.broadcast(SP, spec[w1 + wi + 1]);
        a1 = xr.fma(re, a1);
        b1 = xi.fma(im, b1);
        c1 = xi.fma(re, c1);
        d1 = xr.fma(im, d1);
        re = FloatVector.broadcast(SP, spec[w2 + wi]);
        im = FloatVector.broadcast(SP, spec[w2 + wi + 1]);
        a2 = xr.fma(re, a2);
        b2 = xi.fma(im, b2);
        c2 = xi.fma(re, c2);
        d2 = xr.fma(im, d2);
        re = FloatVector.broadcast(SP, spec[w3 + wi]);
        im = FloatVector.broadcast(SP, spec[w3 + wi + 1]);
        a3 = xr.fma(re, a3);
        b3 = xi.fma(im, b3);
        c3 = xi.fma(re, c3);
        d3 = xr.fma(im, d3);
      }
      store(a3, b3, c3, d3, conj, dst, d + o3 * plane);
      store(a2, b2, c2, d2, conj, dst, d + o2 * plane);
      store(a1, b1, c1, d1, conj, dst, d + o1 * plane);
      store(a0, b0, c0, d0, conj, dst, d + o * plane);
    }
  }

  private static void store(FloatVector a, FloatVector b, FloatVector c, FloatVector d, boolean conj, float[] dst, int at) {
    (conj ? a.add(b) : a.sub(b)).intoArray(dst, at);
    (conj ? c.sub(d) : c.add(d)).intoArray(dst, at + VL);
  }

  /** cross[b][o][i] += sum over tiles of conj(G_o(b)) X_i(b), for bins [b0, b1). */
  static void accumulateCross(float[] xs, float[] gs, int n, int cin, int cout, float[] cross, int pad, int b0, int b1) {
    FloatVector[] gr = new FloatVector[n];
    FloatVector[] gi = new FloatVector[n];
    FloatVector[] gin = new FloatVector[n];
    for (int b = b0; b < b1; b++) {
      int xb = b * n * cin * 2 * VL;
      int gb = b * n * cout * 2 * VL;
      for (int o = 0; o < cout; o++) {
        for (int v = 0; v < n; v++) {
          gr[v] = FloatVector.fromArray(SP, gs, gb + (v * cout + o) * 2 * VL);
          gi[v] = FloatVector.fromArray(SP, gs, gb + (v * cout + o) * 2 * VL + VL);
          gin[v] = gi[v].neg();
        }
        for (int i = 0; i < cin; i++) {
          FloatVector re = FloatVector.zero(SP);
          FloatVector im = re;
          for (int v = 0; v < n; v++) {
            FloatVector xr = FloatVector.fromArray(SP, xs, xb + (v * cin + i) * 2 * VL);
            FloatVector xi = FloatVector.fromArray(SP, xs, xb + (v * cin + i) * 2 * VL + VL);
            re = gr[v].fma(xr, gi[v].fma(xi, re));
            im = gr[v].fma(xi, gin[v].fma(xr, im));
          }
          int c = b * 2 * pad + o * cin + i;
          cross[c] += re.reduceLanes(VectorOperators.ADD);
          cross[c + pad] += im.reduceLanes(VectorOperators.ADD);
        }
      }
    }
  }

  /** t[dst..] += (re c - im s, re s + im c) for the complex runs of {@code pad} floats at src. */
  static void rotateAdd(float[] cross, int src, float[] t, int dst, int pad, float cos, float sin) {
    FloatVector c = FloatVector.broadcast(SP, cos);
    FloatVector s = FloatVector.broadcast(SP, sin);
    for (int f = 0; f < pad; f += VL) {
      FloatVector re = FloatVector.fromArray(SP, cross, src + f);
      FloatVector im = FloatVector.fromArray(SP, cross, src + pad + f);
      FloatVector.fromArray(SP, t, dst + f).add(re.mul(c).sub(im.mul(s))).intoArray(t, dst + f);
      FloatVector.fromArray(SP, t, dst + pad + f).add(re.mul(s).add(im.mul(c))).intoArray(t, dst + pad + f);
    }
  }
}
