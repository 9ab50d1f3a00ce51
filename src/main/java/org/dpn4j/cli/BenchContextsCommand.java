package org.dpn4j.cli;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import org.dpn4j.head.BlockMinPool;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.head.Maps;
import org.dpn4j.head.MeanFieldFusion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dpn bench contexts}: b13, b14, b15 forward (and backward) on random maps; prints medians. */
@Command(
    name = "contexts",
    mixinStandardHelpOptions = true,
    description = "Times b13 (label contexts), b14 (block min pool), b15 (fusion): medians of --runs.")
public final class BenchContextsCommand implements Callable<Integer> {
  @Mixin ThreadsOption threads;

  @Option(names = "--size", description = "H x W (default ${DEFAULT-VALUE}).", defaultValue = "512x512")
  String size;

  @Option(names = "--labels", description = "L (default ${DEFAULT-VALUE}).", defaultValue = "21")
  int labels;

  @Option(names = "--components", description = "K (default ${DEFAULT-VALUE}).", defaultValue = "5")
  int components;

  @Option(names = "--context", description = "b13 kernel size m_c (default ${DEFAULT-VALUE}).", defaultValue = "9")
  int context;

  @Option(names = "--runs", description = "Timed runs after 3 warm-up runs (default ${DEFAULT-VALUE}).", defaultValue = "10")
  int runs;

  @Option(names = "--backward", description = "Also time b13-b15 backward.")
  boolean backward;

  @Override
  public Integer call() {
    threads.apply();
    String[] hw = size.split("x");
    int h = Integer.parseInt(hw[0]);
    int w = Integer.parseInt(hw[1]);
    Random r = new Random(1);
    LabelContexts b13 = new LabelContexts(labels, components, context);
    b13.addComponentNoise(1);
    BlockMinPool b14 = new BlockMinPool(components);
    MeanFieldFusion b15 = new MeanFieldFusion(MeanFieldFusion.Unary.PROBABILITIES);
    Maps q = new Maps(labels, h, w);
    for (int i = 0; i < q.data.length; i++) {
      q.data[i] = r.nextFloat();
    }
    Maps[] o13 = {null};
    Maps[] o14 = {null};
    Maps[] o15 = {null};
    report("b13 forward", () -> o13[0] = b13.forward(q));
    report("b14 forward", () -> o14[0] = b14.forward(o13[0]));
    report("b15 forward", () -> o15[0] = b15.forward(q, o14[0]));
    report("b13+b14 fused", () -> b13.forwardMin(q));
    report("b13-b15 forward", () -> b15.forward(q, b13.forwardMin(q)));
    if (backward) {
      Maps g = o15[0].zerosLike();
      for (int i = 0; i < g.data.length; i++) {
        g.data[i] = (float) r.nextGaussian();
      }
      Maps[] g14 = {null};
      Maps[] g13 = {null};
      report("b15 backward", () -> g14[0] = b15.backward(q, o15[0], g).b14());
      report("b14 backward", () -> g13[0] = b14.backward(o13[0], g14[0]));
      report("b13 backward", () -> b13.backward(q, g13[0]));
    }
    return 0;
  }

  private void report(String what, Runnable body) {
    for (int i = 0; i < 3; i++) {
      body.run();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      body.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(
        "%-18s %s L=%d K=%d m=%d threads=%d: median %.1f ms, min %.1f ms%n",
        what, size, labels, components, context, org.dpn4j.util.Parallel.threads(), ms[runs / 2], ms[0]);
  }
}
