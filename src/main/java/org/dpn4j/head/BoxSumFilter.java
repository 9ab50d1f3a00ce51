package org.dpn4j.head;

import java.util.Arrays;
import org.dpn4j.util.Parallel;

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
 * power of the offset. One sweep per label (or row band) keeps running vertical sums of q, I~ q
 * (3 channels), |I~|^2 q, dy q and dy^2 q per column and slides the horizontal sums along each row.
 * The weighted running sums are kept in offsets local to the window (T_k = sum (u - x)^k f_u, which
 * shift as T2 - 2 T1 + T0, T1 - T0 when the window moves), and everything is accumulated in double:
 * the colour expansion cancels.
 *
 * <p>The centre image I gives the colour at j and the neighbour image I~ the colour at z (the same
 * image in 2D). Since d(j, j) = 0 when both are the same image, skipping the self term changes
 * nothing here; the input gradient of q~ is this filter with the two images swapped over the
 * mirrored window.
 */
final class BoxSumFilter implements PenaltyFilter {
  private final Maps centre;
  private final Maps neighbour;
  private final boolean normalise;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  BoxSumFilter(Maps centre, Maps neighbour, boolean normalise) {
    this.centre = centre;
    this.neighbour = neighbour;
    this.normalise = normalise;
  }

  @Override
  public void apply(Maps q, Window window, RowSink sink) {
    int bands = bands(q.c, q.h, window.height());
    int bandRows = (q.h + bands - 1) / bands;
    Parallel.forEach(
        q.c * bands,
        t -> {
          int v = t / bands;
          int y0 = (t % bands) * bandRows;
          int y1 = Math.min(q.h, y0 + bandRows);
          if (y0 < y1) {
            new Sweep(q, v, window, SCRATCH.get()).run(y0, y1, sink);
          }
        });
  }

  /**
   * Row bands per label: enough tasks to balance the threads, but each band re-initialises its
   * vertical sums (about m_h rows of work), so bands stay several windows tall.
   */
  private static int bands(int labels, int h, int mh) {
    int wanted = (4 * Parallel.threads() + labels - 1) / labels;
    int tallest = Math.max(1, h / Math.max(16, 2 * Math.min(mh, h)));
    return Math.max(1, Math.min(wanted, tallest));
  }

  /** Per-thread buffers: the running column sums (padded with zeros left and right) and one row. */
  private static final class Scratch {
    double[] cols = new double[0];
    double[] colour = new double[0];
    double[] position = new double[0];

    void ensure(int colsLength, int w) {
      if (cols.length < 7 * colsLength) {
        cols = new double[7 * colsLength];
      }
      if (colour.length != w) {
        colour = new double[w];
        position = new double[w];
      }
    }
  }

  /** One label's sweep down a band of rows. */
  private final class Sweep {
    private final int h;
    private final int w;
    private final float[] q;
    private final int qBase;
    private final float[] nb;
    private final float[] ct;
    private final int plane;
    private final Window win;
    private final int v;
    private final int pad;
    private final int stride;
    // Column sums, each `stride` long starting at index k * stride, pixel x at pad + x:
    // 0: V0(q), 1: V1(q), 2: V2(q), 3-5: V0(I~_c q), 6: V0(|I~|^2 q).
    private final double[] cols;
    private final double[] colour;
    private final double[] position;

    Sweep(Maps qm, int v, Window win, Scratch s) {
      this.h = qm.h;
      this.w = qm.w;
      this.q = qm.data;
      this.qBase = qm.offset(v);
      this.nb = neighbour.data;
      this.ct = centre.data;
      this.plane = qm.plane();
      this.win = win;
      this.v = v;
      this.pad = Math.max(0, -win.minDx());
      this.stride = pad + w + Math.max(0, win.maxDx());
      s.ensure(stride, w);
      this.cols = s.cols;
      this.colour = s.colour;
      this.position = s.position;
    }

    void run(int y0, int y1, RowSink sink) {
      Arrays.fill(cols, 0, 7 * stride, 0.0);
      for (int r = Math.max(0, y0 + win.minDy()); r <= Math.min(h - 1, y0 + win.maxDy()); r++) {
        addRow(r, r - y0);
      }
      for (int y = y0; y < y1; y++) {
        if (y > y0) {
          slideDown(y);
        }
        horizontal(y);
        sink.row(v, y, colour, position);
      }
    }

    /** Adds row r at vertical offset off to the column sums (initialisation of a band). */
    private void addRow(int r, int off) {
      for (int x = 0; x < w; x++) {
        int p = r * w + x;
        double qz = q[qBase + p];
        double ir = nb[p];
        double ig = nb[plane + p];
        double ib = nb[2 * plane + p];
        int i = pad + x;
        cols[i] += qz;
        cols[stride + i] += off * qz;
        cols[2 * stride + i] += (double) off * off * qz;
        cols[3 * stride + i] += ir * qz;
        cols[4 * stride + i] += ig * qz;
        cols[5 * stride + i] += ib * qz;
        cols[6 * stride + i] += (ir * ir + ig * ig + ib * ib) * qz;
      }
    }

    /**
     * Moves the column sums from row y-1 to row y: shifts the local offsets, drops the row that
     * leaves (offset minDy - 1 from y) and adds the row that enters (offset maxDy); a row outside
     * the image counts as q = 0.
     */
    private void slideDown(int y) {
      int rOut = y - 1 + win.minDy();
      int rIn = y + win.maxDy();
      double qOutScale = rOut >= 0 && rOut < h ? 1 : 0;
      double qInScale = rIn >= 0 && rIn < h ? 1 : 0;
      int pOut = Math.max(0, Math.min(h - 1, rOut)) * w;
      int pIn = Math.max(0, Math.min(h - 1, rIn)) * w;
      double a = win.minDy() - 1;
      double a2 = a * a;
      double b = win.maxDy();
      double b2 = b * b;
      int s1 = stride;
      int s2 = 2 * stride;
      int s3 = 3 * stride;
      int s4 = 4 * stride;
      int s5 = 5 * stride;
      int s6 = 6 * stride;
      int g = plane;
      int bl = 2 * plane;
      for (int x = 0; x < w; x++) {
        int o = pOut + x;
        int n = pIn + x;
        double qo = q[qBase + o] * qOutScale;
        double qi = q[qBase + n] * qInScale;
        double ro = nb[o];
        double go = nb[g + o];
        double bo = nb[bl + o];
        double ri = nb[n];
        double gi = nb[g + n];
        double bi = nb[bl + n];
        int i = pad + x;
        double c0 = cols[i];
        double c1 = cols[s1 + i];
        cols[s2 + i] += (c0 - 2 * c1) + (b2 * qi - a2 * qo);
        cols[s1 + i] = c1 + ((b * qi - a * qo) - c0);
        cols[i] = c0 + (qi - qo);
        cols[s3 + i] += ri * qi - ro * qo;
        cols[s4 + i] += gi * qi - go * qo;
        cols[s5 + i] += bi * qi - bo * qo;
        cols[s6 + i] += (ri * ri + gi * gi + bi * bi) * qi - (ro * ro + go * go + bo * bo) * qo;
      }
    }

    /** Slides the horizontal sums along row y and writes the row's colour and position sums. */
    private void horizontal(int y) {
      double n = normalise ? 1.0 / win.size() : 1.0;
      double colourScale = n / 3;
      double px = n * 2.0 / ((double) win.width() * win.width());
      double py = n * 2.0 / ((double) win.height() * win.height());
      double t0 = 0;
      double t1 = 0;
      double t2 = 0;
      double sr = 0;
      double sg = 0;
      double sb = 0;
      double ss = 0;
      double sy = 0;
      int s2 = 2 * stride;
      int s3 = 3 * stride;
      int s4 = 4 * stride;
      int s5 = 5 * stride;
      int s6 = 6 * stride;
      for (int u = Math.max(0, win.minDx()); u <= Math.min(w - 1, win.maxDx()); u++) {
        int i = pad + u;
        double c = cols[i];
        t0 += c;
        t1 += u * c;
        t2 += (double) u * u * c;
        sy += cols[s2 + i];
        sr += cols[s3 + i];
        sg += cols[s4 + i];
        sb += cols[s5 + i];
        ss += cols[s6 + i];
      }
      double a = win.minDx() - 1;
      double a2 = a * a;
      double b = win.maxDx();
      double b2 = b * b;
      int row = y * w;
      int g = plane;
      int bl = 2 * plane;
      int out = pad + win.minDx();
      int in = pad + 1 + win.maxDx();
      for (int x = 0; ; x++) {
        double ir = ct[row + x];
        double ig = ct[g + row + x];
        double ib = ct[bl + row + x];
        colour[x] =
            colourScale * (((ir * ir + ig * ig + ib * ib) * t0 - 2 * (ir * sr + ig * sg + ib * sb)) + ss);
        position[x] = px * t2 + py * sy;
        if (x == w - 1) {
          return;
        }
        int o = out + x;
        int e = in + x;
        double vo = cols[o];
        double vi = cols[e];
        t2 += (t0 - 2 * t1) + (b2 * vi - a2 * vo);
        t1 += (b * vi - a * vo) - t0;
        t0 += vi - vo;
        sy += cols[s2 + e] - cols[s2 + o];
        sr += cols[s3 + e] - cols[s3 + o];
        sg += cols[s4 + e] - cols[s4 + o];
        sb += cols[s5 + e] - cols[s5 + o];
        ss += cols[s6 + e] - cols[s6 + o];
      }
    }
  }
}
