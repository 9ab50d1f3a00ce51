package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.model.DpnModel;
import org.dpn4j.serve.DpnServer;
import org.dpn4j.serve.LoadTest;
import org.dpn4j.serve.ServeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dpn bench serve}: a load test of {@code dpn serve} on loopback, in one JVM: the server,
 * then concurrent clients; every 200 is compared with what {@code dpn segment} writes for the frame.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Load test of dpn serve on 127.0.0.1: starts the server, sends --requests POST"
          + " /v1/segment from --clients concurrent clients (frames of --frames, cycled), checks each"
          + " 200 against the label PNG dpn segment writes, and that 429s come only beyond the workers"
          + " and the queue. Prints p50/p95 latency, throughput, peak memory, and dpn segment's"
          + " in-process time per frame. Exit 1 if a check fails."
    })
public final class BenchServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOption model;

  @Option(names = "--frames", paramLabel = "DIR", description = "Folder of frames (default ${DEFAULT-VALUE}).")
  Path frames = Path.of("../shared/data/camvid/val");

  @Option(names = "--images", paramLabel = "N", description = "Distinct frames, sent in turn (default ${DEFAULT-VALUE}).")
  int images = 8;

  @Option(names = "--requests", paramLabel = "N", description = "Requests in all (default ${DEFAULT-VALUE}).")
  int requests = 200;

  @Option(names = "--clients", paramLabel = "N", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
  int clients = 16;

  @Option(names = "--workers", paramLabel = "N", description = "Server workers (default: one per two cores, here ${DEFAULT-VALUE}).")
  int workers = ServeSettings.defaultWorkers(Runtime.getRuntime().availableProcessors());

  @Option(names = "--queue", paramLabel = "N", description = "Server queue (default ${DEFAULT-VALUE}).")
  int queue = ServeSettings.DEFAULT_QUEUE;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path modelPath = model.path();
    List<Path> files = LoadTest.frames(frames, images);
    List<byte[]> bodies = new ArrayList<>();
    for (Path f : files) {
      bodies.add(Files.readAllBytes(f));
    }
    int cores = Runtime.getRuntime().availableProcessors();
    ServeSettings settings = new ServeSettings(List.of(modelPath), ServeSettings.DEFAULT_HOST, 0, workers, queue,
        ServeSettings.threadsPerWorker(cores, workers), ServeSettings.DEFAULT_MAX_REQUEST_BYTES);
    try (DpnServer server = DpnServer.start(settings, System.err)) {
      List<byte[]> expected = new ArrayList<>();
      double segmentMs = expectedLabels(modelPath, files, expected);
      out.printf(Locale.ROOT, "%s%nframes: %d of %s; requests %d from %d clients%n", server.describe(), files.size(),
          frames, requests, clients);
      out.printf(Locale.ROOT, "dpn segment in-process (model loaded, same threads as one worker): median %.0f ms per frame%n", segmentMs);
      out.flush();
      LoadTest.Result r = LoadTest.run(server.url(), "", bodies, expected, requests, clients, workers + queue);
      out.println(r.describe());
      return r.passed() ? 0 : 1;
    }
  }

  /** The label PNG {@code dpn segment} writes for each frame, into {@code expected}; returns its median time per frame, ms. */
  private static double expectedLabels(Path model, List<Path> files, List<byte[]> expected) throws IOException {
    List<Double> ms = new ArrayList<>();
    try (DpnModel m = DpnModel.load(model)) {
      for (Path f : files) {
        java.awt.image.BufferedImage img = Images.read(f);
        long t0 = System.nanoTime();
        byte[] png = LabelMaps.pngBytes(m.segment(img, true).labelImage());
        ms.add((System.nanoTime() - t0) / 1e6);
        expected.add(png);
      }
    }
    // The first frame pays the engine's and the JIT's warm-up: left out when there are others.
    double[] t = ms.subList(Math.min(1, ms.size() - 1), ms.size()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  }
}
