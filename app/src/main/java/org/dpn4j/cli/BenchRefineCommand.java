package org.dpn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.dpn4j.bench.Stopwatch;
import org.dpn4j.crf.DenseCrf;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.HeadSpec;
import org.dpn4j.value.Maps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dpn bench refine}: the dense CRF (1, 5, 10 mean-field iterations, the usual kernels) against
 * one DPN head step, on the same photo and probabilities, in the same run.
 */
@Command(
    name = "refine",
    mixinStandardHelpOptions = true,
    description = {
      "Times the dense CRF (Potts, gaussian sxy 3 compat 3 + bilateral sxy 80 srgb 13 compat 10; 1, 5 "
          + "and 10 iterations, set-up included) and the DPN head (window " + HeadSpec.DEFAULT_WINDOW + " or --window, 9x9x5) on a photo with smooth "
          + "random probabilities, in the same run. Medians; peak memory."
    })
public final class BenchRefineCommand extends ComputeCommand {

  @Mixin BenchInputOptions input;

  @Mixin WindowOption window;

  @Option(names = "--runs", defaultValue = "7", description = "Timed runs of each case (default ${DEFAULT-VALUE}).")
  int runs;

  @Override
  protected Integer compute() throws Exception {
    int n = threadCount();
    int labels = input.labels;
    Maps img = input.photo();
    Maps p = input.probabilities();
    ObjectNode r = new ObjectMapper().createObjectNode();
    r.put("size", input.size).put("labels", labels);
    // The head first: on Java 17, Vector API kernels compiled after other vector code in the same JVM
    // can run several times slower (org.dpn4j.util.Vectors); the dense CRF measured the same either way.
    DpnHead head = DpnHead.initial(HeadSpec.DEFAULT.withWindow(window.or(HeadSpec.DEFAULT.window())), labels, false);
    head.b13().addComponentNoise(1);
    r.put("dpn_head_ms", Stopwatch.round2(Stopwatch.medianMs(3, runs, () -> head.refine(p, img))));
    for (int iterations : new int[] {1, 5, 10}) {
      double ms = Stopwatch.medianMs(1, runs, () -> denseCrf(p, img, iterations));
      r.put("densecrf_" + iterations + "_ms", Stopwatch.round2(ms));
    }
    r.put("threads", n).put("runs", runs).put("peak_rss_mib", Stopwatch.round2(Stopwatch.peakRssMiB()));
    spec.commandLine().getOut().println(input.json ? r.toString() : text(r));
    return 0;
  }

  /** The whole dense-CRF job as users run it: unary, both lattices, then the iterations. */
  private static Maps denseCrf(Maps p, Maps img, int iterations) {
    DenseCrf crf = new DenseCrf(p.w, p.h, p.c);
    crf.setUnaryFromProbabilities(p);
    crf.addPairwiseGaussian(3, 3);
    crf.addPairwiseBilateral(80, 13, img, 10);
    return crf.inference(iterations);
  }

  private static String text(ObjectNode r) {
    return String.format(
        Locale.ROOT,
        "Refinement at %s, L=%d, %d threads (medians of %d runs, set-up included)%n"
            + "  dense CRF  1 iteration   %8.1f ms%n"
            + "  dense CRF  5 iterations  %8.1f ms%n"
            + "  dense CRF 10 iterations  %8.1f ms%n"
            + "  DPN head (one step)      %8.1f ms%n"
            + "  peak memory              %8.0f MiB (resident)",
        r.get("size").asText(), r.get("labels").asInt(), r.get("threads").asInt(), r.get("runs").asInt(),
        r.get("densecrf_1_ms").asDouble(), r.get("densecrf_5_ms").asDouble(), r.get("densecrf_10_ms").asDouble(),
        r.get("dpn_head_ms").asDouble(), r.get("peak_rss_mib").asDouble());
  }
}
