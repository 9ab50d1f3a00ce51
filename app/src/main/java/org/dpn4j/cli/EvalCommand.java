package org.dpn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.Sample;
import org.dpn4j.data.SequenceSelection;
import org.dpn4j.eval.Ensemble;
import org.dpn4j.eval.Evaluation;
import org.dpn4j.eval.EvaluationReport;
import org.dpn4j.eval.TemporalEvaluation;
import org.dpn4j.model.DpnModel;
import org.dpn4j.util.Progress;
import org.dpn4j.video.FlowMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
public final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ThreadsOption threads;

  @Mixin ModelOption model;

  @Mixin WindowOption window;

  /** The models evaluated, {@link ModelOption#paths()}. */
  private List<Path> modelPaths;

  @Option(names = "--dataset", required = true, paramLabel = "KIND",
      description = "The dataset's layout: camvid, voc, cityscapes or folder.")
  String kind;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The dataset's folder.")
  Path root;

  @Option(names = "--split", required = true, paramLabel = "S", description = "The split, e.g. val or test.")
  String split;

  @Option(names = "--sequences", split = ",", paramLabel = "SEQ,...",
      description = "Only the split's frames of these sequences (CamVid's drives, the file-name prefix: 0001TP,"
          + " 0006R0, 0016E5, Seq05VD), e.g. a drive held out of training.")
  List<String> sequences = List.of();

  @Option(names = "--exclude-sequences", split = ",", paramLabel = "SEQ,...",
      description = "All the split's frames except those of these sequences.")
  List<String> excludeSequences = List.of();

  @Option(names = "--scales", split = ",", defaultValue = "1", paramLabel = "S,...",
      description = "Input scales of the unary whose probabilities are averaged (default: ${DEFAULT-VALUE}).")
  List<Double> scales;

  @Option(names = "--flip", description = "Also average the unary's probabilities of the mirrored image.")
  boolean flip;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Option(names = "--save", paramLabel = "DIR",
      description = "Write NAME.png (DPN labels), NAME_unary.png and NAME_overlay.png per image.")
  Path saveDir;

  @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N images of the split.")
  Integer limit;

  @Option(names = "--temporal",
      description = "CamVid only: also evaluate the model's spatio-temporal head against its 2D head on the split's"
          + " frames with their neighbouring labelled frames, and their temporal consistency (docs/EVAL.md).")
  boolean temporal;

  @Option(names = "--flow", paramLabel = "METHOD", defaultValue = "dis-fast",
      description = "With --temporal: the optical flow, dis-ultrafast, dis-fast, dis-medium or farneback (default: ${DEFAULT-VALUE}).")
  String flow;

  @Override
  public Integer call() throws IOException {
    threads.apply();
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
    }
    if (temporal && (model.given.size() > 1 || scales.size() > 1 || scales.get(0) != 1 || flip
        || !kind.equalsIgnoreCase("camvid"))) {
      throw new ParameterException(spec.commandLine(),
          "--temporal takes one model, scale 1, no --flip, and --dataset camvid (sequences of labelled frames)");
    }
    PrintWriter err = spec.commandLine().getErr();
    List<DpnModel> models = new ArrayList<>();
    try {
      Dataset dataset = Datasets.open(kind, root);
      SequenceSelection selection = selection();
      List<Sample> samples = select(selection, dataset, dataset.samples(split));
      if (limit != null && limit < samples.size()) {
        samples = samples.subList(0, limit);
      }
      modelPaths = model.paths();
      Evaluation.checkOutputs(samples, saveDir, model.given);
      for (Path p : modelPaths) {
        models.add(DpnModel.load(p));
        window.applyTo(models.get(models.size() - 1));
      }
      Ensemble ensemble = new Ensemble(models, scales, flip);
      Evaluation.Result result = Evaluation.run(ensemble, dataset, samples, saveDir,
          progress(err, "eval", samples.size()));
      TemporalEvaluation.Result t = temporal
          ? TemporalEvaluation.run(models.get(0), root, split, selection, FlowMethod.parse(flow), limit,
              progress(err, "eval --temporal", samples.size()))
          : null;
      PrintWriter out = spec.commandLine().getOut();
      EvaluationReport report = new EvaluationReport(modelPaths, kind, root, split, scales, flip, result);
      out.print(json ? EvaluationReport.text(TemporalReport.withTemporal(withSelection(report.json(), selection), t, flow))
          : (selection.all() ? "" : "sequences: " + selection + "\n") + report.table() + TemporalReport.table(t));
      out.flush();
      return 0;
    } finally {
      models.forEach(DpnModel::close);
    }
  }

  private SequenceSelection selection() {
    try {
      return new SequenceSelection(sequences, excludeSequences);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "give --sequences or --exclude-sequences, not both");
    }
  }

  /** The samples {@code selection} keeps; a name the split lacks, or an empty result, names the option. */
  private List<Sample> select(SequenceSelection selection, Dataset dataset, List<Sample> samples) throws IOException {
    try {
      return selection.apply(dataset, samples);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException((selection.excluding() ? "--exclude-sequences " : "--sequences ")
          + String.join(",", selection.names()) + ": " + e.getMessage() + " (split " + split + ")");
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
