package org.dpn4j.head;

import org.dpn4j.value.Maps;

import org.dpn4j.util.Parallel;

/**
 * b12's sums computed directly over the window, pixel pair by pixel pair: the plain reference loop
 * of the linear penalty, and the Gaussian kernel of the dense-CRF special case (DESIGN.md "Gaussian
 * kernel"), for which no box-sum form exists. Each pair's kernel value is computed once and applied
 * to all labels (q is read pixel-major), accumulated in double.
 */
final class WindowedFilter implements PenaltyFilter {

  /**
   * The pair kernel: a(j, z) = colour(j, z) * colourWeight[offset] for the colour part and
   * b = position[offset] for the position part. Offset tables are indexed row-major,
   * (dy - minDy) * m_w + (dx - minDx).
   */
  interface PairKernel {
    double colour(int j, int z);

    /** A factor per offset of the colour part, or null for none. */
    double[] colourWeight(Window window);

    double[] position(Window window);
  }

  private final PairKernel kernel;
  private final boolean selfTerm;
  private final boolean normalise;

  WindowedFilter(PairKernel kernel, boolean selfTerm, boolean normalise) {
    this.kernel = kernel;
    this.selfTerm = selfTerm;
    this.normalise = normalise;
  }

  @Override
  public void apply(Maps q, Window win, RowSink sink) {
    int labels = q.c;
    int h = q.h;
    int w = q.w;
    int plane = q.plane();
    double[] qt = new double[plane * labels];
    for (int v = 0; v < labels; v++) {
      for (int p = 0; p < plane; p++) {
        qt[p * labels + v] = q.data[v * plane + p];
      }
    }
    double[] pos = kernel.position(win);
    double[] cw = kernel.colourWeight(win);
    double n = normalise ? 1.0 / win.size() : 1.0;
    int mw = win.width();
    Parallel.forEach(
        h,
        y -> {
          double[] colour = new double[labels * w];
          double[] position = new double[labels * w];
          double[] ac = new double[labels];
          double[] ap = new double[labels];
          for (int x = 0; x < w; x++) {
            java.util.Arrays.fill(ac, 0);
            java.util.Arrays.fill(ap, 0);
            int j = y * w + x;
            for (int dy = Math.max(win.minDy(), -y); dy <= Math.min(win.maxDy(), h - 1 - y); dy++) {
              for (int dx = Math.max(win.minDx(), -x); dx <= Math.min(win.maxDx(), w - 1 - x); dx++) {
                if (!selfTerm && dy == 0 && dx == 0) {
                  continue;
                }
                int z = j + dy * w + dx;
                int o = (dy - win.minDy()) * mw + dx - win.minDx();
                double kc = cw == null ? kernel.colour(j, z) : cw[o] * kernel.colour(j, z);
                double kp = pos[o];
                int zb = z * labels;
                for (int v = 0; v < labels; v++) {
                  double qz = qt[zb + v];
                  ac[v] += kc * qz;
                  ap[v] += kp * qz;
                }
              }
            }
            for (int v = 0; v < labels; v++) {
              colour[v * w + x] = n * ac[v];
              position[v * w + x] = n * ap[v];
            }
          }
          for (int v = 0; v < labels; v++) {
            sink.row(
                v,
                y,
                java.util.Arrays.copyOfRange(colour, v * w, (v + 1) * w),
                java.util.Arrays.copyOfRange(position, v * w, (v + 1) * w));
          }
        });
  }

  /**
   * |scale * (I_j - I~_z)|^2 over the three colour planes of {@code c} (pixel j) and {@code nb}
   * (pixel z). Each difference is scaled before squaring, as both kernels did inline, so results
   * are bit-identical; a scale of 1.0 is exact.
   */
  private static double squaredDistance(float[] c, float[] nb, int plane, int j, int z, double scale) {
    double dr = scale * ((double) c[j] - nb[z]);
    double dg = scale * ((double) c[plane + j] - nb[plane + z]);
    double db = scale * ((double) c[2 * plane + j] - nb[2 * plane + z]);
    return dr * dr + dg * dg + db * db;
  }

  /**
   * The linear penalty of b12: a = |I_j - I~_z|^2 / 3, b = dx^2 / (2 r_w^2) + dy^2 / (2 r_h^2).
   */
  static PairKernel linear(Maps centre, Maps neighbour) {
    float[] c = centre.data;
    float[] nb = neighbour.data;
    int plane = centre.plane();
    return new PairKernel() {
      @Override
      public double colour(int j, int z) {
        return squaredDistance(c, nb, plane, j, z, 1.0) / 3;
      }

      @Override
      public double[] colourWeight(Window win) {
        return null;
      }

      @Override
      public double[] position(Window win) {
        double px = 2.0 / ((double) win.width() * win.width());
        double py = 2.0 / ((double) win.height() * win.height());
        return offsetTable(win, (dy, dx) -> px * dx * dx + py * dy * dy);
      }
    };
  }

  /**
   * The Gaussian kernel with colours in 0..255: a = exp(-|dxy|^2 / (2 sxy_b^2)) * exp(-|dI|^2 /
   * (2 srgb^2)) (bilateral), b = exp(-|dxy|^2 / (2 sxy_g^2)) (spatial). With {@code lookup} and
   * integer colours (both images) the colour factor is a product of three entries of a 256-entry
   * table indexed by |channel difference|; otherwise exp is computed directly.
   */
  static PairKernel gaussian(
      Maps centre, Maps neighbour, double sxyG, double sxyB, double srgb, boolean lookup) {
    float[] c = centre.data;
    float[] nb = neighbour.data;
    int plane = centre.plane();
    int[] ci = lookup ? integerColours(centre) : null;
    int[] ni = lookup && ci != null ? integerColours(neighbour) : null;
    double colourScale = -1 / (2 * srgb * srgb);
    double[] lut = new double[256];
    for (int d = 0; d < 256; d++) {
      lut[d] = Math.exp(colourScale * d * d);
    }
    return new PairKernel() {
      @Override
      public double colour(int j, int z) {
        if (ni != null) {
          return lut[Math.abs(ci[j] - ni[z])]
                  * lut[Math.abs(ci[plane + j] - ni[plane + z])]
                  * lut[Math.abs(ci[2 * plane + j] - ni[2 * plane + z])];
        } else {
          return Math.exp(colourScale * squaredDistance(c, nb, plane, j, z, 255.0));
        }
      }

      @Override
      public double[] colourWeight(Window win) {
        double sb = -1 / (2 * sxyB * sxyB);
        return offsetTable(win, (dy, dx) -> Math.exp(sb * (dx * dx + dy * dy)));
      }

      @Override
      public double[] position(Window win) {
        double sg = -1 / (2 * sxyG * sxyG);
        return offsetTable(win, (dy, dx) -> Math.exp(sg * (dx * dx + dy * dy)));
      }
    };
  }

  /** The colours times 255 as integers, or null when some colour is not an integer in 0..255. */
  private static int[] integerColours(Maps image) {
    int[] out = new int[image.data.length];
    for (int i = 0; i < out.length; i++) {
      double s = 255.0 * image.data[i];
      long r = Math.round(s);
      if (r < 0 || r > 255 || Math.abs(s - r) > 1e-3) {
        return null;
      }
      out[i] = (int) r;
    }
    return out;
  }

  private interface OffsetFunction {
    double at(int dy, int dx);
  }

  private static double[] offsetTable(Window win, OffsetFunction f) {
    double[] t = new double[(int) win.size()];
    int i = 0;
    for (int dy = win.minDy(); dy <= win.maxDy(); dy++) {
      for (int dx = win.minDx(); dx <= win.maxDx(); dx++) {
        t[i++] = f.at(dy, dx);
      }
    }
    return t;
  }
}
