package org.dpn4j.head;

import org.dpn4j.value.Maps;

import java.util.Objects;

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
 * {@link #forward} keeps every stage's output for inspection and for {@link #backward}.
 */
public final class DpnHead {

  private final TriplePenalty b12;
  private final LabelContexts b13;
  private final BlockMinPool b14;
  private final MeanFieldFusion b15 = new MeanFieldFusion(MeanFieldFusion.Unary.PROBABILITIES);

  /** A head from its two trained layers; b14 pools over b13's K components. */
  public DpnHead(TriplePenalty b12, LabelContexts b13) {
    this.b12 = Objects.requireNonNull(b12, "b12");
    this.b13 = Objects.requireNonNull(b13, "b13");
    if (b12.labels() != b13.labels()) {
      throw new IllegalArgumentException(
          "b12 has " + b12.labels() + " labels but b13 has " + b13.labels());
    }
    this.b14 = new BlockMinPool(b13.components());
  }

  /**
   * The head at DESIGN.md's initial values for {@code labels} labels: b12 linear with w_rgb = w_xy =
   * 1 and window 50 at 512, b13 9 x 9 with K = 5 identity contexts.
   */
  public static DpnHead initial(int labels) {
    return new DpnHead(
        new TriplePenalty(labels, TriplePenalty.Options.defaults()), new LabelContexts(labels));
  }

  public TriplePenalty b12() {
    return b12;
  }

  public LabelContexts b13() {
    return b13;
  }

  public int labels() {
    return b12.labels();
  }

  /** Every stage's output; {@code b15} is the refined probabilities. */
  public record Stages(Maps b12, Maps b13, Maps b14, Maps b15) {}

  /** Gradients of a loss: for the unary's probabilities, and for b12's and b13's parameters. */
  public record Gradients(Maps p, TriplePenalty.Gradients b12, LabelContexts.Gradients b13) {}

  /** The refined probabilities P, by the fastest path. */
  public Maps refine(Maps p, Maps image) {
    return b15.forward(p, b13.forwardMin(b12.forward(p, image)));
  }

  /** All four stages (the K*L maps of b13 included: slower and larger than {@link #refine}). */
  public Stages forward(Maps p, Maps image) {
    Maps o = b12.forward(p, image);
    Maps c = b13.forward(o);
    Maps m = b14.forward(c);
    return new Stages(o, c, m, b15.forward(p, m));
  }

  /**
   * Back-propagates g = dLoss/dP through b15 to b12. The unary's probabilities reach the output twice,
   * through ln p in b15 and through q = p in b12: their gradient is the sum of both paths.
   */
  public Gradients backward(Maps p, Maps image, Stages stages, Maps gradOut) {
    MeanFieldFusion.Gradients g15 = b15.backward(p, stages.b15(), gradOut);
    Maps g14 = b14.backward(stages.b13(), g15.b14());
    LabelContexts.Gradients g13 = b13.backward(stages.b12(), g14);
    TriplePenalty.Gradients g12 = b12.backward(p, image, g13.input());
    Maps gp = g15.unary().copy();
    float[] a = gp.data;
    float[] b = g12.q().data;
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return new Gradients(gp, g12, g13);
  }
}
