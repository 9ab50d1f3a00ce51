package org.dpn4j.head;


import java.util.Objects;
import org.dpn4j.value.Maps;

/**
 * The spatio-temporal DPN head (DESIGN.md section 1, "Spatio-temporal DPN") for frame t: the 3D b12
 * ({@link TriplePenalty3d}, q = p_t), the 3D b13 ({@link LabelContexts3d}), and b14, b15 as in 2D,
 * with frame t's unary p_t in b15. {@link #refine} is the inference path, {@link #forward} keeps
 * every stage for {@link #backward}.
 */
public final class DpnHead3d {

  private final TriplePenalty3d b12;
  private final LabelContexts3d b13;
  private final BlockMinPool b14;
  private final MeanFieldFusion b15 = new MeanFieldFusion(MeanFieldFusion.Unary.PROBABILITIES);

  public DpnHead3d(TriplePenalty3d b12, LabelContexts3d b13) {
    this.b12 = Objects.requireNonNull(b12, "b12");
    this.b13 = Objects.requireNonNull(b13, "b13");
    if (b12.labels() != b13.labels()) {
      throw new IllegalArgumentException("b12 has " + b12.labels() + " labels but b13 has " + b13.labels());
    }
    this.b14 = new BlockMinPool(b13.components());
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

  /** Every stage's output: b12 stacked (3L maps), b13 (K*L), b14 (L), b15 the refined probabilities. */
  public record Stages(Maps b12, Maps b13, Maps b14, Maps b15) {}

  /** Gradients of a loss: frame t's probabilities (both paths), and those of the 3D b12 (the warped
   * neighbours' q~ included) and of the 3D b13. */
  public record Gradients(Maps p, TriplePenalty3d.Gradients b12, LabelContexts.Gradients b13) {}

  /** The refined probabilities of frame t; {@code frames.q()} is its unary p_t. */
  public Maps refine(TriplePenalty3d.Frames frames) {
    return b15.forward(frames.q(), b13.forwardMin(b12.forward(frames)));
  }

  public Stages forward(TriplePenalty3d.Frames frames) {
    Maps o = b12.forward(frames);
    Maps c = b13.forward(o);
    Maps m = b14.forward(c);
    return new Stages(o, c, m, b15.forward(frames.q(), m));
  }

  /** Back-propagates g = dLoss/dP; p_t reaches the output through ln p in b15 and through q in b12. */
  public Gradients backward(TriplePenalty3d.Frames frames, Stages stages, Maps gradOut) {
    MeanFieldFusion.Gradients g15 = b15.backward(frames.q(), stages.b15(), gradOut);
    Maps g14 = b14.backward(stages.b13(), g15.b14());
    LabelContexts.Gradients g13 = b13.backward(stages.b12(), g14);
    TriplePenalty3d.Gradients g12 = b12.backward(frames, g13.input());
    Maps gp = g15.unary().copy();
    for (int i = 0; i < gp.data.length; i++) {
      gp.data[i] += g12.q().data[i];
    }
    return new Gradients(gp, g12, g13);
  }
}
