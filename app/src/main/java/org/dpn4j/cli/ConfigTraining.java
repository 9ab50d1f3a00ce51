package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.plot.TrainingCurves;
import org.dpn4j.train.Checkpoint;
import org.dpn4j.train.Stage;
import org.dpn4j.train.StageFiles;
import org.dpn4j.train.UnaryTrainingConfig;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dpn train --config CFG.json --stage unary|triple|contexts|finetune|all} and
 * {@code --joint-from-start}: the paper's incremental stages (Sec. 4.3) and its joint-training
 * ablation as the configuration says, each stage from the previous stage's output
 * ({@link StageFiles}). {@code all} runs {@link StageFiles#ORDER} and skips a stage whose output
 * exists, so that running it again continues where it stopped (with {@code --resume}, a stage
 * that holds a checkpoint continues it).
 */
final class ConfigTraining {

  /** One stage's training from the configuration; {@code resume} continues its checkpoint. */
  @FunctionalInterface
  interface StageTraining {
    int call(boolean resume) throws IOException;
  }

  private final CommandSpec spec;
  private final Path configFile;
  private final TrainCommand.StageOption stage;
  private final boolean jointFromStart;
  private final Long iterations;
  private final boolean resume;
  private final ThreadsOption threads;

  ConfigTraining(CommandSpec spec, Path configFile, TrainCommand.StageOption stage, boolean jointFromStart,
      Long iterations, boolean resume, ThreadsOption threads) {
    this.spec = spec;
    this.configFile = configFile;
    this.stage = stage;
    this.jointFromStart = jointFromStart;
    this.iterations = iterations;
    this.resume = resume;
    this.threads = threads;
  }

  int call() throws IOException {
    if (jointFromStart) {
      if (stage != null) {
        throw new IllegalArgumentException("--joint-from-start is a stage of its own (joint): leave out --stage");
      }
      return training(Stage.JOINT).call(resume);
    }
    if (stage == null) {
      throw new IllegalArgumentException(
          "--config needs --stage unary, triple, contexts, finetune or all, or --joint-from-start");
    }
    if (iterations != null && iterations < 1) {
      throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
    }
    return switch (stage) {
      case unary -> training(Stage.UNARY).call(resume);
      case triple -> training(Stage.TRIPLE).call(resume);
      case contexts -> training(Stage.CONTEXTS).call(resume);
      case finetune -> training(Stage.FINETUNE).call(resume);
      case all -> all();
    };
  }

  /** The training of {@code s} from the configuration, then the run's curves drawn again. */
  private StageTraining training(Stage s) {
    StageTraining t = switch (s) {
      case UNARY, FINETUNE, JOINT -> r -> new UnaryStageTraining(spec, configFile, s, iterations, r, threads).call();
      case TRIPLE, CONTEXTS -> r -> new HeadStageTraining(spec, configFile, s, iterations, r, threads).call();
    };
    return r -> {
      int code = t.call(r);
      if (code == 0) {
        drawCurves();
      }
      return code;
    };
  }

  /** {@link StageFiles#curves}: the loss and learning rate of every stage that has a log so far. */
  private void drawCurves() throws IOException {
    StageFiles files = new StageFiles(UnaryTrainingConfig.read(configFile));
    List<Path> logs = new ArrayList<>();
    for (Stage s : StageFiles.ORDER) {
      if (Files.exists(files.log(s))) {
        logs.add(files.log(s));
      }
    }
    if (Files.exists(files.log(Stage.JOINT))) {
      logs.add(files.log(Stage.JOINT));
    }
    TrainingCurves.write(logs, files.curves());
    spec.commandLine().getOut().println("training curves: " + files.curves());
  }

  private int all() throws IOException {
    StageFiles files = new StageFiles(UnaryTrainingConfig.read(configFile));
    PrintWriter out = spec.commandLine().getOut();
    for (Stage s : StageFiles.ORDER) {
      Path output = files.output(s);
      if (Files.exists(output)) {
        out.printf("stage %s: %s exists, skipped%n", s.id(), output);
        continue;
      }
      StageTraining t = training(s);
      // Without --resume, a stage that holds a checkpoint refuses to start over (it says: add --resume).
      boolean saved = Checkpoint.exists(files.checkpoint(s));
      int code = t.call(resume && saved);
      if (code != 0) {
        return code;
      }
    }
    return 0;
  }
}
