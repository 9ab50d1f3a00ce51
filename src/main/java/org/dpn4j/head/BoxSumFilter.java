package org.dpn4j.head;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
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
 * power of the offset. A sweep down the rows keeps running vertical sums of q, I~ q (3 channels),
 * |I~|^2 q, dy q and dy^2 q per column (vectorised along the row) and slides the horizontal sums
 * along each row (only the running sums themselves are scalar). The weighted running sums are kept
 * in offsets local to the window (T_k = sum (u - x)^k f_u, which shift as T2 - 2 T1 + T0, T1 - T0
 * when the window moves), and everything is accumulated in double: the colour expansion cancels.
 *
 * <p>Java 17's JIT boxes Vector API values (an allocation per operation, 30x slower) when a method
 * outgrows its inlining budget or a vector flows through a branch, so each vector loop here is a
 * small method of its own and rows are padded to whole vectors instead of masked tails.
 *
 * <p>The centre image I gives the colour at j and the neighbour image I~ the colour at z (the same
 * image in 2D). Since d(j, j) = 0 when both are the same image, skipping the self term changes
 * nothing here; the input gradient of q~ is this filter with the two images swapped over the
 * mirrored window.
 */
final class BoxSumFilter implements PenaltyFilter {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  // Floats widened to a vector of D's length.
  private static final VectorSpecies<Float> F =
      VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final int h;
  private final int w;
  /** Row length of the padded planes: w rounded up to whole vectors, the padding zero. */
  private final int wr;
  /** The neighbour's r, g, b and |I~|^2 as double planes of h rows of wr values. */
  private final double[] nb;
  /** The centre's r, g, b, laid out as {@link #nb} (the same array when both images are one). */
  private final double[] ct;
  private final boolean normalise;

  BoxSumFilter(Maps centre, Maps neighbour, boolean normalise) {
    centre.requireSameSize(neighbour, "the neighbour image");
    this.h = centre.h;
    this.w = centre.w;
    this.wr = D.loopBound(w + D.length() - 1);
    this.nb = padded(neighbour);
    this.ct = centre == neighbour ? nb : padded(centre);
    this.normalise = normalise;
  }

  private double[] padded(Maps image) {
    int plane = h * wr;
    double[] out = new double[4 * plane];
    Parallel.forEach(
        h,
        y -> {
          for (int x = 0; x < w; x++) {
            double sq = 0;
            for (int k = 0; k < 3; k++) {
              double c = image.get(k, y, x);
              out[k * plane + y * wr + x] = c;
              sq += c * c;
            }
            out[3 * plane + y * wr + x] = sq;
          }
        });
    return out;
  }

  /**
   * Tasks are groups of labels times bands of rows. A task moves down its band one row at a time
   * and handles every label of its group at that row, so that the image rows it reads stay in the
   * cache across the labels.
   */
  @Override
  public void apply(Maps q, Window window, RowSink sink) {
    if (q.h != h || q.w != w) {
      throw new IllegalArgumentException("q is " + q.shape() + " but the images are " + h + "x" + w);
    }
    int groups = Math.min(q.c, 2 * Parallel.threads());
    int bands = bands(groups, window.height());
    int bandRows = (h + bands - 1) / bands;
    Parallel.forEach(
        groups * bands,
        t -> {
          int g = t / bands;
          int y0 = (t % bands) * bandRows;
          int y1 = Math.min(h, y0 + bandRows);
          int v0 = g * q.c / groups;
          int v1 = (g + 1) * q.c / groups;
          Scratch s = SCRATCH.get();
          Sweep[] sweeps = new Sweep[v1 - v0];
          for (int v = v0; v < v1; v++) {
            sweeps[v - v0] = new Sweep(q, v, window, s, v - v0);
          }
          for (int y = y0; y < y1; y++) {
            for (Sweep sweep : sweeps) {
              sweep.row(y, y0, sink);
            }
          }
        });
  }

  /**
   * Row bands: only when there are fewer label groups than twice the threads, and each band stays
   * two windows tall at least, since it re-initialises its vertical sums (about m_h rows of work).
   */
  private int bands(int groups, int mh) {
    int wanted = (2 * Parallel.threads() + groups - 1) / groups;
    int tallest = Math.max(1, h / Math.max(16, 2 * Math.min(mh, h)));
    return Math.max(1, Math.min(wanted, tallest));
  }

  /**
   * Per-thread buffers: the running column sums of each label of a group (zero-padded left and
   * right for the horizontal window), and, used by one label at a time, the horizontal sums of a
   * row, the q rows leaving and entering the window (padded to wr) and one output row.
   */
  private static final class Scratch {
    double[][] cols = new double[0][];
    double[] run = new double[0];
    float[] qRows = new float[0];
    double[] colour = new double[0];
    double[] position = new double[0];

    double[] cols(int label, int length) {
      if (cols.length <= label) {
        cols = Arrays.copyOf(cols, label + 1);
      }
      if (cols[label] == null || cols[label].length < length) {
        cols[label] = new double[length];
      }
      return cols[label];
    }

    void ensure(int wr) {
      if (colour.length != wr) {
        run = new double[7 * wr];
        qRows = new float[2 * wr];
        colour = new double[wr];
        position = new double[wr];
      }
    }
  }

  /** One label's sweep down a band of rows. */
  private final class Sweep {
    private final float[] q;
    private final int qBase;
    private final int plane;
    private final int v;
    private final int minDy;
    private final int maxDy;
    private final int minDx;
    private final int maxDx;
    private final long size;
    private final int mh;
    private final int mw;
    private final int pad;
    private final int stride;
    // Column sums, each `stride` long starting at index k * stride, pixel x at pad + x:
    // 0: V0(q), 1: V1(q), 2: V2(q), 3-5: V0(I~_c q), 6: V0(|I~|^2 q).
    private final double[] cols;
    // The horizontal sums of one row, each wr long starting at k * wr (see changes()).
    private final double[] run;
    // q of the row leaving the window at 0, of the row entering at wr.
    private final float[] qRows;
    private final double[] colour;
    private final double[] position;

    Sweep(Maps qm, int v, Window win, Scratch s, int slot) {
      this.q = qm.data;
      this.qBase = qm.offset(v);
      this.plane = h * wr;
      this.v = v;
      this.minDy = win.minDy();
      this.maxDy = win.maxDy();
      this.minDx = win.minDx();
      this.maxDx = win.maxDx();
      this.size = win.size();
      this.mh = win.height();
      this.mw = win.width();
      this.pad = Math.max(0, -minDx);
      this.stride = pad + wr + Math.max(0, maxDx) + 1;
      s.ensure(wr);
      this.cols = s.cols(slot, 7 * stride);
      this.run = s.run;
      this.qRows = s.qRows;
      this.colour = s.colour;
      this.position = s.position;
    }

    /** Row y of a band starting at y0: sets up or slides the column sums, then the row. */
    void row(int y, int y0, RowSink sink) {
      if (y == y0) {
        Arrays.fill(cols, 0, 7 * stride, 0.0);
        loadQ(0, -1);
        for (int r = Math.max(0, y0 + minDy); r <= Math.min(h - 1, y0 + maxDy); r++) {
          loadQ(wr, r);
          vertical(0, 0, r, r - y0, 0);
        }
      } else {
        // Down one row: the local offsets shift, the row y-1+minDy leaves (its offset from y is
        // minDy-1) and the row y+maxDy enters (offset maxDy).
        int rOut = y - 1 + minDy;
        int rIn = y + maxDy;
        loadQ(0, rOut);
        loadQ(wr, rIn);
        vertical(Math.max(0, rOut), minDy - 1, Math.min(h - 1, rIn), maxDy, 1);
      }
      horizontal(y);
      sink.row(v, y, colour, position);
    }

    /**
     * Copies q of row r to qRows at `at`, zero up to wr (the buffer may hold a longer row of an
     * earlier call); a row outside the image has q = 0.
     */
    private void loadQ(int at, int r) {
      if (r < 0 || r >= h) {
        Arrays.fill(qRows, at, at + wr, 0f);
      } else {
        System.arraycopy(q, qBase + r * w, qRows, at, w);
        Arrays.fill(qRows, at + w, at + wr, 0f);
      }
    }

    /**
     * Updates the column sums: with shift = 1 the weighted sums move their local offsets down one
     * row (V2 - 2 V1 + V0, V1 - V0); then the row leaving (image row rOut, offset a) is taken out
     * and the row entering (image row rIn, offset b) is added.
     */
    private void vertical(int rOut, double a, int rIn, double b, double shift) {
      int o = rOut * wr;
      int n = rIn * wr;
      for (int x = 0; x < wr; x += D.length()) {
        DoubleVector qo = widen(qRows, x);
        DoubleVector qi = widen(qRows, wr + x);
        int i = pad + x;
        DoubleVector c0 = DoubleVector.fromArray(D, cols, i);
        DoubleVector c1 = DoubleVector.fromArray(D, cols, stride + i);
        DoubleVector c2 = DoubleVector.fromArray(D, cols, 2 * stride + i);
        c2.add(c0.sub(c1.mul(2)).mul(shift).add(qi.mul(b * b).sub(qo.mul(a * a)))).intoArray(cols, 2 * stride + i);
        c1.add(qi.mul(b).sub(qo.mul(a)).sub(c0.mul(shift))).intoArray(cols, stride + i);
        c0.add(qi.sub(qo)).intoArray(cols, i);
        for (int k = 0; k < 4; k++) {
          int c = (3 + k) * stride + i;
          DoubleVector in = DoubleVector.fromArray(D, nb, k * plane + n + x);
          DoubleVector out = DoubleVector.fromArray(D, nb, k * plane + o + x);
          DoubleVector.fromArray(D, cols, c).add(in.mul(qi).sub(out.mul(qo))).intoArray(cols, c);
        }
      }
    }

    /**
     * Slides the horizontal sums along row y and writes its colour and position sums, in three
     * steps so that only the running sums themselves are sequential: the change of each sum from x
     * to x+1 (vectorised), the running sums (in place), then the colour expansion (vectorised).
     */
    private void horizontal(int y) {
      double n = normalise ? 1.0 / size : 1.0;
      double px = n * 2.0 / ((double) mw * mw);
      double py = n * 2.0 / ((double) mh * mh);
      changes(px, py);
      runningSums(px, py);
      expand(y * wr, n / 3);
    }

    /**
     * run[k*wr + x] = the change of sum k from x to x+1: k = 0: H0(V0), 1: H1(V0) before the
     * shift, 2: the position sum px H2(V0) + py H0(V2) before the shift, 3-6: H0 of the colour
     * column sums. Column u = x + minDx leaves (offset minDx - 1 from x+1), u = x+1+maxDx enters.
     */
    private void changes(double px, double py) {
      double a = minDx - 1;
      double b = maxDx;
      for (int x = 0; x < wr; x += D.length()) {
        int o = pad + minDx + x;
        int e = pad + 1 + maxDx + x;
        DoubleVector c0o = DoubleVector.fromArray(D, cols, o);
        DoubleVector c0e = DoubleVector.fromArray(D, cols, e);
        c0e.sub(c0o).intoArray(run, x);
        c0e.mul(b).sub(c0o.mul(a)).intoArray(run, wr + x);
        DoubleVector dy2 = DoubleVector.fromArray(D, cols, 2 * stride + e).sub(DoubleVector.fromArray(D, cols, 2 * stride + o));
        c0e.mul(b * b).sub(c0o.mul(a * a)).mul(px).add(dy2.mul(py)).intoArray(run, 2 * wr + x);
        for (int k = 3; k < 7; k++) {
          DoubleVector.fromArray(D, cols, k * stride + e)
              .sub(DoubleVector.fromArray(D, cols, k * stride + o))
              .intoArray(run, k * wr + x);
        }
      }
    }

    /**
     * Replaces the changes by the running sums at every x, starting from the sums at x = 0. The
     * weighted sums shift their local offsets: T2 += T0 - 2 T1, T1 -= T0.
     */
    private void runningSums(double px, double py) {
      double t0 = 0;
      double t1 = 0;
      double pos = 0;
      double sr = 0;
      double sg = 0;
      double sb = 0;
      double ss = 0;
      for (int u = Math.max(0, minDx); u <= Math.min(w - 1, maxDx); u++) {
        int i = pad + u;
        double c = cols[i];
        t0 += c;
        t1 += u * c;
        pos += px * u * u * c + py * cols[2 * stride + i];
        sr += cols[3 * stride + i];
        sg += cols[4 * stride + i];
        sb += cols[5 * stride + i];
        ss += cols[6 * stride + i];
      }
      int w2 = 2 * wr;
      int w3 = 3 * wr;
      int w4 = 4 * wr;
      int w5 = 5 * wr;
      int w6 = 6 * wr;
      for (int x = 0; ; x++) {
        double d0 = run[x];
        double d2 = run[w2 + x];
        double dr = run[w3 + x];
        double dg = run[w4 + x];
        double db = run[w5 + x];
        double ds = run[w6 + x];
        run[x] = t0;
        run[w2 + x] = pos;
        run[w3 + x] = sr;
        run[w4 + x] = sg;
        run[w5 + x] = sb;
        run[w6 + x] = ss;
        if (x == w - 1) {
          return;
        }
        pos += px * (t0 - 2 * t1) + d2;
        t1 += run[wr + x] - t0;
        t0 += d0;
        sr += dr;
        sg += dg;
        sb += db;
        ss += ds;
      }
    }

    /** colour = n/3 (|I_j|^2 B(q) - 2 I_j . B(I~ q) + B(|I~|^2 q)), position = the running sum. */
    private void expand(int row, double colourScale) {
      for (int x = 0; x < wr; x += D.length()) {
        DoubleVector ir = DoubleVector.fromArray(D, ct, row + x);
        DoubleVector ig = DoubleVector.fromArray(D, ct, plane + row + x);
        DoubleVector ib = DoubleVector.fromArray(D, ct, 2 * plane + row + x);
        DoubleVector dot =
            ir.mul(DoubleVector.fromArray(D, run, 3 * wr + x))
                .add(ig.mul(DoubleVector.fromArray(D, run, 4 * wr + x)))
                .add(ib.mul(DoubleVector.fromArray(D, run, 5 * wr + x)));
        DoubleVector sq = ir.mul(ir).add(ig.mul(ig)).add(ib.mul(ib));
        sq.mul(DoubleVector.fromArray(D, run, x))
            .sub(dot.mul(2))
            .add(DoubleVector.fromArray(D, run, 6 * wr + x))
            .mul(colourScale)
            .intoArray(colour, x);
        DoubleVector.fromArray(D, run, 2 * wr + x).intoArray(position, x);
      }
    }
  }

  private static DoubleVector widen(float[] a, int i) {
    return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
  }
}
