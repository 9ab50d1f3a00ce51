package org.dpn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;
import org.dpn4j.bench.Stopwatch;
import org.dpn4j.head.BlockMinPool;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.HeadSpec;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.value.Maps;
import org.dpn4j.head.MeanFieldFusion;
import org.dpn4j.head.TriplePenalty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dpn bench head}: the DPN head b12-b15 on a real photo with smooth random probabilities.
 * Medians of repeated runs; the fast and the reference b12 are timed and compared in the same run.
 */
@Command(
    name = "head",
    mixinStandardHelpOptions = true,
    description = {
      "Times the DPN head (b12-b15) on a photo with smooth random probabilities: fast and reference b12"
          + " (and their max relative error, colour and position parts apart), b13, b14, b15, the whole head "
          + "forward, and forward+backward. Medians; peak memory."
    })
public final class BenchHeadCommand extends ComputeCommand {

  @Mixin BenchInputOptions input;

  @Mixin WindowOption window;

  @Option(names = "--mixtures", defaultValue = "" + LabelContexts.DEFAULT_COMPONENTS,
      description = "b13 components K (default ${DEFAULT-VALUE}).")
  int mixtures;

  @Option(names = "--context", defaultValue = "" + LabelContexts.DEFAULT_SIZE,
      description = "b13 kernel size (default ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--runs", defaultValue = "11", description = "Timed runs of each fast part (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--reference-runs", defaultValue = "1", description = "Timed runs of the reference b12 (default ${DEFAULT-VALUE}).")
  int referenceRuns;

  @Override
  protected Integer compute() throws Exception {
    int n = threadCount();
    int[] hw = input.hw();
    int labels = input.labels;
    Maps img = input.photo();
    Maps p = input.probabilities();
    HeadSpec head = new HeadSpec(window.or(HeadSpec.DEFAULT.window()), HeadSpec.DEFAULT.kernel(), context, mixtures);
    TriplePenalty b12 = new TriplePenalty(labels, head.b12Options(false));
    LabelContexts b13 = new LabelContexts(labels, head.components(), head.size());
    b13.addComponentNoise(1);
    BlockMinPool b14 = new BlockMinPool(mixtures);
    MeanFieldFusion b15 = new MeanFieldFusion(MeanFieldFusion.Unary.PROBABILITIES);
    DpnHead dpn = new DpnHead(b12, b13);

    // Stages in the order inference runs them: on Java 17 the order in which Vector API kernels are
    // first compiled can change their speed (org.dpn4j.util.Vectors).
    double b12Ms = Stopwatch.medianMs(3, runs, () -> b12.forward(p, img));
    double refMs = Stopwatch.medianMs(0, referenceRuns, () -> b12.forwardReference(p, img));
    TriplePenalty.Parts fast = b12.parts(p, img);
    TriplePenalty.Parts ref = b12.partsReference(p, img);
    double colourErr = fast.colour().maxRelativeError(ref.colour());
    double positionErr = fast.position().maxRelativeError(ref.position());
    Maps o = b12.forward(p, img);
    Maps c = b13.forward(o);
    Maps m = b14.forward(c);
    Maps gradOut = randomGradient(p, 2);
    double b13Ms = Stopwatch.medianMs(3, runs, () -> b13.forward(o));
    double b14Ms = Stopwatch.medianMs(3, runs, () -> b14.forward(c));
    double b15Ms = Stopwatch.medianMs(3, runs, () -> b15.forward(p, m));
    double headMs = Stopwatch.medianMs(3, runs, () -> dpn.refine(p, img));
    double backMs = Stopwatch.medianMs(2, runs, () -> dpn.backward(p, img, dpn.forward(p, img), gradOut));

    ObjectNode r = new ObjectMapper().createObjectNode();
    r.put("size", input.size).put("labels", labels).put("head", head.toString())
        .put("window", b12.windowFor(hw[0], hw[1]).toString());
    r.put("mixtures", mixtures).put("context", context);
    r.put("b12_ms", Stopwatch.round2(b12Ms)).put("b12_reference_ms", Stopwatch.round2(refMs));
    r.put("b12_speedup", Stopwatch.round2(refMs / b12Ms));
    r.put("b12_colour_rel_err", colourErr).put("b12_position_rel_err", positionErr);
    r.put("b12_max_rel_err", Math.max(colourErr, positionErr));
    r.put("b13_ms", Stopwatch.round2(b13Ms)).put("b14_ms", Stopwatch.round2(b14Ms)).put("b15_ms", Stopwatch.round2(b15Ms));
    r.put("head_ms", Stopwatch.round2(headMs)).put("head_backward_ms", Stopwatch.round2(backMs));
    r.put("threads", n).put("runs", runs).put("peak_rss_mib", Stopwatch.round2(Stopwatch.peakRssMiB()));
    spec.commandLine().getOut().println(input.json ? r.toString() : text(r));
    return 0;
  }

  private static String text(ObjectNode r) {
    return String.format(
        "DPN head at %s, L=%d, b12 window %s, b13 %dx%d x K=%d, %d threads (medians of %d runs)%n"
            + "  b12 fast         %9.1f ms%n"
            + "  b12 reference    %9.1f ms   (fast is %.0fx faster)%n"
            + "  b12 max rel err  %9.2e      (colour %.2e, position %.2e)%n"
            + "  b13              %9.1f ms%n"
            + "  b14              %9.1f ms%n"
            + "  b15              %9.1f ms%n"
            + "  head forward     %9.1f ms   (b12 + b13/b14 fused + b15)%n"
            + "  head fwd+bwd     %9.1f ms%n"
            + "  peak memory      %9.0f MiB (resident)",
        r.get("size").asText(), r.get("labels").asInt(), r.get("window").asText(),
        r.get("context").asInt(), r.get("context").asInt(), r.get("mixtures").asInt(),
        r.get("threads").asInt(), r.get("runs").asInt(),
        r.get("b12_ms").asDouble(), r.get("b12_reference_ms").asDouble(), r.get("b12_speedup").asDouble(),
        r.get("b12_max_rel_err").asDouble(), r.get("b12_colour_rel_err").asDouble(),
        r.get("b12_position_rel_err").asDouble(), r.get("b13_ms").asDouble(), r.get("b14_ms").asDouble(),
        r.get("b15_ms").asDouble(), r.get("head_ms").asDouble(), r.get("head_backward_ms").asDouble(),
        r.get("peak_rss_mib").asDouble());
  }

  private static Maps randomGradient(Maps like, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Maps g = like.zerosLike();
    for (int i = 0; i < g.data.length; i++) {
      g.data[i] = (float) (rnd.nextDouble() - 0.5);
    }
    return g;
  }
}
