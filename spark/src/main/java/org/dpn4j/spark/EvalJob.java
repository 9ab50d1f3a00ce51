package org.dpn4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.dpn4j.cli.EvalInputOptions;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.Sample;
import org.dpn4j.eval.Ensemble;
import org.dpn4j.eval.Evaluation;
import org.dpn4j.eval.EvaluationInputs;
import org.dpn4j.eval.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dpn spark eval}: {@code dpn eval}'s metrics of a dataset split, the images spread over Spark's executors. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    header = "Evaluates a model on a dataset split on Spark: dpn eval's metrics and JSON.",
    description = {
      "Evaluates the model on a dataset split with the images spread over Spark's executors: each",
      "partition's confusion matrices and TA/LA/BA tallies (unary and DPN) are merged into exactly the",
      "metrics dpn eval computes on one machine, printed as its table or, with --json, its JSON.",
      "The dataset's folder must be readable by every executor (a shared file system)."
    })
final class EvalJob implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Mixin EvalInputOptions input;

  @Option(names = "--json", description = "Print one JSON object (dpn eval's) instead of a table.")
  boolean json;

  @Option(names = "--images-per-task", paramLabel = "N", defaultValue = "4", description = "Images per Spark task (default: ${DEFAULT-VALUE}).")
  int perTask;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    EvaluationInputs in = input.inputs();
    if ((in.limit() != null && in.limit() < 1) || perTask < 1
        || in.scales().stream().anyMatch(v -> !(v > 0 && Double.isFinite(v)))) {
      err.println("dpn spark eval: --limit and --images-per-task must be at least 1, --scales positive numbers");
      return 2;
    }
    try {
      Path model = job.modelPath();
      int n = in.samples(in.open()).size();
      try (Sessions.Started s = Sessions.start("dpn spark eval", job, model)) {
        long start = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(s.spark().sparkContext());
        List<Integer> indices = IntStream.range(0, n).boxed().toList();
        EvalTask task = new EvalTask(s.modelFile(), s.threads(), in.kind(), in.root().toAbsolutePath().toString(),
            in.split(), in.scales(), in.flip());
        Evaluation.Tallies t = sc.parallelize(indices, Math.max(1, (n + perTask - 1) / perTask))
            .mapPartitions(task::score).reduce(Evaluation.Tallies::merge);
        Evaluation.Result result = new Evaluation.Result(t.unary().result(), t.dpn().result(), (System.nanoTime() - start) / 1e9);
        EvaluationReport report = in.report(List.of(model), result);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? EvaluationReport.text(report.json()) : report.table());
        out.flush();
        return 0;
      }
    } catch (IOException | RuntimeException e) {
      err.println("dpn spark eval: " + Sessions.firstLine(e));
      err.flush();
      return Sessions.exitCode(e);
    }
  }

  /** An executor's share: the tallies of the split's images at its indices. */
  record EvalTask(String modelFile, Integer threads, String kind, String root, String split, List<Double> scales,
      boolean flip) implements Serializable {

    Iterator<Evaluation.Tallies> score(Iterator<Integer> indices) throws IOException {
      org.dpn4j.data.Dataset dataset = Datasets.open(kind, Path.of(root));
      List<Sample> all = dataset.samples(split);
      List<Sample> mine = new ArrayList<>();
      indices.forEachRemaining(i -> mine.add(all.get(i)));
      ExecutorModel.Loaded m = ExecutorModel.get(modelFile, threads);
      synchronized (m.model()) {
        Ensemble ensemble = new Ensemble(List.of(m.model()), scales, flip);
        return List.of(Evaluation.score(ensemble, dataset, mine, null, (done, total, seconds) -> { })).iterator();
      }
    }
  }
}
