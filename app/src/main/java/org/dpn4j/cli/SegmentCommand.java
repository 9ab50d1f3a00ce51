package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpn4j.value.Maps;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.Images;
import org.dpn4j.io.OutputGuard;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.Segmentation;
import org.dpn4j.model.SegmentationFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dpn segment}: label maps of images with a model. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    header = "Segments images with a model: label PNGs, overlays, probabilities.",
    description = {
      "Segments images with a model: for each IMAGE writes NAME.png (label indices, 8-bit, the model's"
          + " colours as palette), NAME_overlay.png and with --save-probs NAME.npy (float32, L x H x W), all"
          + " at the image's size. Unreadable images are reported and skipped (exit code 2 at the end). An output that is an input, or"
          + " two images with one NAME, are refused before any work.",
      "Prints, per image, its size (W x H) and the time of the unary and of the head (b12-b15), without"
          + " reading and writing files; with several images a progress line on stderr."
    })
public final class SegmentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ThreadsOption threads;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images (PNG, JPEG, BMP, GIF), any size.")
  List<Path> images;

  @Mixin ModelOption model;

  @Mixin WindowOption window;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
  Path outDir;

  @Option(names = "--no-head", description = "The unary's probabilities only (b11's softmax), without b12-b15.")
  boolean noHead;

  @Option(names = "--save-probs", description = "Also write NAME.npy, the probabilities (float32, L x H x W).")
  boolean saveProbs;

  @Override
  public Integer call() throws IOException {
    threads.apply();
    checkOutputs();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (DpnModel dpn = model.load()) {
      window.applyTo(dpn);
      AtomicFiles.createFolder(outDir);
      return ImageBatch.run("segment", images, err, image -> segmentOne(dpn, image, out));
    }
  }

  /** Before any work: no output is an input, and no two images write the same NAME.png. */
  private void checkOutputs() {
    OutputGuard guard = new OutputGuard().inputs(images).inputs(model.given);
    for (Path image : images) {
      String name = SegmentationFiles.name(image);
      guard.output(outDir.resolve(name + ".png"), image);
      guard.output(outDir.resolve(name + "_overlay.png"), image);
      if (saveProbs) {
        guard.output(outDir.resolve(name + ".npy"), image);
      }
    }
    guard.check();
  }

  private void segmentOne(DpnModel model, Path image, PrintWriter out) throws IOException {
    String name = SegmentationFiles.name(image);
    Maps rgb = Images.toRgb(Images.read(image));
    long t0 = System.nanoTime();
    Maps work = model.unaryInput(rgb);
    Maps unary = model.unaryProbabilities(work);
    long t1 = System.nanoTime();
    Maps refined = noHead ? unary : model.head().refine(unary, work);
    long t2 = System.nanoTime();
    Segmentation s = model.atImageSize(rgb, work, refined);
    SegmentationFiles.write(s, outDir, name, true,
        saveProbs ? SegmentationFiles.Probabilities.FLOAT32 : SegmentationFiles.Probabilities.NONE);
    out.printf(Locale.ROOT, "%s  %dx%d  unary %.0f ms, %s%n", image.getFileName(), s.width(), s.height(),
        (t1 - t0) / 1e6, noHead ? "no head" : String.format(Locale.ROOT, "head %.0f ms", (t2 - t1) / 1e6));
    out.flush();
  }
}
