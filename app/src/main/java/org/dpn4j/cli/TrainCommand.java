package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.train.Checkpoint;
import org.dpn4j.train.HeadOnlyTraining;
import org.dpn4j.train.RunConfig;
import org.dpn4j.train.Stage;
import org.dpn4j.train.TrainingPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpn train --head-only}: learns the DPN head (b12-b15) on top of any network, from that
 * network's probabilities on the training images of a folder dataset (stages {@code triple} and
 * {@code contexts} of the paper's Sec. 4.3; docs/REFINE.md "Learning the head for your own
 * network"). With {@code --config}, the stages from a configuration file ({@link TrainingPipeline}).
 * The command parses its arguments; {@link HeadOnlyTraining} and {@link TrainingPipeline} train.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Trains a DPN stage by stage from a configuration (--config) or the DPN head on another network's"
        + " probabilities (--head-only).",
    sortOptions = false,
    description = {
      "--config CFG.json --stage unary|triple|contexts|finetune|all: the paper's stages as the "
          + "configuration says (docs/TRAINING.md): unary trains b1-b11 on augmented crops; triple (b12's "
          + "weights) and contexts (b13) train the head on the frozen unary's cached logits; finetune trains "
          + "everything; all runs them in turn, skipping a stage whose output exists.",
      "--config CFG.json --joint-from-start: the paper's ablation, everything at once.",
      "--head-only: trains the DPN head (b12-b15) on the probabilities another network gives for the "
          + "training images of a folder dataset. Stages triple (b12's weights) then contexts (b13), each for"
          + " --iterations steps of one image, poly schedule. See docs/REFINE.md."
    })
public final class TrainCommand extends ComputeCommand {

  /** The stages asked for: one, or both in the paper's order. */
  enum StageOption {
    triple(List.of(Stage.TRIPLE)),
    contexts(List.of(Stage.CONTEXTS)),
    all(List.of(Stage.TRIPLE, Stage.CONTEXTS)),
    unary(List.of(Stage.UNARY)),
    finetune(List.of(Stage.FINETUNE));

    final List<Stage> stages;

    StageOption(List<Stage> stages) {
      this.stages = stages;
    }
  }

  enum OptimiserOption {
    sgd,
    adam
  }

  @Option(names = "--head-only", description = "Train the head alone on given probabilities (docs/REFINE.md, section 6).")
  boolean headOnly;

  @Option(names = "--config", paramLabel = "CFG.json",
      description = "Train from a configuration file (docs/TRAINING.md, \"Configuration\").")
  Path config;

  @Option(names = "--data", paramLabel = "DIR",
      description = "A folder dataset: labels.json, SPLIT.txt, images/, labels/ (docs/REFINE.md, section 6).")
  Path data;

  @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
      description = "The list of training images, DIR/NAME.txt (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--probs", paramLabel = "DIR",
      description = "The network's probabilities, DIR/NAME.npy per image, (L, H, W) or (H, W, L), float32 or float16.")
  Path probs;

  @Option(names = "--logits",
      description = "The --probs files hold logits (scores before the softmax): a softmax over the labels first.")
  boolean logits;

  @Option(names = "--out", paramLabel = "M",
      description = "The model to write (a directory, or a .zip); not overwritten.")
  Path out;

  @Option(names = "--stage", paramLabel = "triple|contexts|all|unary|finetune",
      description = "The stage(s) to run: with --head-only triple, contexts or all (the default: triple then"
          + " contexts); with --config unary, triple, contexts, finetune or all (the four in turn).")
  StageOption stage;

  @Option(names = "--joint-from-start",
      description = "With --config: the paper's ablation, the whole network (b1-b15) from the starting model at once"
          + " (stage joint).")
  boolean jointFromStart;

  @Option(names = "--iterations", paramLabel = "N",
      description = "Steps per stage (--head-only: one image each, default 1000; --config: overrides its iterations).")
  Long iterations;

  @Option(names = "--lr", paramLabel = "X",
      description = "Base learning rate of the poly schedule (default 1 for sgd, 0.01 for adam).")
  Double lr;

  @Option(names = "--optimiser", paramLabel = "sgd|adam", defaultValue = "sgd",
      description = "sgd (momentum 0.9, weight decay 5e-4; the default) or adam.")
  OptimiserOption optimiser;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Seeds the image order, the flips and b13's noise (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--from", paramLabel = "M0",
      description = "Start from this model's head (and keep its unary and sizes) instead of a new head.")
  Path from;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint directory (written atomically).")
  Path checkpoint;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
      description = "Also save a checkpoint every N iterations (default ${DEFAULT-VALUE}: only at the end of each stage).")
  long checkpointEvery;

  @Option(names = "--resume", description = "Continue the run saved in --checkpoint (or the config's checkpoint.dir).")
  boolean resume;

  @Override
  protected Integer compute() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (config != null) {
      checkConfigOptions();
      TrainingPipeline pipeline = new TrainingPipeline(RunConfig.read(config), iterations, stdout, stderr);
      if (jointFromStart) {
        pipeline.run(Stage.JOINT, resume);
      } else if (stage == StageOption.all) {
        pipeline.all(resume);
      } else {
        pipeline.run(stage.stages.get(0), resume);
      }
      return 0;
    }
    checkOptions();
    HeadOnlyTraining.run(new HeadOnlyTraining.Request(data, split, probs, logits, out, stage.stages, iterations, lr,
        optimiser == OptimiserOption.adam, seed, from, checkpoint, checkpointEvery, resume), stdout, stderr);
    return 0;
  }

  private void checkConfigOptions() {
    if (headOnly) {
      throw new IllegalArgumentException("--config (the unary) and --head-only (the head alone) exclude each other");
    }
    for (Object[] o : new Object[][] {{"--data", data}, {"--probs", probs}, {"--out", out}, {"--from", from},
        {"--checkpoint", checkpoint}, {"--lr", lr}}) {
      if (o[1] != null) {
        throw new IllegalArgumentException(o[0] + " is a --head-only option: with --config, the file says it");
      }
    }
    if (jointFromStart && stage != null) {
      throw new IllegalArgumentException("--joint-from-start is a stage of its own (joint): leave out --stage");
    }
    if (!jointFromStart && stage == null) {
      throw new IllegalArgumentException(
          "--config needs --stage unary, triple, contexts, finetune or all, or --joint-from-start");
    }
  }

  private void checkOptions() {
    if (!headOnly) {
      throw new IllegalArgumentException("give --head-only (the head on a network's probabilities: --head-only --data DIR"
          + " --probs DIR --out M) or --config CFG.json --stage unary|triple|contexts|all");
    }
    for (Object[] o : new Object[][] {{"--data", data}, {"--probs", probs}, {"--out", out}}) {
      if (o[1] == null) {
        throw new IllegalArgumentException("--head-only needs " + o[0]);
      }
    }
    if (jointFromStart) {
      throw new IllegalArgumentException("--joint-from-start trains the whole network: use it with --config");
    }
    if (stage == null) {
      stage = StageOption.all;
    } else if (stage.stages.stream().anyMatch(Stage::trainsUnary)) {
      throw new IllegalArgumentException("--head-only trains the head (--stage triple, contexts or all), not the unary");
    }
    if (iterations == null) {
      iterations = 1000L;
    }
    if ((resume || checkpointEvery > 0) && checkpoint == null) {
      throw new IllegalArgumentException((resume ? "--resume" : "--checkpoint-every") + " needs --checkpoint DIR");
    }
    if (Files.exists(out) && (!Files.isDirectory(out) || Files.exists(out.resolve("config.json")))) {
      throw new IllegalArgumentException(out + " exists and is not overwritten");
    }
    if (checkpoint != null && !resume && Checkpoint.exists(checkpoint)) {
      throw new IllegalArgumentException(
          checkpoint + " already holds a checkpoint: add --resume to continue it, or remove it");
    }
  }
}
