package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.dpn4j.demo.ColourClusterUnary;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.util.FileNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code dpn demo}: the DPN head at work on street frames. Until the trained CamVid model ships, the
 * unary is a coarse stand-in (colour clusters at output stride 8, upsampled x8 like b11's output); the
 * head, at its initial values, refines it along the image's colours.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Runs the DPN head on street frames (the main job of the README).",
    description = {
      "Runs the DPN head (b12-b15) on street frames and writes label maps and overlays into --out.",
      "The unary is a coarse stand-in (colour clusters at stride 8) until a trained model ships."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ThreadsOption threads;

  @Option(names = "--frames", paramLabel = "DIR", description = "Folder of frames (default: the bundled demo/traffic).")
  Path frames;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "dpn-demo", description = "Output folder (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--clusters", defaultValue = "6", description = "Labels of the stand-in unary (default ${DEFAULT-VALUE}).")
  int clusters;

  // Hand-set for the stand-in unary (a trained model learns its own): strong enough for the colour
  // term to move boundaries, no position term so that labels filling the window are not penalised.
  @Option(names = "--w-rgb", defaultValue = "30", description = "b12's colour weight w_rgb (default ${DEFAULT-VALUE}).")
  float wRgb;

  @Option(names = "--w-xy", defaultValue = "0", description = "b12's position weight w_xy (default ${DEFAULT-VALUE}).")
  float wXy;

  @Override
  public Integer call() throws IOException {
    threads.apply();
    Path dir = frames != null ? frames : bundledFrames();
    List<Path> files = imagesIn(dir);
    if (files.isEmpty()) {
      throw new IOException(dir + ": no images (png, jpg, bmp) in this folder");
    }
    spec.commandLine().getOut().println(
        "dpn4j demo: the DPN head refines a coarse unary (colour clusters at stride 8, x8 bilinear)\n"
            + "on " + files.size() + " frame(s) from " + dir + "; the trained CamVid model is not the demo's default yet.");
    ColourClusterUnary unary = new ColourClusterUnary(clusters, 0.12f);
    DpnHead head = DpnHead.initial(clusters);
    head.b12().wRgb()[0] = wRgb;
    head.b12().wXy()[0] = wXy;
    int[] palette = LabelMaps.vocPalette(clusters + 1);
    System.arraycopy(palette, 1, palette, 0, clusters); // skip VOC's black background colour
    int code =
        ImageBatch.run(
            "demo", files, spec.commandLine().getErr(), f -> runFrame(f, unary, head, palette));
    spec.commandLine().getOut().println("Look at " + out.toAbsolutePath() + ": NAME_unary.png, NAME_dpn.png, NAME_overlay.png"
        + " (the first frame's time includes the JIT's warm-up)");
    return code;
  }

  private void runFrame(Path f, ColourClusterUnary unary, DpnHead head, int[] palette) throws IOException {
    Maps rgb = Images.readRgb(f);
    long t0 = System.nanoTime();
    Maps p = unary.probabilities(rgb);
    long t1 = System.nanoTime();
    Maps refined = head.refine(p, rgb);
    long t2 = System.nanoTime();
    int[] before = LabelMaps.argmax(p);
    int[] after = LabelMaps.argmax(refined);
    int changed = 0;
    for (int i = 0; i < before.length; i++) {
      changed += before[i] != after[i] ? 1 : 0;
    }
    String name = FileNames.stem(f);
    LabelMaps.writePng(LabelMaps.indexed(before, rgb.h, rgb.w, palette), out.resolve(name + "_unary.png"));
    LabelMaps.writePng(LabelMaps.indexed(after, rgb.h, rgb.w, palette), out.resolve(name + "_dpn.png"));
    LabelMaps.writePng(LabelMaps.overlay(rgb, after, palette, 0.5f), out.resolve(name + "_overlay.png"));
    spec.commandLine().getOut().printf(
        "%s  %dx%d  unary %.0f ms, DPN head (window %s) %.0f ms, %.1f%% of pixels relabelled%n",
        f.getFileName(), rgb.w, rgb.h, (t1 - t0) / 1e6, head.b12().windowFor(rgb.h, rgb.w), (t2 - t1) / 1e6,
        100.0 * changed / before.length);
  }

  private static Path bundledFrames() throws IOException {
    // target/dpn4j.jar or target/classes: the repository is two levels up.
    String jar = DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    Path beside = Path.of(jar).toAbsolutePath().getParent().getParent().resolve("demo/traffic");
    if (Files.isDirectory(beside)) {
      return beside;
    }
    throw new IOException("the bundled frames (demo/traffic) are not found; pass a folder with --frames");
  }

  private static List<Path> imagesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a folder");
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().toLowerCase().matches(".*\\.(png|jpe?g|bmp|gif)"))
          .sorted()
          .toList();
    }
  }
}
