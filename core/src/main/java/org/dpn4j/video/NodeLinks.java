package org.dpn4j.video;

import org.dpn4j.value.Flow;

import org.dpn4j.value.Maps;

/**
 * Dynamic node linking between frame t and a neighbouring frame s (DESIGN.md, Sec. 1
 * "Spatio-temporal DPN"; Sec. 3 of the paper): node j of frame t is linked to position j + F_{t->s}(j)
 * in frame s, unless the forward-backward check fails there. The link is dropped where
 * <pre>
 *   |F_ts(j) + F_st(j + F_ts(j))|^2 &gt; 0.01 (|F_ts(j)|^2 + |F_st(j + F_ts(j))|^2) + 0.5
 * </pre>
 * with F_st sampled bilinearly, or where j + F_ts(j) leaves the frame (x' outside [0, w-1] or y'
 * outside [0, h-1]): occlusions and flow errors both break the round trip.
 */
public final class NodeLinks {

  /** Relative tolerance of the forward-backward check. */
  static final float RELATIVE = 0.01f;
  /** Absolute tolerance of the forward-backward check, in squared pixels. */
  static final float ABSOLUTE = 0.5f;

  private final Flow fts;
  private final boolean[] linked;

  private NodeLinks(Flow fts, boolean[] linked) {
    this.fts = fts;
    this.linked = linked;
  }

  /** The links from frame t to frame s, given the flows both ways. */
  public static NodeLinks between(Flow fts, Flow fst) {
    if (fts.h() != fst.h() || fts.w() != fst.w()) {
      throw new IllegalArgumentException(
          "backward flow is " + fst.h() + "x" + fst.w() + " but the forward flow is " + fts.h() + "x" + fts.w());
    }
    int h = fts.h();
    int w = fts.w();
    boolean[] linked = new boolean[h * w];
    float[] back = new float[2];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int j = y * w + x;
        float u = fts.u()[j];
        float v = fts.v()[j];
        if (!sample(fst, x + u, y + v, back)) {
          continue;
        }
        float du = u + back[0];
        float dv = v + back[1];
        float bound = RELATIVE * (u * u + v * v + back[0] * back[0] + back[1] * back[1]) + ABSOLUTE;
        linked[j] = du * du + dv * dv <= bound;
      }
    }
    return new NodeLinks(fts, linked);
  }

  /** The forward flow F_{t->s}. */
  public Flow flow() {
    return fts;
  }

  /** Whether node j = y * w + x of frame t keeps its link into frame s. */
  public boolean linked(int j) {
    return linked[j];
  }

  /** A copy of the link mask (true = linked), row-major. */
  public boolean[] mask() {
    return linked.clone();
  }

  /** The fraction of nodes whose link is dropped (occluded, inconsistent or leaving the frame). */
  public double droppedFraction() {
    int kept = 0;
    for (boolean b : linked) {
      if (b) {
        kept++;
      }
    }
    return 1.0 - (double) kept / linked.length;
  }

  /**
   * Maps of frame s (q^s or I^s, any number of channels) warped into frame t: out(k, j) = bilinear
   * sample of {@code s} map k at j + F_ts(j) where linked, 0 where the link is dropped (q~^s and I~^s
   * of DESIGN.md).
   */
  public Maps warp(Maps s) {
    if (s.h != fts.h() || s.w != fts.w()) {
      throw new IllegalArgumentException("maps are " + s.h + "x" + s.w + " but the flow is " + fts.h() + "x" + fts.w());
    }
    Maps out = s.zerosLike();
    int w = s.w;
    for (int j = 0; j < linked.length; j++) {
      if (!linked[j]) {
        continue;
      }
      float px = j % w + fts.u()[j];
      float py = j / w + fts.v()[j];
      for (int k = 0; k < s.c; k++) {
        out.data[s.offset(k) + j] = bilinear(s.data, s.offset(k), s.h, w, px, py);
      }
    }
    return out;
  }

  /** Samples {@code f} bilinearly at (px, py) into {@code uv}; false where (px, py) is outside the frame. */
  private static boolean sample(Flow f, float px, float py, float[] uv) {
    if (!(px >= 0 && py >= 0 && px <= f.w() - 1 && py <= f.h() - 1)) {
      return false;
    }
    uv[0] = bilinear(f.u(), 0, f.h(), f.w(), px, py);
    uv[1] = bilinear(f.v(), 0, f.h(), f.w(), px, py);
    return true;
  }

  /** Bilinear sample of the h x w map at {@code off} in {@code a}, at an in-frame (px, py). */
  private static float bilinear(float[] a, int off, int h, int w, float px, float py) {
    int x0 = (int) px;
    int y0 = (int) py;
    int x1 = Math.min(x0 + 1, w - 1);
    int y1 = Math.min(y0 + 1, h - 1);
    float fx = px - x0;
    float fy = py - y0;
    float top = a[off + y0 * w + x0] + fx * (a[off + y0 * w + x1] - a[off + y0 * w + x0]);
    float bot = a[off + y1 * w + x0] + fx * (a[off + y1 * w + x1] - a[off + y1 * w + x0]);
    return top + fy * (bot - top);
  }
}
