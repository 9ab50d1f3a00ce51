package org.dpn4j.head;

import java.util.Locale;

/**
 * The window W(j) of b12 (DESIGN.md section 1): the offsets (dy, dx) that a pixel j reaches.
 *
 * <p>A window is either <em>resolved</em> (explicit offsets) or a rule that resolves against the
 * input size with {@link #resolve(int, int)}:
 *
 * <ul>
 *   <li>{@link #of(int, int)}: m_h x m_w; offsets along an axis of size m run from -floor(m/2) to
 *       ceil(m/2) - 1, so an even window is half-open (50: -25..24) and an odd one symmetric.
 *   <li>{@link #scaled(int, int)}: a model's m at its reference size S_ref; on an H x W input the
 *       window is square with m_eff = max(1, round_half_up(m * max(H, W) / S_ref)).
 *   <li>{@link #all()}: offsets -(H-1)..H-1 by -(W-1)..W-1, every pixel reaches every other; then
 *       m_h = 2H-1 and m_w = 2W-1 (for |W| and r = m/2).
 * </ul>
 *
 * <p>|W| = m_h * m_w is fixed (not the count of pixels inside the image); r_h = m_h / 2 and r_w =
 * m_w / 2 scale b12's position term. {@link #mirrored()} negates the offsets: the window over which
 * b12's input gradient sums.
 */
public final class Window {
  private enum Kind {
    RESOLVED,
    SCALED,
    ALL
  }

  private final Kind kind;
  private final int minDy;
  private final int maxDy;
  private final int minDx;
  private final int maxDx;
  private final int m;
  private final int sRef;

  private Window(Kind kind, int minDy, int maxDy, int minDx, int maxDx, int m, int sRef) {
    this.kind = kind;
    this.minDy = minDy;
    this.maxDy = maxDy;
    this.minDx = minDx;
    this.maxDx = maxDx;
    this.m = m;
    this.sRef = sRef;
  }

  /** A square m x m window. */
  public static Window of(int m) {
    return of(m, m);
  }

  /** An m_h x m_w window (rows x columns). */
  public static Window of(int mh, int mw) {
    if (mh < 1 || mw < 1) {
      throw new IllegalArgumentException("window must be at least 1x1, got " + mh + "x" + mw);
    }
    return new Window(Kind.RESOLVED, -(mh / 2), (mh + 1) / 2 - 1, -(mw / 2), (mw + 1) / 2 - 1, 0, 0);
  }

  /** The rule of a model: window m at reference size sRef, resolved per input by {@link #scaledSize}. */
  public static Window scaled(int m, int sRef) {
    if (m < 1 || sRef < 1) {
      throw new IllegalArgumentException(
          "window size and reference size must be positive, got m=" + m + ", S_ref=" + sRef);
    }
    return new Window(Kind.SCALED, 0, 0, 0, 0, m, sRef);
  }

  /** The window as large as the image: every pixel reaches every other. */
  public static Window all() {
    return new Window(Kind.ALL, 0, 0, 0, 0, 0, 0);
  }

  /** m_eff = max(1, round_half_up(m * max(h, w) / sRef)), in exact integer arithmetic. */
  public static int scaledSize(int m, int sRef, int h, int w) {
    long num = (long) m * Math.max(h, w);
    return (int) Math.max(1, (2 * num + sRef) / (2L * sRef));
  }

  /**
   * Parses a window's written form, as a {@code --window} option or a model's configuration gives it:
   * {@code M@S} (m = M at reference size S, {@link #scaled}), {@code M} (a fixed M x M), {@code MxN}
   * (rows x columns) or {@code all}; {@link #spec()} writes it back.
   */
  public static Window parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.equals("all")) {
        return all();
      }
      int at = t.indexOf('@');
      if (at >= 0) {
        return scaled(Integer.parseInt(t.substring(0, at)), Integer.parseInt(t.substring(at + 1)));
      }
      int x = t.indexOf('x');
      return x < 0
          ? of(Integer.parseInt(t))
          : of(Integer.parseInt(t.substring(0, x)), Integer.parseInt(t.substring(x + 1)));
    } catch (IllegalArgumentException e) { // a NumberFormatException too
      throw new IllegalArgumentException(
          "window must be 'M@S' (M at reference size S), 'M', 'MxN' or 'all' with positive integers, got '" + s + "'", e);
    }
  }

  /**
   * The written form that {@link #parse} reads: {@code 50@512}, {@code 47}, {@code 6x9} or {@code all};
   * for a resolved window whose offsets are not those of an m_h x m_w window (a {@link #mirrored()}
   * even one), {@link #toString()}.
   */
  public String spec() {
    switch (kind) {
      case SCALED:
        return m + "@" + sRef;
      case ALL:
        return "all";
      default:
        if (!equals(of(height(), width()))) {
          return toString();
        }
        return height() == width() ? Integer.toString(height()) : height() + "x" + width();
    }
  }

  /** The explicit window on an h x w input (this window itself when already resolved). */
  public Window resolve(int h, int w) {
    switch (kind) {
      case SCALED:
        return of(scaledSize(m, sRef, h, w));
      case ALL:
        return new Window(Kind.RESOLVED, -(h - 1), h - 1, -(w - 1), w - 1, 0, 0);
      default:
        return this;
    }
  }

  public boolean isResolved() {
    return kind == Kind.RESOLVED;
  }

  /** The window with negated offsets (same m_h, m_w): where the pixels j with z in W(j) lie. */
  public Window mirrored() {
    requireResolved();
    return new Window(Kind.RESOLVED, -maxDy, -minDy, -maxDx, -minDx, 0, 0);
  }

  public int minDy() {
    requireResolved();
    return minDy;
  }

  public int maxDy() {
    requireResolved();
    return maxDy;
  }

  public int minDx() {
    requireResolved();
    return minDx;
  }

  public int maxDx() {
    requireResolved();
    return maxDx;
  }

  /** m_h, the number of row offsets. */
  public int height() {
    requireResolved();
    return maxDy - minDy + 1;
  }

  /** m_w, the number of column offsets. */
  public int width() {
    requireResolved();
    return maxDx - minDx + 1;
  }

  /** |W| = m_h * m_w. */
  public long size() {
    return (long) height() * width();
  }

  private void requireResolved() {
    if (kind != Kind.RESOLVED) {
      throw notResolved();
    }
  }

  // Out of line: keeps the accessors small enough to inline in the kernels' loops.
  private IllegalStateException notResolved() {
    return new IllegalStateException("window " + this + " must be resolved against the input size first");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Window v
        && kind == v.kind
        && minDy == v.minDy
        && maxDy == v.maxDy
        && minDx == v.minDx
        && maxDx == v.maxDx
        && m == v.m
        && sRef == v.sRef;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, minDy, maxDy, minDx, maxDx, m, sRef);
  }

  @Override
  public String toString() {
    switch (kind) {
      case SCALED:
      case ALL:
        return spec();
      default:
        return height() + "x" + width() + " (dy " + minDy + ".." + maxDy + ", dx " + minDx + ".." + maxDx + ")";
    }
  }
}
