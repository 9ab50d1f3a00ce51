package org.dpn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Sample;
import org.dpn4j.data.SequenceSelection;
import org.dpn4j.eval.Ensemble;
import org.dpn4j.eval.Evaluation;
import org.dpn4j.eval.EvaluationInputs;
import org.dpn4j.eval.EvaluationReport;
import org.dpn4j.eval.TemporalEvaluation;
import org.dpn4j.model.DpnModel;
import org.dpn4j.util.Progress;
import org.dpn4j.video.FlowMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code dpn eval}: the paper's metrics of a model on a dataset split, for the unary alone and the whole DPN. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    header = "Evaluates a model on a dataset split: mIoU, TA, LA, BA; unary and DPN.",
    description =
        "Evaluates a model on a dataset split: mIoU, pixel accuracy, mean class accuracy, per-class"
            + " IoU, TA, LA and BA (docs/METRICS.md) for the unary alone and for the whole DPN in one run."
            + " With several --scales, --flip or several --model the unary probabilities are averaged and"
            + " the first model's head refines the average (docs/EVAL.md). Progress goes to stderr,"
            + " results to stdout: a table, or one JSON object with --json.")
public final class EvalCommand extends ComputeCommand {

  @Mixin ModelOption model;

  @Mixin WindowOption window;

  @Mixin LongSideOption longSide;

  /** The models evaluated, {@link ModelOption#paths()}. */
  private List<Path> modelPaths;

  @Mixin EvalInputOptions input;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Option(names = "--save", paramLabel = "DIR",
      description = "Write NAME.png (DPN labels), NAME_unary.png and NAME_overlay.png per image.")
  Path saveDir;

  @Option(names = "--temporal",
      description = "CamVid only: also evaluate the model's spatio-temporal head against its 2D head on the split's"
          + " frames with their neighbouring labelled frames, and their temporal consistency (docs/EVAL.md).")
  boolean temporal;

  @Option(names = "--flow", paramLabel = "METHOD", defaultValue = "dis-fast",
      description = "With --temporal: the optical flow, dis-ultrafast, dis-fast, dis-medium or farneback (default: ${DEFAULT-VALUE}).")
  String flow;

  @Override
  protected Integer compute() throws IOException {
    EvaluationInputs in = input.inputs();
    Integer limit = in.limit();
    List<Double> scales = in.scales();
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
    }
    if (temporal && (model.given.size() > 1 || scales.size() > 1 || scales.get(0) != 1 || in.flip()
        || !in.kind().equalsIgnoreCase("camvid"))) {
      throw new ParameterException(spec.commandLine(),
          "--temporal takes one model, scale 1, no --flip, and --dataset camvid (sequences of labelled frames)");
    }
    PrintWriter err = spec.commandLine().getErr();
    List<DpnModel> models = new ArrayList<>();
    try {
      Dataset dataset = in.open();
      List<Sample> samples = in.samples(dataset);
      modelPaths = model.paths();
      Evaluation.checkOutputs(samples, saveDir, model.given);
      for (Path p : modelPaths) {
        models.add(DpnModel.load(p));
        window.applyTo(models.get(models.size() - 1));
        longSide.applyTo(models.get(models.size() - 1));
      }
      Ensemble ensemble = in.ensemble(models);
      Evaluation.Result result = Evaluation.run(ensemble, dataset, samples, saveDir,
          progress(err, "eval", samples.size()));
      TemporalEvaluation.Result t = temporal
          ? TemporalEvaluation.run(models.get(0), in.root(), in.split(), in.sequences(), FlowMethod.parse(flow), limit,
              progress(err, "eval --temporal", samples.size()))
          : null;
      PrintWriter out = spec.commandLine().getOut();
      EvaluationReport report = in.report(modelPaths, result);
      SequenceSelection selection = in.sequences();
      ObjectNode reportJson = withSelection(report.json(), selection)
          .put("longSide", models.get(0).config().input().longSide());
      out.print(json ? EvaluationReport.text(TemporalReport.withTemporal(reportJson, t, flow))
          : (selection.all() ? "" : "sequences: " + selection + "\n") + report.table() + TemporalReport.table(t));
      out.flush();
      return 0;
    } finally {
      models.forEach(DpnModel::close);
    }
  }

  /** The JSON report with the selection, when there is one ("sequences" or "excludeSequences"). */
  private static ObjectNode withSelection(ObjectNode json, SequenceSelection selection) {
    if (!selection.all()) {
      ArrayNode a = json.putArray(selection.excluding() ? "excludeSequences" : "sequences");
      selection.names().forEach(a::add);
    }
    return json;
  }

  /**
   * The one progress display ({@link Progress}) on stderr for {@code total} images, started now so
   * that its rate counts from the start of the loop.
   */
  private static Evaluation.Progress progress(PrintWriter err, String what, int total) {
    Progress p = Progress.onStderr(err, what, total, "images");
    return (done, all, seconds) -> p.step(done);
  }
}
