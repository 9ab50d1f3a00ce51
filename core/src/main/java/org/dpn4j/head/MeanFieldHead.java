package org.dpn4j.head;

import java.util.Objects;
import org.dpn4j.value.Maps;

/**
 * The DPN head as one mean-field step (DESIGN.md section 1), what the 2D {@link DpnHead} and the
 * spatio-temporal {@link DpnHead3d} share:
 *
 * <pre>
 *   b12  o   = triple penalty of the input (q = p)
 *   b13  c   = label contexts * o                  (K*L maps)
 *   b14  m_u = min_k c_{u*K+k}                      (block min pooling)
 *   b15  P   = softmax(ln p - m)                    (fusion with the unary)
 * </pre>
 *
 * A head takes an input {@code F} (one frame, or a frame with its warped neighbours) whose unary p
 * reaches the output twice, through ln p in b15 and through q = p in b12; {@code G} is b12's
 * gradient type. The subclasses supply b12 and name their inputs; the chain and its backward pass are
 * written here once.
 *
 * @param <F> the input of one refinement
 * @param <G> b12's gradients
 */
public abstract sealed class MeanFieldHead<F, G> permits DpnHead, DpnHead3d {

  private final TriplePenalty planar;
  private final ContextLayer b13;
  private final BlockMinPool b14;
  private final MeanFieldFusion b15 = new MeanFieldFusion(MeanFieldFusion.Unary.PROBABILITIES);

  /**
   * A head over b12 (whose options and weights {@code planar} holds) and {@code b13}; b14 pools over
   * b13's K components.
   */
  MeanFieldHead(TriplePenalty planar, ContextLayer b13) {
    this.planar = Objects.requireNonNull(planar, "b12");
    this.b13 = Objects.requireNonNull(b13, "b13");
    if (planar.labels() != b13.labels()) {
      throw new IllegalArgumentException("b12 has " + planar.labels() + " labels but b13 has " + b13.labels());
    }
    this.b14 = new BlockMinPool(b13.components());
  }

  /** Every stage's output: b12, b13 (K*L maps), b14 (L), b15 the refined probabilities. */
  public record Stages(Maps b12, Maps b13, Maps b14, Maps b15) {}

  /** The gradients of b12's two weights, as the 2D and the 3D b12 give them. */
  public interface PenaltyWeightGradients {
    /** dL/dw_rgb (w_b for the Gaussian kernel). */
    float[] colourWeight();

    /** dL/dw_xy (w_g for the Gaussian kernel). */
    float[] positionWeight();
  }

  /** What a head's trainer reads of a backward pass: the gradients of b12's and b13's weights. */
  public interface WeightGradients {
    /** b12's gradients. */
    PenaltyWeightGradients b12();

    /** b13's gradients. */
    LabelContexts.Gradients b13();
  }

  /** The gradients of one backward pass: p's (both paths summed), b12's and b13's. */
  record Chain<G>(Maps p, G b12, LabelContexts.Gradients b13) {}

  /** L, the number of labels. */
  public int labels() {
    return planar.labels();
  }

  /** The head's settings: b12's window and kernel, b13's size and K. */
  public HeadSpec spec() {
    TriplePenalty.Options o = planar.options();
    return new HeadSpec(o.window(), o.kernel(), b13.size(), b13.components());
  }

  /** The same head with another b12 window, sharing this one's live weights. */
  public abstract MeanFieldHead<F, G> withWindow(Window window);

  /** The unary p of the frame refined: b15's unary and b12's q. */
  abstract Maps unary(F in);

  /** b12's output for the input. */
  abstract Maps penalty(F in);

  /** b12's gradients given g = dL/d(b12's output). */
  abstract G penaltyBackward(F in, Maps gradOut);

  /** dL/dq within b12's gradients. */
  abstract Maps penaltyGradientQ(G g);

  /** The refined probabilities P by the fastest path (b13 and b14 fused, without the K*L maps). */
  final Maps refineInput(F in) {
    return b15.forward(unary(in), b13.forwardMin(penalty(in)));
  }

  /** All four stages (the K*L maps of b13 included: slower and larger than the fused path). */
  final Stages forwardInput(F in) {
    Maps o = penalty(in);
    Maps c = b13.forward(o);
    Maps m = b14.forward(c);
    return new Stages(o, c, m, b15.forward(unary(in), m));
  }

  /**
   * Back-propagates g = dLoss/dP through b15 to b12; p's gradient is the sum of its two paths, ln p in
   * b15 and q = p in b12.
   */
  final Chain<G> backwardInput(F in, Stages stages, Maps gradOut) {
    MeanFieldFusion.Gradients g15 = b15.backward(unary(in), stages.b15(), gradOut);
    Maps g14 = b14.backward(stages.b13(), g15.b14());
    LabelContexts.Gradients g13 = b13.backward(stages.b12(), g14);
    G g12 = penaltyBackward(in, g13.input());
    Maps gp = g15.unary().copy();
    float[] a = gp.data;
    float[] b = penaltyGradientQ(g12).data;
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return new Chain<>(gp, g12, g13);
  }
}
