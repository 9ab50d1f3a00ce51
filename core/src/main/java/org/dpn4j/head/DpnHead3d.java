package org.dpn4j.head;

import org.dpn4j.value.Maps;

/**
 * The spatio-temporal DPN head (DESIGN.md section 1, "Spatio-temporal DPN") for frame t: the 3D b12
 * ({@link TriplePenalty3d}, q = p_t), the 3D b13 ({@link LabelContexts3d}), and b14, b15 as in 2D,
 * with frame t's unary p_t in b15. {@link #refine} is the inference path, {@link #forward} keeps
 * every stage for {@link #backward}; the chain is {@link MeanFieldHead}'s, shared with {@link DpnHead}.
 */
public final class DpnHead3d extends MeanFieldHead<TriplePenalty3d.Frames, TriplePenalty3d.Gradients> {

  private final TriplePenalty3d b12;
  private final LabelContexts3d b13;

  public DpnHead3d(TriplePenalty3d b12, LabelContexts3d b13) {
    super(b12.b12(), b13);
    this.b12 = b12;
    this.b13 = b13;
  }

  /**
   * The 3D head initialised from a 2D head: a copy of its b12's parameters, its b13 on tau = 0 cropped
   * to {@code contextSize} (DESIGN.md: 7; the 2D size keeps it whole and then, before training, the
   * 3D head equals the 2D head), zero on tau = +-1.
   */
  public static DpnHead3d from(DpnHead head, int contextSize) {
    return new DpnHead3d(new TriplePenalty3d(head.b12().copy()), LabelContexts3d.from(head.b13(), contextSize));
  }

  public TriplePenalty3d b12() {
    return b12;
  }

  public LabelContexts3d b13() {
    return b13;
  }

  @Override
  public DpnHead3d withWindow(Window window) {
    return new DpnHead3d(new TriplePenalty3d(b12.b12().withWindow(window)), b13);
  }

  /** Gradients of a loss: frame t's probabilities (both paths), and those of the 3D b12 (the warped
   * neighbours' q~ included) and of the 3D b13. */
  public record Gradients(Maps p, TriplePenalty3d.Gradients b12, LabelContexts.Gradients b13)
      implements WeightGradients {}

  /** The refined probabilities of frame t; {@code frames.q()} is its unary p_t. */
  public Maps refine(TriplePenalty3d.Frames frames) {
    return refineInput(frames);
  }

  public Stages forward(TriplePenalty3d.Frames frames) {
    return forwardInput(frames);
  }

  /** Back-propagates g = dLoss/dP; p_t reaches the output through ln p in b15 and through q in b12. */
  public Gradients backward(TriplePenalty3d.Frames frames, Stages stages, Maps gradOut) {
    Chain<TriplePenalty3d.Gradients> g = backwardInput(frames, stages, gradOut);
    return new Gradients(g.p(), g.b12(), g.b13());
  }

  @Override
  Maps unary(TriplePenalty3d.Frames in) {
    return in.q();
  }

  @Override
  Maps penalty(TriplePenalty3d.Frames in) {
    return b12.forward(in);
  }

  @Override
  TriplePenalty3d.Gradients penaltyBackward(TriplePenalty3d.Frames in, Maps gradOut) {
    return b12.backward(in, gradOut);
  }

  @Override
  Maps penaltyGradientQ(TriplePenalty3d.Gradients g) {
    return g.q();
  }
}
