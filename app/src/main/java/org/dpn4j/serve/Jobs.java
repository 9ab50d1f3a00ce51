package org.dpn4j.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dpn4j.crf.DenseCrfSettings;
import org.dpn4j.data.LabelSet;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.ProbabilityFile;
import org.dpn4j.model.DpnModel;
import org.dpn4j.value.Maps;

/** The work of a request on a worker: decode, compute, time each step. */
final class Jobs {

  private Jobs() {}

  /**
   * Segments {@code upload} as {@link DpnModel#segment(java.awt.image.BufferedImage, boolean)} does
   * (the same steps, so the same labels), timing the unary and the head apart; with
   * {@code unaryToo} the unary's labels are kept as well.
   */
  static Outcome segment(String name, DpnModel model, ImageUpload upload, boolean head, boolean unaryToo) {
    Map<String, Double> t = Outcome.newTimings();
    long t0 = System.nanoTime();
    Maps rgb = Images.toRgb(upload.decode());
    long t1 = lap(t, "decode", t0);
    Maps work = model.unaryInput(rgb);
    Maps unary = model.unaryProbabilities(work);
    long t2 = lap(t, "unary", t1);
    Maps refined = head ? model.head().refine(unary, work) : unary;
    if (head) {
      lap(t, "head", t2);
    }
    int[] labels = model.atImageSize(rgb, work, refined).labels();
    int[] baseline = unaryToo ? model.atImageSize(rgb, work, unary).labels() : null;
    t.put("total", (System.nanoTime() - t0) / 1e6);
    LabelSet set = model.config().labels();
    return new Outcome(name, rgb, labels, baseline, set, set.colours(), t);
  }

  /** The uploaded probabilities: the bytes, the client's file name ({@code .npz} or {@code .npy}), logits or not. */
  record Probabilities(byte[] bytes, String fileName, boolean logits) {}

  /** {@code dpn refine --method dpn}: the model's head on the given probabilities. */
  static Outcome refineDpn(String name, DpnModel model, ImageUpload upload, Probabilities probs) {
    return refine(name, upload, probs, (p, rgb) -> {
      int labels = model.config().numLabels();
      if (p.c != labels) {
        throw ApiError.badRequest("probs holds " + p.c + " labels but the model '" + name + "' has " + labels);
      }
      return model.head().refine(p, rgb);
    }, model.config().labels());
  }

  /** {@code dpn refine --method densecrf}: the dense CRF; labels drawn in the VOC palette as {@code dpn refine} does. */
  static Outcome refineCrf(DenseCrfSettings crf, ImageUpload upload, Probabilities probs) {
    return refine("densecrf", upload, probs, crf::refine, null);
  }

  private interface Refinement {
    Maps apply(Maps p, Maps rgb);
  }

  private static Outcome refine(String name, ImageUpload upload, Probabilities probs, Refinement how, LabelSet set) {
    Map<String, Double> t = Outcome.newTimings();
    long t0 = System.nanoTime();
    Maps rgb = Images.toRgb(upload.decode());
    Maps p = read(probs, rgb.h, rgb.w);
    long t1 = lap(t, "decode", t0);
    Maps q = how.apply(p, rgb);
    lap(t, "refine", t1);
    t.put("total", (System.nanoTime() - t0) / 1e6);
    LabelSet labels = set != null ? set : numbered(p.c);
    int[] palette = set != null ? set.colours() : LabelMaps.vocPalette(p.c);
    return new Outcome(name, rgb, LabelMaps.argmax(q), LabelMaps.argmax(p), labels, palette, t);
  }

  /** Reads the probabilities as {@code dpn refine --probs} does ({@link ProbabilityFile}). */
  private static Maps read(Probabilities probs, int h, int w) {
    String suffix = probs.fileName().toLowerCase(java.util.Locale.ROOT).endsWith(".npz") ? ".npz" : ".npy";
    try {
      return Uploads.read(probs.bytes(), suffix, "probs (" + probs.fileName() + ")",
          file -> ProbabilityFile.read(file, null, Path.of("the image"), h, w, probs.logits()));
    } catch (ApiError e) {
      // The reader speaks to command-line users.
      throw ApiError.badRequest(e.getMessage().replace("add --logits", "add logits=true"));
    }
  }

  /** Labels without names (the dense CRF knows none): "0", "1", ... in the VOC palette. */
  private static LabelSet numbered(int n) {
    if (n > 255) {
      throw ApiError.badRequest("probs holds " + n + " labels; at most 255 fit a label PNG");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(Integer.toString(i));
    }
    return new LabelSet(names, LabelMaps.vocPalette(n), 255);
  }

  /** Records the time since {@code since} under {@code step}; returns now. */
  private static long lap(Map<String, Double> t, String step, long since) {
    long now = System.nanoTime();
    t.put(step, (now - since) / 1e6);
    return now;
  }
}
