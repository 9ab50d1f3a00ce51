package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.io.OutputGuard;
import org.dpn4j.model.DpnModel;
import org.dpn4j.plot.LabelCompatibility;
import org.dpn4j.plot.StageStrip;
import org.dpn4j.plot.TrainingCurves;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dpn plot curves|compatibility|strip}: the figures of training and of a trained head, as PNGs. */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    header = "Draws training curves, b13's label compatibilities or the stage-by-stage strip as PNG.",
    subcommands = {PlotCommand.Curves.class, PlotCommand.Compatibility.class, PlotCommand.Strip.class})
public final class PlotCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "curves", mixinStandardHelpOptions = true,
      header = "Loss (per iteration and smoothed) and learning rate of training logs, optionally val mIoU per stage.",
      description = {
        "Reads the CSV logs of dpn train (head stages: iteration,stage,loss,lr; stages unary, finetune, "
            + "joint: iteration,stage,lr,loss,images_per_s; older logs without the stage column are of the "
            + "stage their name says, OUT-finetune-training-log.csv, else unary). The stages are drawn one "
            + "after another; a stage already read from an earlier log is not drawn again."
      })
  static final class Curves implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "LOG.csv", description = "Training logs, in stage order.")
    List<Path> logs;

    @Option(names = "--val", paramLabel = "STAGE=EVAL.json|FILE.json",
        description = "Validation mIoU: what dpn eval --json printed (saved to a file), for STAGE; or a list of {\"stage\": S, \"mIoU\": X}."
            + " Repeatable; drawn in the order given.")
    List<String> val = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "X.png", description = "The PNG to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
      refuseInputs(out, logs);
      List<TrainingCurves.Validation> v = new ArrayList<>();
      for (String s : val) {
        v.addAll(TrainingCurves.readValidation(s));
      }
      TrainingCurves.write(logs, v, out);
      spec.commandLine().getOut().println("wrote " + out);
      return 0;
    }
  }

  @Command(name = "compatibility", mixinStandardHelpOptions = true,
      header = "The L x L label compatibilities of a model's b13 (its filters summed over space), as a heatmap.")
  static final class Compatibility implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOption model;

    @Option(names = "--values", description = "Print each value in its cell.")
    boolean values;

    @Option(names = "--out", required = true, paramLabel = "X.png", description = "The PNG to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
      refuseInputs(out, model.given);
      try (DpnModel m = model.load()) {
        LabelCompatibility.write(m, out, values);
      }
      spec.commandLine().getOut().println("wrote " + out);
      return 0;
    }
  }

  @Command(name = "strip", mixinStandardHelpOptions = true,
      header = "Rows of image | unary | + triple penalty | + label contexts | ground truth (the paper's Fig. 9).",
      description = {
        "--model unary=M1 --model triple=M2 --model full=M3: the models the stages wrote, one column each"
            + " in the order given; or a single --model M: all three stages from one model whose last stage is "
            + "contexts (its unary alone, its head with b13 at the identity, its whole head)."
      })
  static final class Strip extends ComputeCommand {
    @Option(names = "--dataset", required = true, paramLabel = "KIND", description = "camvid, voc, cityscapes or folder.")
    String dataset;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The dataset's folder.")
    Path root;

    @Option(names = "--split", defaultValue = "val", paramLabel = "NAME", description = "Default ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--model", required = true, paramLabel = "[STAGE=]M",
        description = "STAGE=M with STAGE unary, triple or full (repeatable), or one M for all three stages.")
    List<String> models;

    @Option(names = "--frames", split = ",", paramLabel = "A,B,C", description = "The frames (sample names) to show.")
    List<String> frames = new ArrayList<>();

    @Option(names = "--count", defaultValue = "3", paramLabel = "N",
        description = "Without --frames: N frames spread evenly over the split (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--cell-width", defaultValue = "320", paramLabel = "PX", description = "Default ${DEFAULT-VALUE}.")
    int cellWidth;

    @Option(names = "--out", required = true, paramLabel = "X.png", description = "The PNG to write.")
    Path out;

    @Override
    protected Integer compute() throws IOException {
      if (cellWidth < 16) {
        throw new IllegalArgumentException("--cell-width must be at least 16, got " + cellWidth);
      }
      Dataset data = Datasets.open(dataset, root);
      List<DpnModel> opened = new ArrayList<>();
      try {
        List<StageStrip.Column> columns = columns(opened);
        StageStrip.write(data, StageStrip.pick(data.samples(split), frames, count), columns, cellWidth, out);
      } finally {
        opened.forEach(DpnModel::close);
      }
      spec.commandLine().getOut().println("wrote " + out);
      return 0;
    }

    private List<StageStrip.Column> columns(List<DpnModel> opened) throws IOException {
      if (models.size() == 1 && !models.get(0).contains("=")) {
        opened.add(DpnModel.load(Path.of(models.get(0))));
        return StageStrip.stagesOf(opened.get(0));
      }
      List<StageStrip.Column> columns = new ArrayList<>();
      for (String m : models) {
        int eq = m.indexOf('=');
        String stage = eq < 0 ? "" : m.substring(0, eq);
        String title = switch (stage) {
          case "unary" -> "unary";
          case "triple" -> "+ triple penalty";
          case "full" -> "+ label contexts";
          default -> throw new IllegalArgumentException(
              "--model " + m + ": give STAGE=M with STAGE unary, triple or full (or a single --model M)");
        };
        DpnModel model = DpnModel.load(Path.of(m.substring(eq + 1)));
        opened.add(model);
        columns.add(new StageStrip.Column(title, model,
            stage.equals("unary") ? StageStrip.Mode.UNARY : StageStrip.Mode.HEAD));
      }
      return columns;
    }
  }

  /** Refuses, before any work, an --out that is one of the inputs or inside an input folder. */
  static void refuseInputs(Path out, List<Path> inputs) {
    OutputGuard guard = new OutputGuard().inputs(inputs);
    guard.output(out);
    guard.check();
  }
}
