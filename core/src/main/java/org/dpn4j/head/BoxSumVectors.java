package org.dpn4j.head;

import static org.dpn4j.head.BoxSumFilter.LANES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.dpn4j.util.Vectors;

/**
 * {@link BoxSumFilter}'s running sums on the Vector API: the lanes of a vector are the labels of a
 * block. The plain loops and the documentation are in BoxSumFilter's sweep. Loaded only when
 * {@link org.dpn4j.util.Simd#VECTOR} is true.
 */
final class BoxSumVectors {
  private static final VectorSpecies<Double> D = Vectors.DOUBLE;

  private BoxSumVectors() {}

  static void verticalWeighted(BoxSumFilter.Sweep sw, int so, double kOut, double a, int si, double kIn, double b, double shift) {
    for (int x = 0; x < sw.w; x++) {
      DoubleVector qo = DoubleVector.fromArray(D, sw.qRing, so + x * LANES).mul(kOut);
      DoubleVector qi = DoubleVector.fromArray(D, sw.qRing, si + x * LANES).mul(kIn);
      int i = (sw.pad + x) * LANES;
      DoubleVector c0 = DoubleVector.fromArray(D, sw.cols, i);
      DoubleVector c1 = DoubleVector.fromArray(D, sw.cols, sw.stride + i);
      DoubleVector c2 = DoubleVector.fromArray(D, sw.cols, 2 * sw.stride + i);
      c2.add(c0.sub(c1.mul(2)).mul(shift).add(qi.mul(b * b).sub(qo.mul(a * a)))).intoArray(sw.cols, 2 * sw.stride + i);
      c1.add(qi.mul(b).sub(qo.mul(a)).sub(c0.mul(shift))).intoArray(sw.cols, sw.stride + i);
      c0.add(qi.sub(qo)).intoArray(sw.cols, i);
    }
  }

  static void verticalColours(BoxSumFilter.Sweep sw, int so, double kOut, int out, int si, double kIn, int in) {
    int g = sw.plane;
    int bl = 2 * sw.plane;
    for (int x = 0; x < sw.w; x++) {
      DoubleVector qo = DoubleVector.fromArray(D, sw.qRing, so + x * LANES).mul(kOut);
      DoubleVector qi = DoubleVector.fromArray(D, sw.qRing, si + x * LANES).mul(kIn);
      int o = out + x;
      int n = in + x;
      int i = 3 * sw.stride + (sw.pad + x) * LANES;
      add(sw.cols, i, qi.mul(sw.neighbour[n]).sub(qo.mul(sw.neighbour[o])));
      add(sw.cols, i + sw.stride, qi.mul(sw.neighbour[g + n]).sub(qo.mul(sw.neighbour[g + o])));
      add(sw.cols, i + 2 * sw.stride, qi.mul(sw.neighbour[bl + n]).sub(qo.mul(sw.neighbour[bl + o])));
      add(sw.cols, i + 3 * sw.stride, qi.mul(sw.neighbourSq[n]).sub(qo.mul(sw.neighbourSq[o])));
    }
  }

  private static void add(double[] cols, int i, DoubleVector d) {
    DoubleVector.fromArray(D, cols, i).add(d).intoArray(cols, i);
  }

  /** positionT = px H2(V0) + py H0(V2), running along the row with T0 = H0(V0) and T1 = H1(V0). */
  static void positions(BoxSumFilter.Sweep sw, double px, double py) {
    DoubleVector t0 = DoubleVector.zero(D);
    DoubleVector t1 = t0;
    DoubleVector pos = t0;
    for (int u = Math.max(0, sw.minDx); u <= Math.min(sw.w - 1, sw.maxDx); u++) {
      int i = (sw.pad + u) * LANES;
      DoubleVector c = DoubleVector.fromArray(D, sw.cols, i);
      t0 = t0.add(c);
      t1 = t1.add(c.mul(u));
      pos = pos.add(c.mul(px * u * u)).add(DoubleVector.fromArray(D, sw.cols, 2 * sw.stride + i).mul(py));
    }
    double a = sw.minDx - 1;
    double b = sw.maxDx;
    for (int x = 0; ; x++) {
      pos.intoArray(sw.positionT, x * LANES);
      if (x == sw.w - 1) {
        return;
      }
      int o = (sw.pad + x + sw.minDx) * LANES;
      int e = (sw.pad + x + 1 + sw.maxDx) * LANES;
      DoubleVector c0o = DoubleVector.fromArray(D, sw.cols, o);
      DoubleVector c0e = DoubleVector.fromArray(D, sw.cols, e);
      DoubleVector dy2 = DoubleVector.fromArray(D, sw.cols, 2 * sw.stride + e).sub(DoubleVector.fromArray(D, sw.cols, 2 * sw.stride + o));
      pos = pos.add(t0.sub(t1.mul(2)).add(c0e.mul(b * b)).sub(c0o.mul(a * a)).mul(px).add(dy2.mul(py)));
      t1 = t1.add(c0e.mul(b).sub(c0o.mul(a)).sub(t0));
      t0 = t0.add(c0e.sub(c0o));
    }
  }

  /** colourT = n/3 (|I_j|^2 B(q) - 2 I_j . B(I~ q) + B(|I~|^2 q)), running along the row. */
  static void colours(BoxSumFilter.Sweep sw, int row, double colourScale) {
    DoubleVector t0 = DoubleVector.zero(D);
    DoubleVector sr = t0;
    DoubleVector sg = t0;
    DoubleVector sb = t0;
    DoubleVector ss = t0;
    int c = 3 * sw.stride;
    for (int u = Math.max(0, sw.minDx); u <= Math.min(sw.w - 1, sw.maxDx); u++) {
      int i = (sw.pad + u) * LANES;
      t0 = t0.add(DoubleVector.fromArray(D, sw.cols, i));
      sr = sr.add(DoubleVector.fromArray(D, sw.cols, c + i));
      sg = sg.add(DoubleVector.fromArray(D, sw.cols, c + sw.stride + i));
      sb = sb.add(DoubleVector.fromArray(D, sw.cols, c + 2 * sw.stride + i));
      ss = ss.add(DoubleVector.fromArray(D, sw.cols, c + 3 * sw.stride + i));
    }
    int g = sw.plane;
    int bl = 2 * sw.plane;
    for (int x = 0; ; x++) {
      int j = row + x;
      DoubleVector dot = sr.mul(sw.centre[j]).add(sg.mul(sw.centre[g + j])).add(sb.mul(sw.centre[bl + j]));
      t0.mul(sw.centreSq[j]).sub(dot.mul(2)).add(ss).mul(colourScale).intoArray(sw.colourT, x * LANES);
      if (x == sw.w - 1) {
        return;
      }
      int o = (sw.pad + x + sw.minDx) * LANES;
      int e = (sw.pad + x + 1 + sw.maxDx) * LANES;
      t0 = t0.add(DoubleVector.fromArray(D, sw.cols, e).sub(DoubleVector.fromArray(D, sw.cols, o)));
      sr = sr.add(DoubleVector.fromArray(D, sw.cols, c + e).sub(DoubleVector.fromArray(D, sw.cols, c + o)));
      sg = sg.add(DoubleVector.fromArray(D, sw.cols, c + sw.stride + e).sub(DoubleVector.fromArray(D, sw.cols, c + sw.stride + o)));
      sb = sb.add(DoubleVector.fromArray(D, sw.cols, c + 2 * sw.stride + e).sub(DoubleVector.fromArray(D, sw.cols, c + 2 * sw.stride + o)));
      ss = ss.add(DoubleVector.fromArray(D, sw.cols, c + 3 * sw.stride + e).sub(DoubleVector.fromArray(D, sw.cols, c + 3 * sw.stride + o)));
    }
  }
}
