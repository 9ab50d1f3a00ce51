package org.dpn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.dpn4j.bench.Stopwatch;
import org.dpn4j.value.Maps;
import org.dpn4j.io.FloFile;
import org.dpn4j.io.Ppm;
import org.dpn4j.value.Flow;
import org.dpn4j.video.FlowMethod;
import org.dpn4j.video.NodeLinks;
import org.dpn4j.video.OpenCv;
import org.opencv.core.Core;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpn bench flow}: OpenCV's optical-flow methods on FlyingChairs pairs: mean end-point error
 * against the ground truth, median time per frame pair, and the fraction of nodes whose link the
 * forward-backward check drops (the spatio-temporal DPN's dynamic node linking).
 */
@Command(
    name = "flow",
    mixinStandardHelpOptions = true,
    description = {
      "Optical flow img1 -> img2 on FlyingChairs pairs (NNNNN_img1.ppm, NNNNN_img2.ppm, NNNNN_flow.flo)"
          + " with DIS (ultrafast, fast, medium presets) and Farneback: mean end-point error (px), median "
          + "time per pair (after a warm-up run), the fraction of pixels the forward-backward check marks "
          + "occluded, and the EPE over the pixels it keeps linked. A zero flow's EPE is printed for "
          + "reference."
    })
public final class BenchFlowCommand extends ComputeCommand {

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "../shared/data/flow/flyingchairs",
      description = "Folder of FlyingChairs pairs (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--methods", split = ",", defaultValue = "dis-ultrafast,dis-fast,dis-medium,farneback",
      description = "Methods, comma-separated (default ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs per pair and method (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  /** One FlyingChairs pair with its ground truth. */
  private record Pair(String name, Maps img1, Maps img2, Flow truth) {}

  @Override
  protected Integer compute() throws Exception {
    int n = threadCount();
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
    }
    List<FlowMethod> chosen = methods.stream().map(FlowMethod::parse).toList();
    List<Pair> pairs = readPairs(data);
    OpenCv.load();
    Core.setNumThreads(n);
    ObjectNode r = new ObjectMapper().createObjectNode();
    r.put("opencv", Core.VERSION).put("pairs", pairs.size()).put("size", pairs.get(0).img1.h + "x" + pairs.get(0).img1.w);
    double zero = pairs.stream().mapToDouble(p -> p.truth.meanEndPointError(Flow.zeros(p.truth.h(), p.truth.w()))).average().orElseThrow();
    r.put("zero_flow_epe_px", Stopwatch.round2(zero));
    ArrayNode rows = r.putArray("methods");
    for (FlowMethod m : chosen) {
      rows.add(measure(m, pairs));
    }
    r.put("threads", n).put("runs", runs).put("peak_rss_mib", Stopwatch.round2(Stopwatch.peakRssMiB()));
    spec.commandLine().getOut().println(json ? r.toPrettyString() : text(r));
    spec.commandLine().getOut().flush();
    return 0;
  }

  private ObjectNode measure(FlowMethod m, List<Pair> pairs) throws Exception {
    ObjectNode row = new ObjectMapper().createObjectNode().put("method", m.cliName());
    ObjectNode epes = row.putObject("epe_per_pair");
    double[] ms = new double[pairs.size()];
    double epe = 0;
    double epeLinked = 0;
    double dropped = 0;
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      Flow fts = m.compute(p.img1, p.img2);
      double e = fts.meanEndPointError(p.truth);
      epes.put(p.name, Stopwatch.round2(e));
      epe += e;
      NodeLinks links = NodeLinks.between(fts, m.compute(p.img2, p.img1));
      dropped += links.droppedFraction();
      epeLinked += fts.meanEndPointError(p.truth, links.mask());
      ms[i] = Stopwatch.medianMs(1, runs, () -> m.compute(p.img1, p.img2));
    }
    // Per pair: the median of its runs; over pairs: the median of those.
    Arrays.sort(ms);
    double median = ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    return row.put("mean_epe_px", Stopwatch.round2(epe / pairs.size()))
        .put("mean_epe_linked_px", Stopwatch.round2(epeLinked / pairs.size()))
        .put("median_ms_per_pair", Stopwatch.round2(median))
        .put("occluded_fraction", Math.round(dropped / pairs.size() * 1e4) / 1e4);
  }

  /** Every NNNNN_img1.ppm in {@code dir} with its img2 and .flo; a clear error if none or one is missing. */
  static List<Pair> readPairs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": no such folder of FlyingChairs pairs");
    }
    List<Path> firsts;
    try (Stream<Path> s = Files.list(dir)) {
      firsts = s.filter(f -> f.getFileName().toString().endsWith("_img1.ppm")).sorted().toList();
    }
    if (firsts.isEmpty()) {
      throw new IOException(dir + ": no FlyingChairs pairs (NNNNN_img1.ppm) found");
    }
    List<Pair> pairs = new ArrayList<>();
    for (Path f : firsts) {
      String name = f.getFileName().toString().replace("_img1.ppm", "");
      Maps a = Ppm.readRgb(f);
      Maps b = Ppm.readRgb(dir.resolve(name + "_img2.ppm"));
      Flow truth = FloFile.read(dir.resolve(name + "_flow.flo"));
      a.requireSameSize(b, name + "_img2.ppm");
      if (truth.h() != a.h || truth.w() != a.w) {
        throw new IOException(name + "_flow.flo is " + truth.h() + "x" + truth.w() + " but the images are " + a.h + "x" + a.w);
      }
      if (truth.knownCount() == 0) {
        throw new IOException(dir.resolve(name + "_flow.flo") + ": no known flow value (every one is NaN, infinite or"
            + " Middlebury's unknown marker, 1e9 or more): nothing to score against");
      }
      pairs.add(new Pair(name, a, b, truth));
    }
    return pairs;
  }

  private static String text(ObjectNode r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Optical flow, OpenCV %s, %d FlyingChairs pairs at %s, %d threads (median of %d runs per pair)%n",
        r.get("opencv").asText(), r.get("pairs").asInt(), r.get("size").asText(), r.get("threads").asInt(), r.get("runs").asInt()));
    sb.append(String.format(Locale.ROOT, "  %-14s %9s %14s %12s %9s%n", "method", "EPE (px)", "EPE linked", "ms per pair", "occluded"));
    for (var m : r.get("methods")) {
      sb.append(String.format(Locale.ROOT, "  %-14s %9.2f %14.2f %12.1f %8.1f%%%n", m.get("method").asText(),
          m.get("mean_epe_px").asDouble(), m.get("mean_epe_linked_px").asDouble(), m.get("median_ms_per_pair").asDouble(),
          100 * m.get("occluded_fraction").asDouble()));
    }
    sb.append(String.format(Locale.ROOT, "  %-14s %9.2f   (EPE linked: over the pixels the forward-backward check keeps)%n",
        "zero flow", r.get("zero_flow_epe_px").asDouble()));
    sb.append(String.format(Locale.ROOT, "  peak memory %.0f MiB (resident)", r.get("peak_rss_mib").asDouble()));
    return sb.toString();
  }
}
