package org.dpn4j.head;

import org.dpn4j.video.NodeLinks;

import java.util.Objects;
import org.dpn4j.value.Maps;

/**
 * b12 of the spatio-temporal DPN (DESIGN.md section 1, "Spatio-temporal DPN"): the triple penalty
 * over an m x m x 3 window, each frame's contribution in frame t's coordinates,
 *
 * <pre>
 *   o^tau_j = c_j (1/|W|) sum_{z in W(j)} d(j, z; tau) q~^tau_z,      tau in {-1, 0, +1}
 *   d(j, z; tau) = w_rgb |I_t(j) - I~^tau(z)|^2 / 3  +  w_xy ( dx^2 / (2 r_w^2) + dy^2 / (2 r_h^2) )
 * </pre>
 *
 * with c = q_t (or 1), q~^0 = q_t, I~^0 = I_t, and q~^{+-1}, I~^{+-1} the neighbouring frames' q and
 * colours warped into frame t ({@link Neighbour#warped}: bilinear along the flow, 0 where a link is
 * dropped). The output is the three maps stacked, 3L maps in the order tau = -1, 0, +1; their sum
 * o^-1 + o^0 + o^+1 is the paper's 3D local convolution, and o^0 is the 2D b12.
 *
 * <p>Each term is a 2D b12 whose centre (q_t, I_t) and neighbour (q~, I~) differ ({@link
 * TriplePenalty#forwardLinked}): the same box-sum fast path and windowed reference, the same options
 * (window, kernel, centre factor, 1/|W|, per-label weights). The self term concerns frame t only: the
 * node at z = j of another frame is a different node. The parameters w_rgb, w_xy are those of the
 * wrapped 2D b12, shared by the three frames: the paper's Eqn. (5) has one pair of constant weights
 * for every pair of voxels, and DESIGN.md gives one pair per layer.
 *
 * <p>A missing neighbour (the sequence ends) is an all-zero q~: its term is 0 and needs no work.
 */
public final class TriplePenalty3d {

  private final TriplePenalty b12;

  /** The 3D b12 with the options and the live parameters of {@code b12} (shared, not copied). */
  public TriplePenalty3d(TriplePenalty b12) {
    this.b12 = Objects.requireNonNull(b12, "b12");
  }

  /** The 2D b12 that holds the options and the parameters w_rgb, w_xy. */
  public TriplePenalty b12() {
    return b12;
  }

  public int labels() {
    return b12.labels();
  }

  /** A neighbouring frame's q and colours, warped into frame t. */
  public record Neighbour(Maps q, Maps image) {
    public Neighbour {
      Objects.requireNonNull(q, "the neighbour frame's q");
      Objects.requireNonNull(image, "the neighbour frame's image");
    }

    /** Frame s's q and image warped into frame t along {@code links} (from t to s). */
    public static Neighbour warped(NodeLinks links, Maps q, Maps image) {
      return new Neighbour(links.warp(q), links.warp(image));
    }
  }

  /** Frame t's q and image, and the previous and next frames warped into t (null where the sequence ends). */
  public record Frames(Maps q, Maps image, Neighbour previous, Neighbour next) {
    public Frames {
      Objects.requireNonNull(q, "q");
      Objects.requireNonNull(image, "image");
    }

    /** The neighbour at tau = -1 or +1. */
    Neighbour neighbour(int tau) {
      return tau < 0 ? previous : next;
    }
  }

  /**
   * Gradients of a loss: {@code q} for q_t (its own term and the centre factor of all three), {@code
   * previous} and {@code next} for the warped neighbours' q~ (null where missing), and the shared
   * weights' (summed over the three terms).
   */
  public record Gradients(Maps q, Maps previous, Maps next, float[] colourWeight, float[] positionWeight)
      implements MeanFieldHead.PenaltyWeightGradients {}

  /** The three terms stacked (3L maps, tau = -1, 0, +1), by the fast path. */
  public Maps forward(Frames f) {
    return forward(f, true);
  }

  /** The same as {@link #forward} by the plain windowed loop. */
  public Maps forwardReference(Frames f) {
    return forward(f, false);
  }

  /** Gradients given g = dL/do (3L maps, as the output), by the fast path. */
  public Gradients backward(Frames f, Maps gradOut) {
    return backward(f, gradOut, true);
  }

  /** The same as {@link #backward} by the plain windowed loop. */
  public Gradients backwardReference(Frames f, Maps gradOut) {
    return backward(f, gradOut, false);
  }

  /** o^-1 + o^0 + o^+1 of a stacked output: the paper's 3D local convolution (L maps). */
  public static Maps sum(Maps stacked) {
    Maps out = FrameStack.frame(stacked, -1);
    for (int tau = 0; tau <= 1; tau++) {
      float[] o = FrameStack.frame(stacked, tau).data;
      for (int i = 0; i < o.length; i++) {
        out.data[i] += o[i];
      }
    }
    return out;
  }

  /** The L maps of frame tau (-1, 0, +1) of a stacked output, copied. */
  public static Maps frame(Maps stacked, int tau) {
    if (tau < -1 || tau > 1) {
      throw new IllegalArgumentException("tau must be -1, 0 or +1, got " + tau);
    }
    return FrameStack.frame(stacked, tau);
  }

  private Maps forward(Frames f, boolean fast) {
    Maps current = fast ? b12.forward(f.q(), f.image()) : b12.forwardReference(f.q(), f.image());
    return FrameStack.stack(linked(f, -1, fast), current, linked(f, 1, fast));
  }

  /** The term of neighbour tau, null where it is missing. */
  private Maps linked(Frames f, int tau, boolean fast) {
    Neighbour n = f.neighbour(tau);
    if (n == null) {
      return null;
    }
    return fast
        ? b12.forwardLinked(f.q(), f.image(), n.q(), n.image())
        : b12.forwardLinkedReference(f.q(), f.image(), n.q(), n.image());
  }

  private Gradients backward(Frames f, Maps gradOut, boolean fast) {
    int labels = labels();
    if (gradOut.c != FrameStack.FRAMES * labels) {
      throw new IllegalArgumentException(
          "gradient of the 3D b12's output has " + gradOut.c + " maps, expected 3L = " + 3 * labels);
    }
    Maps g0 = FrameStack.frame(gradOut, 0);
    TriplePenalty.Gradients current =
        fast ? b12.backward(f.q(), f.image(), g0) : b12.backwardReference(f.q(), f.image(), g0);
    Maps gradQ = current.q();
    float[] colour = current.colourWeight();
    float[] position = current.positionWeight();
    Maps[] gradNeighbour = new Maps[2];
    for (int tau : new int[] {-1, 1}) {
      Neighbour n = f.neighbour(tau);
      if (n == null) {
        continue;
      }
      Maps g = FrameStack.frame(gradOut, tau);
      TriplePenalty.LinkedGradients linked =
          fast
              ? b12.backwardLinked(f.q(), f.image(), n.q(), n.image(), g)
              : b12.backwardLinkedReference(f.q(), f.image(), n.q(), n.image(), g);
      if (linked.centre() != null) {
        addInto(gradQ.data, linked.centre().data);
      }
      addInto(colour, linked.colourWeight());
      addInto(position, linked.positionWeight());
      gradNeighbour[tau < 0 ? 0 : 1] = linked.neighbour();
    }
    return new Gradients(gradQ, gradNeighbour[0], gradNeighbour[1], colour, position);
  }

  private static void addInto(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }
}
