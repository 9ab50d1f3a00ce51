package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.dpn4j.crf.DenseCrf;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.Npy;
import org.dpn4j.io.OutputGuard;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.Segmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dpn refine}: refines given per-pixel probabilities of an image, with a model's DPN head
 * (b12-b15, one mean-field step) or with the dense CRF baseline ({@link DenseCrf}, as the reference
 * library computes it).
 */
@Command(
    name = "refine",
    mixinStandardHelpOptions = true,
    header = "Refines a network's probabilities with the DPN head or the dense CRF.",
    sortOptions = false,
    description = {
      "Refines the probabilities P of an image with the DPN head of a model (b12-b15, one mean-field "
          + "step) or with the dense CRF (Potts, Gaussian and bilateral kernels, mean field). P is a .npy "
          + "file, float32 or float16, of shape (L, H, W) or (H, W, L) where H x W is the image's size; when "
          + "both fit (L = H = W) it is read as (L, H, W). Each pixel's values must sum to 1 (within 1e-3) "
          + "unless --logits is given. Writes the labels (arg-max) as an 8-bit palette PNG: the model's "
          + "colours with dpn, the VOC palette with densecrf. See docs/REFINE.md."
    })
public final class RefineCommand implements Callable<Integer> {

  /** The two refinements. */
  enum Method {
    dpn,
    densecrf
  }

  private static final int DEFAULT_CRF_ITERATIONS = 5;

  @Spec CommandSpec spec;

  @Mixin ThreadsOption threads;

  @Option(names = "--image", required = true, paramLabel = "IMG",
      description = "The image (PNG, JPEG, BMP, GIF).")
  Path image;

  @Option(names = "--probs", required = true, paramLabel = "P.npy",
      description = "Probabilities, (L, H, W) or (H, W, L).")
  Path probs;

  @Option(names = "--method", required = true, paramLabel = "dpn|densecrf",
      description = "dpn (the model's head) or densecrf.")
  Method method;

  @Mixin ModelOption model;

  @Mixin WindowOption window;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description = "Mean-field iterations of the dense CRF (default 5). The DPN head is one step: dpn accepts only 1.")
  Integer iterations;

  @Option(names = "--gauss-sxy", paramLabel = "S", defaultValue = "3",
      description = "densecrf: Gaussian kernel's sxy, pixels (default ${DEFAULT-VALUE}).")
  float gaussSxy;

  @Option(names = "--gauss-compat", paramLabel = "W", defaultValue = "3",
      description = "densecrf: its Potts weight (default ${DEFAULT-VALUE}).")
  float gaussCompat;

  @Option(names = "--bilateral-sxy", paramLabel = "S", defaultValue = "80",
      description = "densecrf: bilateral kernel's sxy, pixels (default ${DEFAULT-VALUE}).")
  float bilateralSxy;

  @Option(names = "--bilateral-srgb", paramLabel = "S", defaultValue = "13",
      description = "densecrf: its srgb, colours 0..255 (default ${DEFAULT-VALUE}).")
  float bilateralSrgb;

  @Option(names = "--bilateral-compat", paramLabel = "W", defaultValue = "10",
      description = "densecrf: its Potts weight (default ${DEFAULT-VALUE}).")
  float bilateralCompat;

  @Option(names = "--logits",
      description = "P holds logits (scores before the softmax): a softmax over the labels first.")
  boolean logits;

  @Option(names = "--out", required = true, paramLabel = "LABELS.png",
      description = "The refined labels (8-bit palette PNG).")
  Path out;

  @Option(names = "--probs-out", paramLabel = "Q.npy",
      description = "Also the refined probabilities (float32, L x H x W).")
  Path probsOut;

  @Option(names = "--overlay", paramLabel = "O.png",
      description = "Also the photo with the label colours blended over it.")
  Path overlay;

  @Override
  public Integer call() throws IOException {
    threads.apply();
    checkOptions();
    OutputGuard guard = new OutputGuard().input(image).input(probs).inputs(model.given);
    guard.output(out, "--out");
    guard.output(probsOut, "--probs-out");
    guard.output(overlay, "--overlay");
    guard.check();
    Maps rgb = Images.toRgb(Images.read(image));
    Maps p = ProbabilityFile.read(probs, image, rgb.h, rgb.w, logits);
    if (method == Method.densecrf) {
      refineAndWrite(rgb, p, () -> denseCrf(p, rgb), LabelMaps.vocPalette(p.c));
      return 0;
    }
    Path modelFile = model.path();
    try (DpnModel dpn = DpnModel.load(modelFile)) {
      window.applyTo(dpn);
      int labels = dpn.config().numLabels();
      if (p.c != labels) {
        throw new IllegalArgumentException(
            probs + " holds " + p.c + " labels but the model " + modelFile + " has " + labels);
      }
      refineAndWrite(rgb, p, () -> dpn.head().refine(p, rgb), dpn.config().labels().colours());
    }
    return 0;
  }

  /** Times the refinement alone (no file reading, writing or model loading), then writes the outputs. */
  private void refineAndWrite(Maps rgb, Maps p, Supplier<Maps> refinement, int[] palette) throws IOException {
    long t0 = System.nanoTime();
    Maps q = refinement.get();
    double ms = (System.nanoTime() - t0) / 1e6;
    int[] labels = LabelMaps.argmax(q);
    write(out, () -> LabelMaps.writePng(LabelMaps.indexed(labels, rgb.h, rgb.w, palette), out));
    write(probsOut, () -> Npy.writeFloat32(probsOut, q.data, q.c, q.h, q.w));
    write(overlay, () -> LabelMaps.writePng(LabelMaps.overlay(rgb, labels, palette, Segmentation.OVERLAY_ALPHA), overlay));
    spec.commandLine().getOut().printf(
        Locale.ROOT, "%s  %dx%d  %d labels  %s  %.0f ms%n", image.getFileName(), rgb.w, rgb.h, p.c, describe(), ms);
  }

  private void checkOptions() {
    if (method == Method.dpn) {
      if (iterations != null && iterations != 1) {
        throw new IllegalArgumentException(
            "--iterations " + iterations + ": the DPN head computes one mean-field step (--iterations is for densecrf)");
      }
    } else {
      if (!model.given.isEmpty() || window.window != null) {
        throw new IllegalArgumentException(
            "--model and --window are for --method dpn; densecrf takes its settings from the options");
      }
      if (iterations != null && iterations < 0) {
        throw new IllegalArgumentException("--iterations must be >= 0, got " + iterations);
      }
    }
  }

  private String describe() {
    return method == Method.dpn ? "dpn" : "densecrf, " + crfIterations() + " iterations";
  }

  private int crfIterations() {
    return iterations == null ? DEFAULT_CRF_ITERATIONS : iterations;
  }

  /** The dense CRF as pydensecrf users run it: unary from P, the Gaussian and the bilateral kernel. */
  private Maps denseCrf(Maps p, Maps rgb) {
    DenseCrf crf = new DenseCrf(p.w, p.h, p.c);
    crf.setUnaryFromProbabilities(p);
    crf.addPairwiseGaussian(gaussSxy, gaussCompat);
    crf.addPairwiseBilateral(bilateralSxy, bilateralSrgb, rgb, bilateralCompat);
    return crf.inference(crfIterations());
  }

  private interface Writer {
    void write() throws IOException;
  }

  /** Writes an optional output (null: skipped); its folder is created by the atomic write. */
  private static void write(Path file, Writer writer) throws IOException {
    if (file != null) {
      writer.write();
    }
  }
}
