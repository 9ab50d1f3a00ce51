package org.dpn4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dpn4j.io.AnimatedGif;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.OutputGuard;
import org.dpn4j.util.FileNames;
import org.dpn4j.model.DpnModel;
import org.dpn4j.video.CamVidSequences;
import org.dpn4j.video.FileSequence;
import org.dpn4j.video.FlowMethod;
import org.dpn4j.video.FrameSequence;
import org.dpn4j.video.TemporalConsistency;
import org.dpn4j.video.VideoFileSequence;
import org.dpn4j.model.VideoSegmenter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dpn segment-video}: label maps of a frame sequence with the spatio-temporal DPN head. */
@Command(
    name = "segment-video",
    mixinStandardHelpOptions = true,
    header = "Segments video frames with the spatio-temporal head: labels, overlays, a GIF.",
    description = {
      "Segments a sequence with the spatio-temporal DPN: frame t with its neighbours t-1 and t+1, linked"
          + " by optical flow (docs/DESIGN.md, \"Spatio-temporal DPN\"). Writes NAME.png (label indices,"
          + " palette PNG) and NAME_overlay.png per frame, and sequence.gif (the overlays, animated).",
      "The 3D head is the model's trained one (head.temporal, written by dpn train-video; the shipped"
          + " model has one). A model without one gets a 3D head built from its 2D head (the 2D b13 on"
          + " frame t, zero kernels on t-1 and t+1), whose labels equal --no-temporal's.",
      "Prints, per frame, its size (W x H) and the time of the unary, of the flows (both ways, to the"
          + " next frame) and of the head, without reading and writing files; at the end the median"
          + " time per frame and the temporal consistency: the fraction of linked pixels whose label"
          + " changes between consecutive frames along the flow.",
      "--video: " + VideoFileSequence.FORMATS + ". For MP4 and other formats extract the frames to a"
          + " folder and use --frames."
    })
public final class SegmentVideoCommand extends ComputeCommand {

  static final class Source {
    @Option(names = "--frames", paramLabel = "DIR", description = "A folder of frames (PNG, JPEG, BMP, GIF), in name order: one sequence.")
    Path frames;

    @Option(names = "--video", paramLabel = "FILE", description = "A video file (Motion-JPEG AVI only).")
    Path video;

    @Option(names = "--camvid", paramLabel = "LIST|DIR",
        description = "CamVid frames (a split list such as camvid/val.txt, or a folder): grouped into sequences by name prefix, ordered by frame number.")
    Path camvid;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Mixin ModelOption modelOption;

  @Mixin OutFolderOption outFolder;

  @Option(names = "--flow", paramLabel = "METHOD", defaultValue = "dis-fast",
      description = "Optical flow: dis-ultrafast, dis-fast, dis-medium or farneback (default: ${DEFAULT-VALUE}).")
  String flowName;

  @Option(names = "--no-temporal", description = "The 2D head on each frame alone (for comparison); flows are still computed for the consistency.")
  boolean noTemporal;

  @Option(names = "--gif-delay", paramLabel = "MS", defaultValue = "200", description = "Time per frame in sequence.gif (default: ${DEFAULT-VALUE} ms).")
  int gifDelay;

  @Option(names = "--skip-bad-frames",
      description = "--video: skip frames that cannot be decoded (corrupt data) and exit 0; without it they are skipped, reported, and the exit code is 2.")
  boolean skipBadFrames;

  @Override
  protected Integer compute() throws IOException {
    checkOutputs();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int skipped = 0;
    try (DpnModel model = modelOption.load()) {
      FlowMethod flow = FlowMethod.parse(flowName);
      List<FrameSequence> sequences = sequences();
      outFolder.create();
      VideoSegmenter segmenter = new VideoSegmenter(model, flow, !noTemporal);
      List<Double> millis = new ArrayList<>();
      try (AnimatedGif gif = new AnimatedGif(outFolder.resolve("sequence.gif"), gifDelay)) {
        for (FrameSequence seq : sequences) {
          try (seq) {
            segmenter.run(seq, r -> {
              LabelMaps.writePng(r.segmentation().labelImage(), outFolder.resolve(r.frame().name() + ".png"));
              BufferedImage overlay = r.segmentation().overlay();
              LabelMaps.writePng(overlay, outFolder.resolve(r.frame().name() + "_overlay.png"));
              gif.add(overlay);
              millis.add(r.millis());
              out.printf(Locale.ROOT, "%s  %dx%d  unary %.0f ms, flows %.0f ms, head %.0f ms%n", r.frame().name(),
                  r.segmentation().width(), r.segmentation().height(), r.unaryMillis(), r.flowMillis(),
                  r.headMillis());
              out.flush();
            });
            skipped += reportSkipped(seq, err);
          }
        }
        gif.finish();
      }
      summary(out, flow, millis, segmenter.consistency());
      return skipped > 0 && !skipBadFrames ? 2 : 0;
    }
  }

  /** Says which frames of a video could not be decoded; returns how many. */
  private int reportSkipped(FrameSequence seq, PrintWriter err) {
    if (!(seq instanceof VideoFileSequence v) || v.skipped().isEmpty()) {
      return 0;
    }
    err.println("dpn segment-video: " + source.video + ": skipped " + v.skipped().size()
        + " frame(s) that could not be decoded (corrupt data): frame " + v.skipped().stream().map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(", "))
        + (skipBadFrames ? "" : "; exit code 2 (--skip-bad-frames accepts this)"));
    err.flush();
    return v.skipped().size();
  }

  /** Before any work: no output is an input frame or inside the model, and no two frames share a NAME. */
  private void checkOutputs() throws IOException {
    OutputGuard guard = new OutputGuard().inputs(modelOption.given).input(source.video);
    guard.output(outFolder.resolve("sequence.gif"));
    List<Path> frames = new ArrayList<>();
    if (source.frames != null) {
      frames.addAll(FileSequence.folder(source.frames).files());
    } else if (source.camvid != null) {
      CamVidSequences.from(source.camvid).forEach(s -> frames.addAll(s.frames()));
    }
    guard.inputs(frames);
    for (Path f : frames) {
      guard.output(outFolder.resolve(FileNames.stem(f) + ".png"), f);
      guard.output(outFolder.resolve(FileNames.stem(f) + "_overlay.png"), f);
    }
    guard.check();
  }

  private List<FrameSequence> sequences() throws IOException {
    if (source.video != null) {
      return List.of(VideoFileSequence.open(source.video));
    }
    if (source.frames != null) {
      return List.of(FileSequence.folder(source.frames));
    }
    List<FrameSequence> out = new ArrayList<>();
    CamVidSequences.from(source.camvid).forEach(s -> out.add(s.open()));
    return out;
  }

  private void summary(PrintWriter out, FlowMethod flow, List<Double> millis, TemporalConsistency tc) {
    double median = millis.stream().sorted().skip((millis.size() - 1) / 2).findFirst().orElse(Double.NaN);
    out.printf(Locale.ROOT, "%d frames, %s head, flow %s: median %.0f ms per frame%n", millis.size(),
        noTemporal ? "2D" : "3D", flow.cliName(), median);
    if (tc.linked() == 0) {
      out.println("temporal consistency: no linked pixels (a single frame, or no link passed the check)");
    } else {
      out.printf(Locale.ROOT, "temporal consistency: %.2f%% of %d linked pixels change label between consecutive frames%n",
          100 * tc.changedFraction(), tc.linked());
    }
    out.flush();
  }
}
