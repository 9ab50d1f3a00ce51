package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.head.LabelContexts3d;
import org.dpn4j.train.TemporalTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code dpn train-video}: learns the spatio-temporal head (DESIGN.md section 1, "Spatio-temporal
 * DPN") of a trained 2D model on CamVid's labelled frames and their labelled neighbours. The head
 * starts as {@code DpnHead3d.from(model.head(), --context)}; the unary is frozen (its probabilities
 * and the flows between neighbours are computed once, cached under {@code --work}); the 3D head's
 * b12 weights and 3D b13 are trained with the cross-entropy on frame t ({@link TemporalHeadTrainer}).
 * The output is the model with its spatio-temporal head (docs/MODEL_FORMAT.md, head.temporal).
 * The command parses its arguments; {@link TemporalTraining} trains.
 */
@Command(
    name = "train-video",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Trains the spatio-temporal head of a trained model on CamVid sequences (frozen unary).",
    description = {
      "Starts the 3D head from the model's 2D head (b13 on tau = 0, zero on tau = +-1) and trains its "
          + "b12 weights and 3D b13 on frame t with its neighbouring labelled frames t-1, t+1 warped along "
          + "the optical flow. Unary probabilities and flows are cached under --work (cache/), with the "
          + "checkpoint (checkpoint/) and the log (training-log.csv). Writes the model with its temporal "
          + "head."
    })
public final class TrainTemporalCommand extends ComputeCommand {

  /** The trained 2D model. */
  @Mixin ModelOption modelOption;

  @Option(names = "--dataset", defaultValue = "camvid", paramLabel = "camvid",
      description = "The dataset's layout; only camvid has labelled neighbouring frames (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The CamVid folder (train.txt, val.txt, ...).")
  Path root;

  @Option(names = "--split", defaultValue = "train", split = ",", paramLabel = "S",
      description = "The split, or several as one set, e.g. train,val (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--out", required = true, paramLabel = "M3", description = "The model written, with its temporal head.")
  Path out;

  @Option(names = "--work", required = true, paramLabel = "DIR",
      description = "The run directory: cache/ (probabilities, flows), checkpoint/, training-log.csv.")
  Path work;

  @Option(names = "--context", defaultValue = "" + LabelContexts3d.DEFAULT_SIZE, paramLabel = "M",
      description = "The 3D b13's size m x m x 3 (default ${DEFAULT-VALUE}, the paper's; the 2D b13's size starts the 3D head"
          + " exactly equal to the 2D head).")
  int context;

  @Option(names = "--iterations", defaultValue = "800", paramLabel = "N", description = "Steps of one frame (default: ${DEFAULT-VALUE}).")
  long iterations;

  @Option(names = "--lr", paramLabel = "X", description = "Base learning rate of the poly schedule (default: 1 for sgd, 0.01 for adam).")
  Double lr;

  @Option(names = "--optimiser", defaultValue = "sgd", paramLabel = "sgd|adam", description = "Default: ${DEFAULT-VALUE}.")
  TrainCommand.OptimiserOption optimiser;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the frame order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--flow", defaultValue = "dis-fast", paramLabel = "METHOD",
      description = "Optical flow: dis-ultrafast, dis-fast (default), dis-medium or farneback.")
  String flow;

  @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N",
      description = "Save a checkpoint every N steps, and at the end (default: ${DEFAULT-VALUE}).")
  long checkpointEvery;

  @Option(names = "--temporal-taps-only",
      description = "Train only b13's taps on the neighbouring frames (tau = +-1); b12's weights and the tau = 0 taps"
          + " (the 2D head's) stay as they start.")
  boolean temporalTapsOnly;

  @Option(names = "--class-weights",
      description = "Weigh the cross-entropy by median frequency balancing over the split's labels (DESIGN.md section 3).")
  boolean classWeights;

  @Option(names = "--resume", description = "Continue the run saved in WORK/checkpoint.")
  boolean resume;

  @Override
  protected Integer compute() throws IOException {
    if (!dataset.equalsIgnoreCase("camvid")) {
      throw new ParameterException(spec.commandLine(), "--dataset " + dataset
          + ": only camvid is supported (the labelled frames must form sequences with labelled neighbours)");
    }
    TemporalTraining.run(new TemporalTraining.Request(root, splits, out, work, context, iterations, lr,
        optimiser == TrainCommand.OptimiserOption.adam, seed, flow, checkpointEvery, temporalTapsOnly, classWeights,
        resume), modelOption::load, spec.commandLine().getErr());
    return 0;
  }
}
