package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.dpn4j.crf.DenseCrfSettings;
import org.dpn4j.io.ProbabilityFile;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.Npy;
import org.dpn4j.io.OutputGuard;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.Segmentation;
import org.dpn4j.util.FileNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dpn refine}: refines given per-pixel probabilities of an image, with a model's DPN head
 * (b12-b15, one mean-field step) or with the dense CRF baseline ({@link org.dpn4j.crf.DenseCrf}, as the reference
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
          + "file as NumPy writes it (float64, float32 or float16; C or Fortran order; either byte order) or "
          + "an .npz (np.savez, np.savez_compressed: its only array, or --key), of shape (L, H, W) or "
          + "(H, W, L) where H x W is the image's size; when both fit (L = H = W) it is read as (L, H, W). "
          + "Each pixel's values must sum to 1 (within 1e-3) unless --logits is given. Writes the labels "
          + "(arg-max) as an 8-bit palette PNG: the model's colours with dpn, the VOC palette with densecrf. "
          + "See docs/REFINE.md.",
      "Many images in one run: give folders or quoted globs to --image and --probs (matched by name: "
          + "photo.jpg with photo.npy or photo.npz); --out, --probs-out and --overlay are then folders that "
          + "get NAME.png (NAME.npy). A file that cannot be refined is reported and skipped; the exit code "
          + "is then 2 at the end."
    })
public final class RefineCommand extends ComputeCommand {

  /** The two refinements. */
  enum Method {
    dpn,
    densecrf
  }


  @Option(names = "--image", required = true, paramLabel = "IMG",
      description = "The image (PNG, JPEG, BMP, GIF), or a folder or quoted glob of them.")
  Path image;

  @Option(names = "--probs", required = true, paramLabel = "P.npy",
      description = "Probabilities, (L, H, W) or (H, W, L), .npy or .npz; or a folder or quoted glob of them.")
  Path probs;

  @Option(names = "--key", paramLabel = "KEY",
      description = "The array of a .npz archive holding several (np.savez's keyword name).")
  String key;

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
      description = "The refined labels (8-bit palette PNG); a folder for many images.")
  Path out;

  @Option(names = "--probs-out", paramLabel = "Q.npy",
      description = "Also the refined probabilities (float32, L x H x W).")
  Path probsOut;

  @Option(names = "--overlay", paramLabel = "O.png",
      description = "Also the photo with the label colours blended over it.")
  Path overlay;

  @Override
  protected Integer compute() throws IOException {
    checkOptions();
    boolean batch = InputFiles.isBatch(List.of(image)) || InputFiles.isBatch(List.of(probs));
    List<Path> images = batch ? InputFiles.expand(List.of(image), InputFiles.IMAGES) : List.of(image);
    List<Path> arrays = batch ? InputFiles.expand(List.of(probs), InputFiles.ARRAYS) : List.of(probs);
    Map<Path, Outputs> outputs = new LinkedHashMap<>();
    if (batch) {
      for (Path img : images) {
        String n = FileNames.stem(img);
        outputs.put(img, new Outputs(out.resolve(n + ".png"), probsOut == null ? null : probsOut.resolve(n + ".npy"),
            overlay == null ? null : overlay.resolve(n + ".png")));
      }
    } else {
      outputs.put(image, new Outputs(out, probsOut, overlay));
    }
    checkOutputs(images, arrays, outputs);
    modelFile = method == Method.dpn ? model.path() : null;
    try (DpnModel dpn = modelFile == null ? null : DpnModel.load(modelFile)) {
      if (dpn != null) {
        window.applyTo(dpn);
      }
      if (!batch) {
        refineOne(dpn, image, probs, outputs.get(image));
        return 0;
      }
      return refineMany(dpn, images, arrays, outputs);
    }
  }

  /** Before any work: no output is an input, and no two images write one file. */
  private void checkOutputs(List<Path> images, List<Path> arrays, Map<Path, Outputs> outputs) {
    OutputGuard guard = new OutputGuard().inputs(images).inputs(arrays).inputs(model.given);
    outputs.forEach((img, o) -> {
      guard.output(o.labels(), outputs.size() == 1 ? "--out" : img);
      guard.output(o.probabilities(), outputs.size() == 1 ? "--probs-out" : img);
      guard.output(o.overlay(), outputs.size() == 1 ? "--overlay" : img);
    });
    guard.check();
  }

  /** The model's path (dpn), as announced on standard error. */
  private Path modelFile;

  /** The outputs of one image; null: not written. */
  private record Outputs(Path labels, Path probabilities, Path overlay) {}

  /** Folders or globs: every image with the probability file of its name, one model for all. */
  private int refineMany(DpnModel dpn, List<Path> images, List<Path> files, Map<Path, Outputs> outputs)
      throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, List<Path>> arrays = new LinkedHashMap<>();
    files.forEach(p -> arrays.computeIfAbsent(FileNames.stem(p), k -> new ArrayList<>()).add(p));
    int code = ImageBatch.run("refine", images, err, img -> {
      List<Path> match = arrays.remove(FileNames.stem(img));
      if (match == null || match.size() != 1) {
        throw new IOException(img + ": " + (match == null ? "no probability file of its name (" + FileNames.stem(img)
            + ".npy or .npz) in " + probs : "two probability files of its name: " + match));
      }
      refineOne(dpn, img, match.get(0), outputs.get(img));
    });
    arrays.values().forEach(unmatched -> err.println("dpn refine: " + unmatched.get(0) + ": no image of its name in " + image));
    return arrays.isEmpty() ? code : ExitCodes.BAD_INPUT;
  }

  /** Refines one image's probabilities with the model's head (dpn) or the dense CRF and writes the outputs. */
  private void refineOne(DpnModel dpn, Path img, Path probFile, Outputs outputs) throws IOException {
    Maps rgb = Images.toRgb(Images.read(img));
    Maps p = ProbabilityFile.read(probFile, key, img, rgb.h, rgb.w, logits);
    if (dpn == null) {
      refineAndWrite(img, rgb, p, () -> denseCrf(p, rgb), LabelMaps.vocPalette(p.c), outputs);
      return;
    }
    int labels = dpn.config().numLabels();
    if (p.c != labels) {
      throw new IllegalArgumentException(
          probFile + " holds " + p.c + " labels but the model " + modelFile + " has " + labels);
    }
    refineAndWrite(img, rgb, p, () -> dpn.head().refine(p, rgb), dpn.config().labels().colours(), outputs);
  }

  /** Times the refinement alone (no file reading, writing or model loading), then writes the outputs. */
  private void refineAndWrite(Path img, Maps rgb, Maps p, Supplier<Maps> refinement, int[] palette, Outputs o)
      throws IOException {
    long t0 = System.nanoTime();
    Maps q = refinement.get();
    double ms = (System.nanoTime() - t0) / 1e6;
    int[] labels = LabelMaps.argmax(q);
    write(o.labels(), () -> LabelMaps.writePng(LabelMaps.indexed(labels, rgb.h, rgb.w, palette), o.labels()));
    write(o.probabilities(), () -> Npy.writeFloat32(o.probabilities(), q.data, q.c, q.h, q.w));
    write(o.overlay(), () -> LabelMaps.writePng(
        LabelMaps.overlay(rgb, labels, palette, Segmentation.OVERLAY_ALPHA), o.overlay()));
    spec.commandLine().getOut().printf(
        Locale.ROOT, "%s  %dx%d  %d labels  %s  %.0f ms%n", img.getFileName(), rgb.w, rgb.h, p.c, describe(), ms);
    spec.commandLine().getOut().flush();
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
    return iterations == null ? DenseCrfSettings.DEFAULT.iterations() : iterations;
  }

  /** The dense CRF as pydensecrf users run it, with the settings {@code dpn serve} uses too. */
  private Maps denseCrf(Maps p, Maps rgb) {
    return new DenseCrfSettings(gaussSxy, gaussCompat, bilateralSxy, bilateralSrgb, bilateralCompat, crfIterations())
        .refine(p, rgb);
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
