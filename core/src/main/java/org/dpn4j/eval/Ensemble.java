package org.dpn4j.eval;

import java.util.List;
import org.dpn4j.data.LabelSet;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.model.DpnModel;

/**
 * The prediction {@code dpn eval} scores (docs/EVAL.md): the unary probabilities of one or more
 * models averaged over input scales and, optionally, the mirrored image, then refined once by the
 * first model's head (b12-b15):
 *
 * <pre>
 *   p_avg = 1/(M S F) sum_models sum_scales sum_mirror  resize(unmirror(softmax(b11(mirror(resize_s(x))))))
 *   P     = head_1(p_avg, x)
 * </pre>
 *
 * All of it happens at the <em>head's size</em>: the size the first model's unary sees at scale 1
 * ({@link DpnModel#unaryInput}: the image's own size unless {@code input.longSide} resizes it).
 * Scale s resizes each model's own unary input bilinearly by s; the probabilities of every pass are
 * resized bilinearly back to the head's size and mirrored back before they are averaged. p_avg and
 * P are then resized to the image's size. With one model, the single scale 1 and no mirroring, the
 * result is exactly {@link DpnModel#segment}'s, without and with the head.
 *
 * <p>Models are not thread-safe, so neither is an ensemble.
 */
public final class Ensemble {

  /** The unary's (averaged) and the DPN's probabilities of an image, both L x H x W at the image's size. */
  public record Prediction(Maps unary, Maps dpn) {}

  private final List<DpnModel> models;
  private final List<Double> scales;
  private final boolean mirror;

  /**
   * @param models one or more models with the same class names in the same order; the first one's
   *     head refines the average
   * @param scales positive factors of the unary's input size (1 = as the model sees the image)
   * @param mirror also run every scale on the image mirrored left to right
   */
  public Ensemble(List<DpnModel> models, List<Double> scales, boolean mirror) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no model given");
    }
    if (scales.isEmpty()) {
      throw new IllegalArgumentException("no scale given");
    }
    for (double s : scales) {
      if (!(s > 0 && Double.isFinite(s))) {
        throw new IllegalArgumentException("scales must be positive numbers, got " + s);
      }
    }
    List<String> names = models.get(0).config().labels().names();
    for (int i = 1; i < models.size(); i++) {
      List<String> other = models.get(i).config().labels().names();
      if (!other.equals(names)) {
        throw new IllegalArgumentException(
            "model " + (i + 1) + " has the classes " + other + " but model 1 has " + names
                + ": averaged models need the same classes in the same order");
      }
    }
    this.models = List.copyOf(models);
    this.scales = List.copyOf(scales);
    this.mirror = mirror;
  }

  /** The first model's label set: the classes and the colours of saved label maps. */
  public LabelSet labels() {
    return models.get(0).config().labels();
  }

  /** Unary passes per image: models x scales x (2 with mirroring, else 1). */
  public int passes() {
    return models.size() * scales.size() * (mirror ? 2 : 1);
  }

  /**
   * The unary probabilities of an ensemble's passes averaged ({@code unary}, L x h x w) at the
   * head's size, with the image at that size ({@code work}, 3 x h x w), which the head refines them on.
   */
  public record Average(Maps work, Maps unary) {}

  /** The averaged unary probabilities and the first head's refinement of an image (3 x H x W, RGB in [0, 1]). */
  public Prediction predict(Maps rgb) {
    Average a = average(rgb);
    Maps dpn = models.get(0).head().refine(a.unary(), a.work());
    return new Prediction(atSizeOf(a.unary(), rgb), atSizeOf(dpn, rgb));
  }

  /** The unary probabilities of an image (3 x H x W, RGB in [0, 1]) averaged over the passes, before the head. */
  public Average average(Maps rgb) {
    DpnModel first = models.get(0);
    Maps work = first.unaryInput(rgb);
    Maps sum = new Maps(labels().size(), work.h, work.w);
    for (DpnModel model : models) {
      Maps input = model == first ? work : model.unaryInput(rgb);
      for (double s : scales) {
        Maps scaled = scaled(input, s);
        add(sum, model.unaryProbabilities(scaled));
        if (mirror) {
          add(sum, Images.mirror(model.unaryProbabilities(Images.mirror(scaled))));
        }
      }
    }
    int n = passes();
    if (n > 1) {
      for (int i = 0; i < sum.data.length; i++) {
        sum.data[i] /= n;
      }
    }
    return new Average(work, sum);
  }

  private static Maps scaled(Maps input, double s) {
    if (s == 1) {
      return input;
    }
    return Images.resizeBilinear(
        input, Math.max(1, (int) Math.round(input.h * s)), Math.max(1, (int) Math.round(input.w * s)));
  }

  /** sum += p, resized to sum's size first if needed. */
  private static void add(Maps sum, Maps p) {
    Maps q = atSizeOf(p, sum);
    for (int i = 0; i < sum.data.length; i++) {
      sum.data[i] += q.data[i];
    }
  }

  /** {@code maps} resized bilinearly to the height and width of {@code like}, or itself if they agree. */
  private static Maps atSizeOf(Maps maps, Maps like) {
    return maps.h == like.h && maps.w == like.w ? maps : Images.resizeBilinear(maps, like.h, like.w);
  }
}
