package org.dpn4j.head;

import org.dpn4j.value.Maps;

import java.util.Arrays;
import org.dpn4j.util.Parallel;
import org.dpn4j.util.Simd;

/**
 * b12's fast exact form (DESIGN.md "Fast exact form"): the sums of the linear penalty
 * d(j, z) = |I_j - I~_z|^2 / 3 (colour) and dx^2 / (2 r_w^2) + dy^2 / (2 r_h^2) (position) from
 * box sums, O(1) per pixel whatever the window:
 *
 * <pre>
 *   sum_z |I_j - I~_z|^2 q_z = |I_j|^2 B(q)_j - 2 I_j . B(I~ q)_j + B(|I~|^2 q)_j
 *   sum_z dx^2 q_z = PX(q)_j = H2(V0(q))_j,     sum_z dy^2 q_z = PY(q)_j = H0(V2(q))_j
 * </pre>
 *
 * B = H0 V0, with V_k / H_k the vertical / horizontal sums over the window weighted by the k-th
 * power of the offset. A sweep down the rows keeps running vertical sums of q, I~ q (3 channels),
 * |I~|^2 q, dy q and dy^2 q per column and slides the horizontal sums along each row. The weighted
 * running sums are kept in offsets local to the window (T_k = sum (u - x)^k f_u, which shift as
 * T2 - 2 T1 + T0, T1 - T0 when the window moves), and everything is accumulated in double: the
 * colour expansion cancels.
 *
 * <p>The lanes of a vector hold consecutive labels (a block of up to {@link #LANES}): the sums of
 * all labels of a block move together, so both the vertical and the horizontal running sums are
 * vectorised, while the colours, shared by the labels, are scalars. Each q row is interleaved
 * (pixel-major within the block) once, as it enters the window, and each output row is taken
 * apart per label for the sink. (Java 17's JIT boxes Vector API values, an allocation per
 * operation, when a method outgrows its inlining budget: the vector loops are small methods.) The
 * vector loops are in {@link BoxSumVectors}, used when the Vector API is there; the loops here do
 * the same operations one lane at a time (the same bits: all in double, no fused operations).
 *
 * <p>The centre image I gives the colour at j and the neighbour image I~ the colour at z (the same
 * image in 2D). Since d(j, j) = 0 when both are the same image, skipping the self term changes
 * nothing here; the input gradient of q~ is this filter with the two images swapped over the
 * mirrored window.
 */
final class BoxSumFilter implements PenaltyFilter {
  /** Labels per block: the lanes of a double vector. */
  static final int LANES = Simd.DOUBLE_LANES;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final int h;
  private final int w;
  private final float[] centre;
  private final float[] neighbour;
  /** |I|^2 per pixel of the centre and of the neighbour image. */
  private final double[] centreSq;
  private final double[] neighbourSq;
  private final boolean normalise;

  BoxSumFilter(Maps centre, Maps neighbour, boolean normalise) {
    centre.requireSameSize(neighbour, "the neighbour image");
    this.h = centre.h;
    this.w = centre.w;
    this.centre = centre.data;
    this.neighbour = neighbour.data;
    this.centreSq = squares(centre);
    this.neighbourSq = centre == neighbour ? centreSq : squares(neighbour);
    this.normalise = normalise;
  }

  private static double[] squares(Maps image) {
    int plane = image.plane();
    double[] out = new double[plane];
    for (int p = 0; p < plane; p++) {
      double r = image.data[p];
      double g = image.data[plane + p];
      double b = image.data[2 * plane + p];
      out[p] = r * r + g * g + b * b;
    }
    return out;
  }

  /** Tasks are blocks of labels times bands of rows. */
  @Override
  public void apply(Maps q, Window window, RowSink sink) {
    if (q.h != h || q.w != w) {
      throw new IllegalArgumentException("q is " + q.shape() + " but the images are " + h + "x" + w);
    }
    int blocks = (q.c + LANES - 1) / LANES;
    int bands = bands(blocks, window.height());
    int bandRows = (h + bands - 1) / bands;
    Parallel.forEach(
        blocks * bands,
        t -> {
          int v0 = (t / bands) * LANES;
          int y0 = (t % bands) * bandRows;
          int y1 = Math.min(h, y0 + bandRows);
          if (y0 < y1) {
            new Sweep(q, v0, Math.min(LANES, q.c - v0), window, SCRATCH.get()).run(y0, y1, sink);
          }
        });
  }

  /**
   * Row bands: enough tasks to keep the threads busy, but each band re-initialises its vertical
   * sums (about m_h rows of work), so bands stay two windows tall at least.
   */
  private int bands(int blocks, int mh) {
    int wanted = (2 * Parallel.threads() + blocks - 1) / blocks;
    int tallest = Math.max(1, h / Math.max(16, 2 * Math.min(mh, h)));
    return Math.max(1, Math.min(wanted, tallest));
  }

  /**
   * Per-thread buffers, pixel-major with LANES labels per pixel: the running column sums (with
   * zero columns left and right for the horizontal window), the ring of q rows, one output row;
   * and the output row of one label for the sink.
   */
  private static final class Scratch {
    double[] cols = new double[0];
    double[] qRing = new double[0];
    double[] colourT = new double[0];
    double[] positionT = new double[0];
    double[] colour = new double[0];
    double[] position = new double[0];

    void ensure(int colsLength, int ringLength, int w) {
      if (cols.length < colsLength) {
        cols = new double[colsLength];
      }
      if (qRing.length < ringLength) {
        qRing = new double[ringLength];
      }
      if (colour.length != w) {
        colourT = new double[w * LANES];
        positionT = new double[w * LANES];
        colour = new double[w];
        position = new double[w];
      }
    }
  }

  /** One block of labels swept down a band of rows. */
  final class Sweep {
    final float[] q;
    final int plane;
    final int v0;
    final int labels;
    final int minDy;
    final int maxDy;
    final int minDx;
    final int maxDx;
    final long size;
    final int mh;
    final int mw;
    final int pad;
    // Column sums k = 0: V0(q), 1: V1(q), 2: V2(q), 3-5: V0(I~_c q), 6: V0(|I~|^2 q); sum k of
    // column x (x from -pad) at k * stride + (pad + x) * LANES, one lane per label.
    final int stride;
    final double[] cols;
    // The q rows in the window (and the one leaving it), interleaved, image row r in slot r % slots.
    final int slots;
    final double[] qRing;
    final double[] colourT;
    final double[] positionT;
    final double[] colour;
    final double[] position;
    // The images, for BoxSumVectors.
    final int w = BoxSumFilter.this.w;
    final float[] centre = BoxSumFilter.this.centre;
    final float[] neighbour = BoxSumFilter.this.neighbour;
    final double[] centreSq = BoxSumFilter.this.centreSq;
    final double[] neighbourSq = BoxSumFilter.this.neighbourSq;

    Sweep(Maps qm, int v0, int labels, Window win, Scratch s) {
      this.q = qm.data;
      this.plane = qm.plane();
      this.v0 = v0;
      this.labels = labels;
      this.minDy = win.minDy();
      this.maxDy = win.maxDy();
      this.minDx = win.minDx();
      this.maxDx = win.maxDx();
      this.size = win.size();
      this.mh = win.height();
      this.mw = win.width();
      this.pad = Math.max(0, -minDx);
      this.stride = (pad + w + Math.max(0, maxDx) + 1) * LANES;
      this.slots = Math.min(h, mh + 1);
      s.ensure(7 * stride, slots * w * LANES, w);
      this.cols = s.cols;
      this.qRing = s.qRing;
      this.colourT = s.colourT;
      this.positionT = s.positionT;
      this.colour = s.colour;
      this.position = s.position;
    }

    void run(int y0, int y1, RowSink sink) {
      Arrays.fill(cols, 0, 7 * stride, 0.0);
      // Lanes beyond the block's labels stay zero.
      Arrays.fill(qRing, 0, slots * w * LANES, 0.0);
      for (int r = Math.max(0, y0 + minDy); r <= Math.min(h - 1, y0 + maxDy); r++) {
        interleave(r);
        vertical(-1, 0, r, r - y0, 0);
      }
      for (int y = y0; y < y1; y++) {
        if (y > y0) {
          // Down one row: the local offsets shift, the row y-1+minDy leaves (its offset from y is
          // minDy-1) and the row y+maxDy enters (offset maxDy); rows outside the image have q = 0.
          int rOut = y - 1 + minDy;
          int rIn = y + maxDy;
          if (rIn < h) {
            interleave(rIn);
          }
          vertical(rOut, minDy - 1, rIn, maxDy, 1);
        }
        horizontal(y);
        for (int k = 0; k < labels; k++) {
          for (int x = 0; x < w; x++) {
            colour[x] = colourT[x * LANES + k];
            position[x] = positionT[x * LANES + k];
          }
          sink.row(v0 + k, y, colour, position);
        }
      }
    }

    /**
     * q of image row r of the block's labels, pixel-major, into its slot of the ring of rows: a
     * row is interleaved once, when it enters the window, and read again when it leaves.
     */
    private void interleave(int r) {
      int at = slot(r);
      for (int k = 0; k < labels; k++) {
        int src = (v0 + k) * plane + r * w;
        for (int x = 0; x < w; x++) {
          qRing[at + x * LANES + k] = q[src + x];
        }
      }
    }

    private int slot(int r) {
      return (r % slots) * w * LANES;
    }

    /**
     * Updates the column sums: with shift = 1 the weighted sums move their local offsets down one
     * row (V2 - 2 V1 + V0, V1 - V0); then row rOut (offset a) leaves and row rIn (offset b)
     * enters; rows outside the image count as q = 0.
     */
    private void vertical(int rOut, double a, int rIn, double b, double shift) {
      int out = Math.max(0, Math.min(h - 1, rOut));
      int in = Math.max(0, Math.min(h - 1, rIn));
      double kOut = rOut >= 0 && rOut < h ? 1 : 0;
      double kIn = rIn >= 0 && rIn < h ? 1 : 0;
      verticalWeighted(slot(out), kOut, a, slot(in), kIn, b, shift);
      verticalColours(slot(out), kOut, out * w, slot(in), kIn, in * w);
    }

    private void verticalWeighted(int so, double kOut, double a, int si, double kIn, double b, double shift) {
      if (Simd.VECTOR) {
        BoxSumVectors.verticalWeighted(this, so, kOut, a, si, kIn, b, shift);
        return;
      }
      for (int x = 0; x < w; x++) {
        for (int l = 0; l < LANES; l++) {
          double qo = qRing[so + x * LANES + l] * kOut;
          double qi = qRing[si + x * LANES + l] * kIn;
          int i = (pad + x) * LANES + l;
          double c0 = cols[i];
          double c1 = cols[stride + i];
          cols[2 * stride + i] += (c0 - c1 * 2) * shift + (qi * (b * b) - qo * (a * a));
          cols[stride + i] += qi * b - qo * a - c0 * shift;
          cols[i] += qi - qo;
        }
      }
    }

    private void verticalColours(int so, double kOut, int out, int si, double kIn, int in) {
      if (Simd.VECTOR) {
        BoxSumVectors.verticalColours(this, so, kOut, out, si, kIn, in);
        return;
      }
      int g = plane;
      int bl = 2 * plane;
      for (int x = 0; x < w; x++) {
        int o = out + x;
        int n = in + x;
        for (int l = 0; l < LANES; l++) {
          double qo = qRing[so + x * LANES + l] * kOut;
          double qi = qRing[si + x * LANES + l] * kIn;
          int i = 3 * stride + (pad + x) * LANES + l;
          cols[i] += qi * neighbour[n] - qo * neighbour[o];
          cols[i + stride] += qi * neighbour[g + n] - qo * neighbour[g + o];
          cols[i + 2 * stride] += qi * neighbour[bl + n] - qo * neighbour[bl + o];
          cols[i + 3 * stride] += qi * neighbourSq[n] - qo * neighbourSq[o];
        }
      }
    }

    /**
     * Slides the horizontal sums along row y: column x + minDx leaves the window when it moves to
     * x+1 (offset minDx - 1 from x+1) and column x+1+maxDx enters; writes the colour and position
     * sums of every pixel of the row.
     */
    private void horizontal(int y) {
      double n = normalise ? 1.0 / size : 1.0;
      positions(n * 2.0 / ((double) mw * mw), n * 2.0 / ((double) mh * mh));
      colours(y * w, n / 3);
    }

    /** positionT = px H2(V0) + py H0(V2), running along the row with T0 = H0(V0) and T1 = H1(V0). */
    private void positions(double px, double py) {
      if (Simd.VECTOR) {
        BoxSumVectors.positions(this, px, py);
        return;
      }
      double a = minDx - 1;
      double b = maxDx;
      for (int l = 0; l < LANES; l++) {
        double t0 = 0;
        double t1 = 0;
        double pos = 0;
        for (int u = Math.max(0, minDx); u <= Math.min(w - 1, maxDx); u++) {
          int i = (pad + u) * LANES + l;
          double c = cols[i];
          t0 += c;
          t1 += c * u;
          pos = pos + c * (px * u * u) + cols[2 * stride + i] * py;
        }
        for (int x = 0; ; x++) {
          positionT[x * LANES + l] = pos;
          if (x == w - 1) {
            break;
          }
          int o = (pad + x + minDx) * LANES + l;
          int e = (pad + x + 1 + maxDx) * LANES + l;
          double c0o = cols[o];
          double c0e = cols[e];
          double dy2 = cols[2 * stride + e] - cols[2 * stride + o];
          pos += (t0 - t1 * 2 + c0e * (b * b) - c0o * (a * a)) * px + dy2 * py;
          t1 += c0e * b - c0o * a - t0;
          t0 += c0e - c0o;
        }
      }
    }

    /** colourT = n/3 (|I_j|^2 B(q) - 2 I_j . B(I~ q) + B(|I~|^2 q)), running along the row. */
    private void colours(int row, double colourScale) {
      if (Simd.VECTOR) {
        BoxSumVectors.colours(this, row, colourScale);
        return;
      }
      int c = 3 * stride;
      int g = plane;
      int bl = 2 * plane;
      for (int l = 0; l < LANES; l++) {
        double t0 = 0;
        double sr = 0;
        double sg = 0;
        double sb = 0;
        double ss = 0;
        for (int u = Math.max(0, minDx); u <= Math.min(w - 1, maxDx); u++) {
          int i = (pad + u) * LANES + l;
          t0 += cols[i];
          sr += cols[c + i];
          sg += cols[c + stride + i];
          sb += cols[c + 2 * stride + i];
          ss += cols[c + 3 * stride + i];
        }
        for (int x = 0; ; x++) {
          int j = row + x;
          double dot = sr * centre[j] + sg * centre[g + j] + sb * centre[bl + j];
          colourT[x * LANES + l] = (t0 * centreSq[j] - dot * 2 + ss) * colourScale;
          if (x == w - 1) {
            break;
          }
          int o = (pad + x + minDx) * LANES + l;
          int e = (pad + x + 1 + maxDx) * LANES + l;
          t0 += cols[e] - cols[o];
          sr += cols[c + e] - cols[c + o];
          sg += cols[c + stride + e] - cols[c + stride + o];
          sb += cols[c + 2 * stride + e] - cols[c + 2 * stride + o];
          ss += cols[c + 3 * stride + e] - cols[c + 3 * stride + o];
        }
      }
    }
  }
}
