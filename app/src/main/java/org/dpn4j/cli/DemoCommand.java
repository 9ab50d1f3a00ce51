package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.dpn4j.value.Maps;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.OutputGuard;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.Segmentation;
import org.dpn4j.util.FileNames;
import org.dpn4j.util.Installation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dpn demo}, the README's main command: the default model (the CamVid DPN that ships in
 * {@code models/}) segments the bundled street frames, or a folder given with {@code --frames}, with
 * the unary alone and with the whole DPN, so that what the head changes can be seen side by side.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Segments street frames with the shipped CamVid DPN (the main job of the README).",
    description = {
      "Segments street frames (default: the bundled demo/traffic) with the default model (the CamVid "
          + "DPN in models/, or --model M) and writes into --out, for each frame NAME: NAME_unary.png (the "
          + "unary alone, b1-b11), NAME_dpn.png (with the DPN head, b12-b15) and NAME_overlay.png (the DPN's "
          + "labels over the photo); legend.png names the colours."
    })
public final class DemoCommand extends ComputeCommand {

  @Option(names = "--frames", paramLabel = "DIR", description = "Folder of frames (default: the bundled demo/traffic).")
  Path frames;

  @Mixin ModelOption modelOption;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "dpn-demo", description = "Output folder (default ${DEFAULT-VALUE}).")
  Path out;

  @Override
  protected Integer compute() throws IOException {
    Path dir = frames != null ? frames : Installation.file("demo/traffic")
        .orElseThrow(() -> new IOException("the bundled frames (demo/traffic) are not found; pass a folder with --frames"));
    List<Path> files = imagesIn(dir);
    if (files.isEmpty()) {
      throw new IOException(dir + ": no images (png, jpg, bmp) in this folder");
    }
    Path model = modelOption.path();
    checkOutputs(files, model);
    PrintWriter o = spec.commandLine().getOut();
    try (DpnModel m = DpnModel.load(model)) {
      o.printf("dpn4j demo: %s (%s unary, %d labels, head trained: %s) on %d frame(s) from %s%n", model,
          m.config().architecture(), m.config().numLabels(), m.config().trained(), files.size(), dir);
      AtomicFiles.createFolder(out);
      LabelMaps.writePng(LabelMaps.legend(m.config().labels().names(), m.config().labels().colours()), out.resolve("legend.png"));
      int code = ImageBatch.run("demo", files, spec.commandLine().getErr(), f -> runFrame(f, m));
      o.println("Look at " + out.toAbsolutePath() + ": NAME_unary.png, NAME_dpn.png, NAME_overlay.png, legend.png"
          + " (the first frame's time includes the JIT's warm-up)");
      return code;
    }
  }

  /** Before any work: no output is a frame or inside the model, and no two frames share a NAME. */
  private void checkOutputs(List<Path> files, Path model) {
    OutputGuard guard = new OutputGuard().inputs(files).input(model);
    guard.output(out.resolve("legend.png"));
    for (Path f : files) {
      for (String suffix : new String[] {"_unary.png", "_dpn.png", "_overlay.png"}) {
        guard.output(out.resolve(FileNames.stem(f) + suffix), f);
      }
    }
    guard.check();
  }

  private void runFrame(Path f, DpnModel m) throws IOException {
    Maps rgb = Images.readRgb(f);
    Maps work = m.unaryInput(rgb);
    long t0 = System.nanoTime();
    Maps p = m.unaryProbabilities(work);
    long t1 = System.nanoTime();
    Maps refined = m.head().refine(p, work);
    long t2 = System.nanoTime();
    Segmentation unary = m.atImageSize(rgb, work, p);
    Segmentation dpn = m.atImageSize(rgb, work, refined);
    String name = FileNames.stem(f);
    LabelMaps.writePng(unary.labelImage(), out.resolve(name + "_unary.png"));
    LabelMaps.writePng(dpn.labelImage(), out.resolve(name + "_dpn.png"));
    LabelMaps.writePng(dpn.overlay(), out.resolve(name + "_overlay.png"));
    int changed = 0;
    for (int i = 0; i < unary.labels().length; i++) {
      changed += unary.labels()[i] != dpn.labels()[i] ? 1 : 0;
    }
    spec.commandLine().getOut().printf(Locale.ROOT,
        "%s  %dx%d  unary %.0f ms, DPN head %.0f ms, %.1f%% of pixels relabelled by the head%n",
        f.getFileName(), rgb.w, rgb.h, (t1 - t0) / 1e6, (t2 - t1) / 1e6, 100.0 * changed / unary.labels().length);
  }

  private static List<Path> imagesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a folder");
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|bmp|gif)"))
          .sorted()
          .toList();
    }
  }
}
