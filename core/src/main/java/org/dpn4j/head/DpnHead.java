package org.dpn4j.head;

import org.dpn4j.value.Maps;

/**
 * The DPN head, b12 to b15: one mean-field step of the MRF written as layers (DESIGN.md section 1),
 *
 * <pre>
 *   b12  o   = q * (1/|W|) sum_{z in W(j)} d(j, z) q_z          (triple penalty, q = p)
 *   b13  c   = label contexts * o                             (L -> K*L maps)
 *   b14  m_u = min_k c_{u*K+k}                                 (block min pooling)
 *   b15  P   = softmax(ln p - m)                               (fusion with the unary)
 * </pre>
 *
 * <p>Input: the unary's probabilities p (L x H x W) and the image (3 x H x W, RGB in [0, 1]) at the
 * same size. {@link #refine} is the inference path (b13 and b14 fused, without the K*L maps);
 * {@link #forward} keeps every stage's output for inspection and for {@link #backward}. The chain
 * itself is {@link MeanFieldHead}'s, shared with the spatio-temporal {@link DpnHead3d}.
 */
public final class DpnHead extends MeanFieldHead<DpnHead.Input, TriplePenalty.Gradients> {

  /** One refinement's input: the unary's probabilities and the image. */
  record Input(Maps p, Maps image) {}

  private final TriplePenalty b12;
  private final LabelContexts b13;

  /** A head from its two trained layers; b14 pools over b13's K components. */
  public DpnHead(TriplePenalty b12, LabelContexts b13) {
    super(b12, b13);
    this.b12 = b12;
    this.b13 = b13;
  }

  /** The head at DESIGN.md's initial values and {@link HeadSpec#DEFAULT}'s sizes, scalar b12 weights. */
  public static DpnHead initial(int labels) {
    return initial(HeadSpec.DEFAULT, labels, false);
  }

  /**
   * The head that {@code spec} describes at its initial values: b12 with w_rgb = w_xy = 1 (shape [1],
   * or [L] with {@code perLabelWeights}), b13 the identity context in each of its K components.
   */
  public static DpnHead initial(HeadSpec spec, int labels, boolean perLabelWeights) {
    return new DpnHead(new TriplePenalty(labels, spec.b12Options(perLabelWeights)),
        new LabelContexts(labels, spec.components(), spec.size()));
  }

  public TriplePenalty b12() {
    return b12;
  }

  public LabelContexts b13() {
    return b13;
  }

  @Override
  public DpnHead withWindow(Window window) {
    return new DpnHead(b12.withWindow(window), b13);
  }

  /** Gradients of a loss: for the unary's probabilities, and for b12's and b13's parameters. */
  public record Gradients(Maps p, TriplePenalty.Gradients b12, LabelContexts.Gradients b13)
      implements WeightGradients {}

  /** The refined probabilities P, by the fastest path. */
  public Maps refine(Maps p, Maps image) {
    return refineInput(new Input(p, image));
  }

  /** All four stages (the K*L maps of b13 included: slower and larger than {@link #refine}). */
  public Stages forward(Maps p, Maps image) {
    return forwardInput(new Input(p, image));
  }

  /**
   * Back-propagates g = dLoss/dP through b15 to b12. The unary's probabilities reach the output twice,
   * through ln p in b15 and through q = p in b12: their gradient is the sum of both paths.
   */
  public Gradients backward(Maps p, Maps image, Stages stages, Maps gradOut) {
    Chain<TriplePenalty.Gradients> g = backwardInput(new Input(p, image), stages, gradOut);
    return new Gradients(g.p(), g.b12(), g.b13());
  }

  @Override
  Maps unary(Input in) {
    return in.p();
  }

  @Override
  Maps penalty(Input in) {
    return b12.forward(in.p(), in.image());
  }

  @Override
  TriplePenalty.Gradients penaltyBackward(Input in, Maps gradOut) {
    return b12.backward(in.p(), in.image(), gradOut);
  }

  @Override
  Maps penaltyGradientQ(TriplePenalty.Gradients g) {
    return g.q();
  }
}
