package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.OutputGuard;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.Segmentation;
import org.dpn4j.data.LabelSet;
import org.dpn4j.eval.Ensemble;
import org.dpn4j.model.SegmentationFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dpn segment}: label maps of images with a model. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    header = "Segments images with a model: label PNGs, overlays, probabilities.",
    description = {
      "Segments images with a model: for each IMAGE writes NAME.png (label indices, 8-bit, the model's"
          + " colours as palette), NAME_overlay.png and with --save-probs NAME.npy (float32, L x H x W), all"
          + " at the image's size, and legend.png (the model's colours and class names). IMAGE may be a folder"
          + " (its png, jpg, bmp and gif files) or a quoted glob ('photos/*.jpg'): all run in one JVM."
          + " Unreadable images are reported and skipped (exit code 2 at the end). An output that is an input,"
          + " or two images with one NAME, are refused before any work. With --scales or --flip the unary's"
          + " probabilities of the scaled and mirrored image are averaged before the head refines them, as in"
          + " dpn eval (docs/EVAL.md): more accurate, one unary pass more per scale and mirror.",
      "Prints the model's classes and, per image, its size (W x H) and the time of the unary and of the"
          + " head (b12-b15), without reading and writing files; with several images a progress line on stderr.",
      "",
      "A model knows only the classes it was trained on: every pixel gets one of them.",
      "  models/camvid (the default): 11 CamVid street classes seen from a car: Sky, Building, Pole, Road,"
          + " Pavement, Tree, SignSymbol, Fence, Car, Pedestrian, Bicyclist. For road and street scenes; a cat"
          + " or a room comes out as street classes.",
      "  models/voc: PASCAL VOC's background and 20 objects: aeroplane, bicycle, bird, boat, bottle, bus, car,"
          + " cat, chair, cow, diningtable, dog, horse, motorbike, person, pottedplant, sheep, sofa, train,"
          + " tvmonitor. For everyday photos of people, animals, vehicles and furniture; everything else is"
          + " background. See models/*/MODEL_CARD.md."
    })
public final class SegmentCommand extends ComputeCommand {

  /** The colour key written beside the outputs. */
  static final String LEGEND = "legend.png";

  @Parameters(arity = "1..*", paramLabel = "IMAGE",
      description = "Images (PNG, JPEG, BMP, GIF), any size; folders or quoted globs of them.")
  List<Path> images;

  @Mixin ModelOption model;

  @Mixin WindowOption window;

  @Mixin LongSideOption longSide;

  @Mixin OutFolderOption outFolder;

  @Mixin TestTimeOptions testTime;

  @Option(names = "--no-head", description = "The unary's probabilities only (b11's softmax), without b12-b15.")
  boolean noHead;

  @Option(names = "--save-probs", description = "Also write NAME.npy, the probabilities (float32, L x H x W).")
  boolean saveProbs;

  @Override
  protected Integer compute() throws IOException {
    List<Path> files = InputFiles.expand(images, InputFiles.IMAGES);
    checkOutputs(files);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (DpnModel dpn = model.load()) {
      window.applyTo(dpn);
      longSide.applyTo(dpn);
      Ensemble passes = testTime.ensemble(dpn);
      LabelSet labels = dpn.config().labels();
      err.println("classes (" + labels.size() + "): " + String.join(", ", labels.names()));
      err.flush();
      outFolder.create();
      LabelMaps.writePng(LabelMaps.legend(labels.names(), labels.colours()), outFolder.resolve(LEGEND));
      return ImageBatch.run("segment", files, err, image -> segmentOne(dpn, passes, image, out));
    }
  }

  /** The files one image's outputs take, by its output name. */
  private List<String> outputsOf(String name) {
    return saveProbs ? List.of(name + ".png", name + "_overlay.png", name + ".npy")
        : List.of(name + ".png", name + "_overlay.png");
  }

  /** Before any work: no output is an input, and no two images (or an image and the legend) write one file. */
  private void checkOutputs(List<Path> files) {
    OutputGuard guard = new OutputGuard().inputs(files).inputs(model.given);
    guard.output(outFolder.resolve(LEGEND));
    for (Path image : files) {
      outputsOf(SegmentationFiles.name(image)).forEach(f -> guard.output(outFolder.resolve(f), image));
    }
    guard.check();
  }

  /** One image: the unary's probabilities averaged over {@code passes} (one pass by default), then the head. */
  private void segmentOne(DpnModel model, Ensemble passes, Path image, PrintWriter out) throws IOException {
    String name = SegmentationFiles.name(image);
    Maps rgb = Images.toRgb(Images.read(image));
    long t0 = System.nanoTime();
    Ensemble.Average unary = passes.average(rgb);
    long t1 = System.nanoTime();
    Maps refined = noHead ? unary.unary() : model.head().refine(unary.unary(), unary.work());
    long t2 = System.nanoTime();
    Segmentation s = model.atImageSize(rgb, unary.work(), refined);
    SegmentationFiles.write(s, outFolder.dir, name, true,
        saveProbs ? SegmentationFiles.Probabilities.FLOAT32 : SegmentationFiles.Probabilities.NONE);
    out.printf(Locale.ROOT, "%s  %dx%d  unary %.0f ms, %s%n", image.getFileName(), s.width(), s.height(),
        (t1 - t0) / 1e6, noHead ? "no head" : String.format(Locale.ROOT, "head %.0f ms", (t2 - t1) / 1e6));
    out.flush();
  }
}
