package org.dpn4j.head;

import org.dpn4j.value.Maps;

import static org.dpn4j.head.LaneFft.VL;

import org.dpn4j.util.Parallel;
import org.dpn4j.util.Simd;

/**
 * The multi-channel 2-D cross-correlation of b13, exact, by tiled FFTs (overlap-save):
 *
 * <pre>  out_o(j) = sum_i sum_{s in [0, m)^2} w[o][i][s] x_i(j + lo + s),   lo = -floor(m/2)</pre>
 *
 * (zero outside the image). The output is cut into tiles of {@code vy x vx = (ny-m+1) x (nx-m+1)};
 * a tile's input patch is its {@code ny x nx} neighbourhood starting at offset lo, whose circular
 * correlation with the filter is exact on the tile. Per frequency bin b the channels mix as a small
 * complex matrix product {@code Y_o(b) = sum_i F_oi(b) X_i(b)} with {@code F = conj(DFT(w)) /
 * (ny nx)}, computed once per weight value ({@link #spectrum}). VL tiles share one {@link LaneFft}
 * (one tile per lane); two real maps share one complex transform (real and imaginary parts).
 *
 * <p>Backward, with g = dL/dout cut to the tiles (zero off the tile): the input gradient is the
 * adjoint, {@code dP_i = IDFT(sum_o conj(F_oi) G_o)} per tile patch, overlap-added; the weight
 * gradient is {@code dw[o][i][s] = sum_tiles IDFT(conj(G_o) X_i)(s) / (ny nx)}, needed at the m x m
 * taps only. Not thread-safe: an instance reuses its buffers. The lane loops run on the Vector API
 * in {@link TiledCorrelationVectors} when it is there, else here, one lane at a time.
 *
 * <p>Why FFTs: at 512 x 512, 21 -> 105 maps, 9 x 9 the direct convolution is 47 GMAC (the engine's
 * conv2d: about 385 ms on 2 threads); this form does about 4 GFLOP of mixing plus the transforms:
 * 100-105 ms on 2 threads for the 105 maps, 50-53 ms with b14's minimum fused (measured with other
 * jobs running). Writing the mixed spectra straight into the inverse transforms' buffers (no
 * separate Hermitian expansion) measured slower: the transforms then run out of L3, not L2.
 */
final class TiledCorrelation {
  /**
   * Bytes of tile spectra kept at once: tile vectors are transformed in groups. Forward, a small
   * group keeps the mixed spectra in L3 (measured 10-15% faster than 64 MB at 512 x 512); backward,
   * a large one sums the weight gradient over more tiles before each reduction across lanes
   * (measured 15-30% faster than 8 MB at 360 x 480). Fields so that tests can force several groups.
   */
  long forwardBudget = 8L << 20;

  long backwardBudget = 64L << 20;

  private static final int BIN_CHUNK = 16;

  final int cin;
  final int cout;
  final int m;
  final int lo;
  final int ny;
  final int nx;
  private final int hx;
  private final int bins;
  private final int nf;
  private final LaneFft fft;
  private final ThreadLocal<float[][]> work;
  private final ThreadLocal<float[][]> minWork;
  private float[] xBuf = new float[0];
  private float[] yBuf = new float[0];

  TiledCorrelation(int cin, int cout, int m, int ny, int nx) {
    if (ny < m || nx < m || nx < 2) {
      throw new IllegalArgumentException("tile " + ny + "x" + nx + " is too small for a " + m + "x" + m + " kernel");
    }
    this.cin = cin;
    this.cout = cout;
    this.m = m;
    this.lo = -(m / 2);
    this.ny = ny;
    this.nx = nx;
    this.hx = nx / 2 + 1;
    this.bins = ny * hx;
    this.nf = cin * cout;
    this.fft = new LaneFft(ny, nx);
    int size = fft.size();
    this.work = ThreadLocal.withInitial(() -> new float[][] {new float[size], new float[size]});
    this.minWork = ThreadLocal.withInitial(() -> new float[][] {new float[size], new float[size]});
  }

  /** The tiling of an h x w image. */
  private final class Grid {
    final int h;
    final int w;
    final int vy = ny - m + 1;
    final int vx = nx - m + 1;
    final int tilesX;
    final int tiles;
    final int vecs;

    Grid(int h, int w) {
      this.h = h;
      this.w = w;
      this.tilesX = (w + vx - 1) / vx;
      this.tiles = ((h + vy - 1) / vy) * tilesX;
      this.vecs = (tiles + VL - 1) / VL;
    }
  }

  /**
   * F[b][o][i] = conj(DFT(w_oi))(b) / (ny nx) for the weights {@code (cout, cin, m, m)}, at {@code
   * (b * nf + o * cin + i) * 2} (real, imaginary).
   */
  float[] spectrum(float[] weights) {
    float[] spec = new float[bins * nf * 2];
    float scale = 1f / (ny * nx);
    Parallel.forEach(
        (nf + VL - 1) / VL,
        batch -> {
          float[][] z = clearedWork();
          int f0 = batch * VL;
          int count = Math.min(VL, nf - f0);
          for (int lane = 0; lane < count; lane++) {
            for (int sy = 0; sy < m; sy++) {
              for (int sx = 0; sx < m; sx++) {
                z[0][fft.at(sy, sx) + lane] = weights[((f0 + lane) * m + sy) * m + sx];
              }
            }
          }
          fft.transform(z[0], z[1], false);
          for (int ky = 0; ky < ny; ky++) {
            for (int kx = 0; kx < hx; kx++) {
              int src = fft.at(ky, kx);
              int dst = ((ky * hx + kx) * nf + f0) * 2;
              for (int lane = 0; lane < count; lane++) {
                spec[dst + 2 * lane] = z[0][src + lane] * scale;
                spec[dst + 2 * lane + 1] = -z[1][src + lane] * scale;
              }
            }
          }
        });
    return spec;
  }

  /**
   * The correlation of {@code x} (cin maps) with the filters of {@code spec}, reduced by the
   * minimum over each run of k consecutive output maps: cout / k maps (k = 1: the correlation).
   */
  synchronized Maps forward(Maps x, float[] spec, int k) {
    requireChannels(x, cin, "input");
    if (cout % k != 0) {
      throw new IllegalArgumentException(cout + " maps do not split into runs of " + k);
    }
    Grid g = new Grid(x.h, x.w);
    Maps out = new Maps(cout / k, x.h, x.w);
    int plane = bins * 2 * VL;
    int group = group(g, (long) cout * plane, forwardBudget);
    xBuf = grow(xBuf, group * cin * plane);
    yBuf = grow(yBuf, group * cout * plane);
    float[] xs = xBuf;
    float[] ys = yBuf;
    int tasks = (out.c + 1) / 2;
    for (int first = 0; first < g.vecs; first += group) {
      int n = Math.min(group, g.vecs - first);
      int f = first;
      transformGroup(x, g, f, n, lo, ny, nx, xs);
      Parallel.forEach(
          chunks(),
          c -> mix(xs, cin * 2 * VL, n * cin * 2 * VL, cin, spec, cin, 1, false, ys, cout * plane, cout, n, c));
      Parallel.forEach(n * tasks, t -> inverseMin(ys, (t % n) * cout * plane, t / n, k, out, g, f + t % n));
    }
    return out;
  }

  /** Tile vectors transformed together: as many as keep {@code floatsPerVec} each within the budget. */
  private static int group(Grid g, long floatsPerVec, long budget) {
    return (int) Math.max(1, Math.min(g.vecs, budget / (floatsPerVec * Float.BYTES)));
  }

  /** Input gradient (cin maps) and weight gradient ({@code (cout, cin, m, m)}). */
  record Gradients(Maps input, float[] weights) {}

  /** Gradients of {@code sum(gradOut * forward(x))}. */
  synchronized Gradients backward(Maps x, Maps gradOut, float[] spec) {
    requireChannels(x, cin, "input");
    requireChannels(gradOut, cout, "output gradient");
    x.requireSameSize(gradOut, "output gradient");
    Grid g = new Grid(x.h, x.w);
    int plane = bins * 2 * VL;
    int group = group(g, (long) (2 * cin + cout) * plane, backwardBudget);
    int pad = (nf + VL - 1) / VL * VL;
    float[] cross = new float[bins * 2 * pad];
    Maps dx = x.zerosLike();
    xBuf = grow(xBuf, group * cin * plane);
    yBuf = grow(yBuf, group * cout * plane);
    float[] xs = xBuf;
    float[] gs = yBuf;
    float[] ds = new float[group * cin * plane];
    for (int first = 0; first < g.vecs; first += group) {
      int n = Math.min(group, g.vecs - first);
      int f = first;
      transformGroup(x, g, f, n, lo, ny, nx, xs);
      transformGroup(gradOut, g, f, n, 0, g.vy, g.vx, gs);
      Parallel.forEach(chunks(), c -> accumulateCross(xs, gs, n, cross, pad, chunkStart(c), chunkEnd(c)));
      Parallel.forEach(
          chunks(),
          c -> mix(gs, cout * 2 * VL, n * cout * 2 * VL, cout, spec, 1, cin, true, ds, cin * plane, cin, n, c));
      // Vectors one after the other: the patches of neighbouring tiles overlap (overlap-add).
      for (int v = 0; v < n; v++) {
        int vv = v;
        Parallel.forEach(
            (cin + 1) / 2,
            pair -> {
              float[][] z = inverse(ds, vv * cin * plane, 2 * pair, cin);
              copy(Copy.ADD, z[0], dx, 2 * pair, g, f + vv, lo, ny, nx);
              if (2 * pair + 1 < cin) {
                copy(Copy.ADD, z[1], dx, 2 * pair + 1, g, f + vv, lo, ny, nx);
              }
            });
      }
    }
    return new Gradients(dx, taps(cross, pad));
  }

  private static void requireChannels(Maps a, int c, String what) {
    if (a.c != c) {
      throw new IllegalArgumentException(what + " has " + a.c + " maps, expected " + c);
    }
  }

  private static float[] grow(float[] a, int n) {
    return a.length >= n ? a : new float[n];
  }

  private int chunks() {
    return (bins + BIN_CHUNK - 1) / BIN_CHUNK;
  }

  private static int chunkStart(int c) {
    return c * BIN_CHUNK;
  }

  private int chunkEnd(int c) {
    return Math.min(bins, (c + 1) * BIN_CHUNK);
  }

  private float[][] clearedWork() {
    float[][] z = work.get();
    java.util.Arrays.fill(z[0], 0f);
    java.util.Arrays.fill(z[1], 0f);
    return z;
  }

  /**
   * Transforms all maps of {@code src} on the {@code n} tile vectors from {@code first}, in parallel
   * ({@link #transformIn} of each pair of maps on each vector), into {@code dst}: bin b, vector v, map
   * c at {@code (b n + v) * src.c * 2 VL + c * 2 VL}.
   */
  private void transformGroup(Maps src, Grid g, int first, int n, int offset, int extY, int extX, float[] dst) {
    int vecStride = src.c * 2 * VL;
    Parallel.forEach(
        n * ((src.c + 1) / 2),
        t -> transformIn(src, 2 * (t / n), g, first + t % n, offset, extY, extX, dst, (t % n) * vecStride, n * vecStride));
  }

  /**
   * Transforms maps c0 and c0+1 of {@code src} on the tiles of vector {@code vec}: each lane holds
   * the {@code extY x extX} region at (tile origin + offset), zero outside the image. Writes the
   * two half spectra to {@code dst} at {@code base + b * binStride + c * 2 VL}.
   */
  private void transformIn(
      Maps src, int c0, Grid g, int vec, int offset, int extY, int extX, float[] dst, int base, int binStride) {
    float[][] z = clearedWork();
    boolean two = c0 + 1 < src.c;
    copy(Copy.GATHER, z[0], src, c0, g, vec, offset, extY, extX);
    if (two) {
      copy(Copy.GATHER, z[1], src, c0 + 1, g, vec, offset, extY, extX);
    }
    fft.transform(z[0], z[1], false);
    // Z = A + iB with A, B real-signal spectra: A(k) = (Z(k) + conj Z(-k)) / 2, B(k) = (Z(k) - conj Z(-k)) / 2i.
    if (Simd.VECTOR) {
      TiledCorrelationVectors.split(fft, hx, z, dst, base, binStride, c0, two);
      return;
    }
    for (int ky = 0; ky < ny; ky++) {
      int my = (ny - ky) % ny;
      for (int kx = 0; kx < hx; kx++) {
        int p = fft.at(ky, kx);
        int q = fft.at(my, (nx - kx) % nx);
        int d = base + (ky * hx + kx) * binStride + c0 * 2 * VL;
        for (int l = 0; l < VL; l++) {
          float zr = z[0][p + l];
          float zi = z[1][p + l];
          float mr = z[0][q + l];
          float mi = z[1][q + l];
          dst[d + l] = (zr + mr) * 0.5f;
          dst[d + VL + l] = (zi - mi) * 0.5f;
          if (two) {
            dst[d + 2 * VL + l] = (zi + mi) * 0.5f;
            dst[d + 3 * VL + l] = (mr - zr) * 0.5f;
          }
        }
      }
    }
  }

  /**
   * Inverse transform of maps c0 and c0+1 of the half spectra {@code src} (layout [map][bin][re,
   * im][VL], n maps): map c0 in the returned work's real array, c0+1 in the imaginary one.
   */
  private float[][] inverse(float[] src, int base, int c0, int n) {
    float[][] z = work.get();
    boolean two = c0 + 1 < n;
    int a = base + c0 * bins * 2 * VL;
    int b = a + bins * 2 * VL;
    if (Simd.VECTOR) {
      TiledCorrelationVectors.expand(fft, hx, src, a, b, two, z);
    } else {
      // Z = A + iB; for kx > nx/2 the spectra are read at -k: A(k) = conj A(-k), B(k) = conj B(-k).
      for (int ky = 0; ky < ny; ky++) {
        int my = (ny - ky) % ny;
        for (int kx = 0; kx < nx; kx++) {
          boolean stored = kx < hx;
          int bin = stored ? ky * hx + kx : my * hx + nx - kx;
          int p = fft.at(ky, kx);
          for (int l = 0; l < VL; l++) {
            float ar = src[a + bin * 2 * VL + l];
            float ai = src[a + bin * 2 * VL + VL + l];
            float br = two ? src[b + bin * 2 * VL + l] : 0f;
            float bi = two ? src[b + bin * 2 * VL + VL + l] : 0f;
            z[0][p + l] = stored ? ar - bi : ar + bi;
            z[1][p + l] = stored ? ai + br : br - ai;
          }
        }
      }
    }
    fft.transform(z[0], z[1], true);
    return z;
  }

  /** What {@link #copy} does with a pixel: lane = map pixel, map pixel = lane, or map pixel += lane. */
  private enum Copy {
    GATHER,
    PUT,
    ADD
  }

  /**
   * Moves pixels between map c of {@code map} and the lanes of {@code lanes} (the transform's
   * layout, one tile per lane): for each tile of vector {@code vec}, the {@code extY x extX} region at
   * (its tile's origin + offset), clipped to the image.
   */
  private void copy(Copy how, float[] lanes, Maps map, int c, Grid g, int vec, int offset, int extY, int extX) {
    int count = Math.min(VL, g.tiles - vec * VL);
    // Rows outer, lanes inner: one row of the transform (nx VL floats) stays in L1 for all lanes.
    for (int py = 0; py < extY; py++) {
      for (int lane = 0; lane < count; lane++) {
        int t = vec * VL + lane;
        int y = (t / g.tilesX) * g.vy + offset + py;
        int x0 = (t % g.tilesX) * g.vx + offset;
        if (y >= 0 && y < g.h) {
          int d = map.offset(c) + y * g.w + x0;
          int s = fft.at(py, 0) + lane;
          copyRow(how, lanes, s, map.data, d, Math.max(0, -x0), Math.min(extX, g.w - x0));
        }
      }
    }
  }

  /** Pixels [px0, px1) of one row: {@code lanes[s + px VL]} and {@code data[d + px]}. */
  private static void copyRow(Copy how, float[] lanes, int s, float[] data, int d, int px0, int px1) {
    switch (how) {
      case GATHER -> {
        for (int px = px0; px < px1; px++) {
          lanes[s + px * VL] = data[d + px];
        }
      }
      case PUT -> {
        for (int px = px0; px < px1; px++) {
          data[d + px] = lanes[s + px * VL];
        }
      }
      case ADD -> {
        for (int px = px0; px < px1; px++) {
          data[d + px] += lanes[s + px * VL];
        }
      }
    }
  }

  /**
   * Inverse transforms of the maps of labels 2*task and 2*task+1 (k maps each), reduced by the
   * minimum over each label's maps in the lane domain, then scattered to the valid tile regions.
   */
  private void inverseMin(float[] ys, int base, int task, int k, Maps out, Grid g, int vec) {
    int first = 2 * task;
    int labels = Math.min(2, out.c - first);
    float[][] min = minWork.get();
    int m0 = first * k;
    int m1 = (first + labels) * k;
    for (int c = m0; c < m1; c += 2) {
      float[][] z = inverse(ys, base, c, m1);
      minInto(min[(c / k) - first], z[0], c == (c / k) * k);
      if (c + 1 < m1) {
        minInto(min[((c + 1) / k) - first], z[1], c + 1 == ((c + 1) / k) * k);
      }
    }
    for (int l = 0; l < labels; l++) {
      copy(Copy.PUT, min[l], out, first + l, g, vec, 0, g.vy, g.vx);
    }
  }

  /** acc = first ? z : min(acc, z). */
  private static void minInto(float[] acc, float[] z, boolean first) {
    if (first) {
      System.arraycopy(z, 0, acc, 0, acc.length);
    } else if (Simd.VECTOR) {
      TiledCorrelationVectors.minInto(acc, z);
    } else {
      for (int i = 0; i < acc.length; i++) {
        acc[i] = Math.min(z[i], acc[i]);
      }
    }
  }

  /**
   * For bins [from, to): {@code dst[o][b] = sum_i W(o, i) src[b][i]} with the filter spectrum entry
   * W(o, i) = F at {@code b * nf + o * wOut + i * wIn}, conjugated if asked. {@code src} holds nIn
   * maps at {@code base + b * binStride + i * 2 VL}; {@code dst} is [map][bin][re, im][VL].
   */
  private void mix(
      float[] src, int srcVec, int binStride, int nIn, float[] spec, int wOut, int wIn, boolean conj,
      float[] dst, int dstVec, int nOut, int vecs, int chunk) {
    int plane = bins * 2 * VL;
    for (int b = chunkStart(chunk); b < chunkEnd(chunk); b++) {
      // All vectors of a bin together: its filter spectrum (nf complex values) stays in L1.
      for (int v = 0; v < vecs; v++) {
        int s = v * srcVec + b * binStride;
        int d = v * dstVec + b * 2 * VL;
        mixBin(src, s, nIn, spec, b, wOut, wIn, conj, dst, d, nOut, plane);
      }
    }
  }

  private void mixBin(
      float[] src, int s, int nIn, float[] spec, int b, int wOut, int wIn, boolean conj,
      float[] dst, int d, int nOut, int plane) {
    if (Simd.VECTOR) {
      TiledCorrelationVectors.mixBin(src, s, nIn, spec, b * nf, wOut, wIn, conj, dst, d, nOut, plane);
      return;
    }
    // Per output and lane: A = sum xr a, B = sum xi c, C = sum xi a, D = sum xr c for W = a + ic,
    // so that Re = A - B, Im = C + D (conjugated: A + B, C - D).
    float[] acc = new float[4 * VL];
    for (int o = 0; o < nOut; o++) {
      java.util.Arrays.fill(acc, 0f);
      int w0 = (b * nf + o * wOut) * 2;
      for (int i = 0; i < nIn; i++) {
        int x = s + i * 2 * VL;
        float re = spec[w0 + i * wIn * 2];
        float im = spec[w0 + i * wIn * 2 + 1];
        for (int l = 0; l < VL; l++) {
          float xr = src[x + l];
          float xi = src[x + VL + l];
          acc[l] += xr * re;
          acc[VL + l] += xi * im;
          acc[2 * VL + l] += xi * re;
          acc[3 * VL + l] += xr * im;
        }
      }
      int at = d + o * plane;
      for (int l = 0; l < VL; l++) {
        dst[at + l] = conj ? acc[l] + acc[VL + l] : acc[l] - acc[VL + l];
        dst[at + VL + l] = conj ? acc[2 * VL + l] - acc[3 * VL + l] : acc[2 * VL + l] + acc[3 * VL + l];
      }
    }
  }

  /**
   * cross[b][o][i] += sum over tiles of conj(G_o(b)) X_i(b), for bins [b0, b1); {@code n} tile
   * vectors per bin in xs and gs. Real parts at {@code b * 2 * pad + f}, imaginary at {@code + pad}.
   */
  private void accumulateCross(float[] xs, float[] gs, int n, float[] cross, int pad, int b0, int b1) {
    if (Simd.VECTOR) {
      TiledCorrelationVectors.accumulateCross(xs, gs, n, cin, cout, cross, pad, b0, b1);
      return;
    }
    for (int b = b0; b < b1; b++) {
      int xb = b * n * cin * 2 * VL;
      int gb = b * n * cout * 2 * VL;
      for (int o = 0; o < cout; o++) {
        for (int i = 0; i < cin; i++) {
          float re = 0f;
          float im = 0f;
          for (int v = 0; v < n; v++) {
            int g = gb + (v * cout + o) * 2 * VL;
            int x = xb + (v * cin + i) * 2 * VL;
            for (int l = 0; l < VL; l++) {
              float gr = gs[g + l];
              float gi = gs[g + VL + l];
              float xr = xs[x + l];
              float xi = xs[x + VL + l];
              re += gr * xr + gi * xi;
              im += gr * xi - gi * xr;
            }
          }
          int c = b * 2 * pad + o * cin + i;
          cross[c] += re;
          cross[c + pad] += im;
        }
      }
    }
  }

  /**
   * The m x m taps of IDFT(cross) / (ny nx), as weights (cout, cin, m, m). The spectrum is
   * Hermitian, so the full sum is the half one with columns 0 < kx < nx/2 counted twice, real part.
   */
  private float[] taps(float[] cross, int pad) {
    // Along y first: t[sy][kx][f] = sum_ky cross[ky][kx][f] exp(2 pi i ky sy / ny).
    float[] t = new float[m * hx * 2 * pad];
    Parallel.forEach(
        m,
        sy -> {
          for (int ky = 0; ky < ny; ky++) {
            double a = 2 * Math.PI * (((long) ky * sy) % ny) / ny;
            float c = (float) Math.cos(a);
            float s = (float) Math.sin(a);
            for (int kx = 0; kx < hx; kx++) {
              int src = (ky * hx + kx) * 2 * pad;
              int dst = (sy * hx + kx) * 2 * pad;
              if (Simd.VECTOR) {
                TiledCorrelationVectors.rotateAdd(cross, src, t, dst, pad, c, s);
              } else {
                for (int f = 0; f < pad; f++) {
                  float re = cross[src + f];
                  float im = cross[src + pad + f];
                  t[dst + f] += re * c - im * s;
                  t[dst + pad + f] += re * s + im * c;
                }
              }
            }
          }
        });
    float[] w = new float[nf * m * m];
    float scale = 1f / (ny * nx);
    Parallel.forEach(
        m * m,
        tap -> {
          int sy = tap / m;
          int sx = tap % m;
          float[] acc = new float[pad];
          for (int kx = 0; kx < hx; kx++) {
            double a = 2 * Math.PI * (((long) kx * sx) % nx) / nx;
            float weight = (kx == 0 || 2 * kx == nx ? 1f : 2f) * scale;
            float c = (float) Math.cos(a) * weight;
            float s = (float) Math.sin(a) * weight;
            int src = (sy * hx + kx) * 2 * pad;
            for (int f = 0; f < pad; f++) {
              acc[f] += t[src + f] * c - t[src + pad + f] * s;
            }
          }
          for (int f = 0; f < nf; f++) {
            w[f * m * m + tap] = acc[f];
          }
        });
    return w;
  }
}
