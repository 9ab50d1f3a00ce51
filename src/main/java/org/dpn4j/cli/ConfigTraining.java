package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.train.Checkpoint;
import org.dpn4j.train.Stage;
import org.dpn4j.train.StageFiles;
import org.dpn4j.train.UnaryTrainingConfig;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dpn train --config CFG.json --stage unary|triple|contexts|all}: the paper's incremental
 * stages (Sec. 4.3) as the configuration says, each from the previous stage's output
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
  private final Long iterations;
  private final boolean resume;
  private final ThreadsOption threads;

  ConfigTraining(CommandSpec spec, Path configFile, TrainCommand.StageOption stage, Long iterations, boolean resume,
      ThreadsOption threads) {
    this.spec = spec;
    this.configFile = configFile;
    this.stage = stage;
    this.iterations = iterations;
    this.resume = resume;
    this.threads = threads;
  }

  int call() throws IOException {
    if (stage == null) {
      throw new IllegalArgumentException("--config needs --stage unary, triple, contexts or all");
    }
    if (iterations != null && iterations < 1) {
      throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
    }
    return switch (stage) {
      case unary -> training(Stage.UNARY).call(resume);
      case triple -> training(Stage.TRIPLE).call(resume);
      case contexts -> training(Stage.CONTEXTS).call(resume);
      case all -> all();
    };
  }

  /** The training of {@code s} from the configuration, or null where that stage is not available. */
  private StageTraining training(Stage s) {
    return switch (s) {
      case UNARY -> r -> new UnaryStageTraining(spec, configFile, TrainCommand.StageOption.unary, iterations, r, threads)
          .call();
      case TRIPLE, CONTEXTS -> r -> new HeadStageTraining(spec, configFile, s, iterations, r, threads).call();
      default -> null;
    };
  }

  private int all() throws IOException {
    StageFiles files = new StageFiles(UnaryTrainingConfig.read(configFile));
    PrintWriter out = spec.commandLine().getOut();
    Path last = null;
    for (Stage s : StageFiles.ORDER) {
      Path output = files.output(s);
      if (Files.exists(output)) {
        out.printf("stage %s: %s exists, skipped%n", s.id(), output);
        last = output;
        continue;
      }
      StageTraining t = training(s);
      if (t == null) {
        out.printf("stage %s from a configuration is not available yet; the last model is %s%n", s.id(), last);
        return 0;
      }
      // Without --resume, a stage that holds a checkpoint refuses to start over (it says: add --resume).
      boolean saved = Files.exists(files.checkpoint(s).resolve(Checkpoint.STATE_FILE));
      int code = t.call(resume && saved);
      if (code != 0) {
        return code;
      }
      last = output;
    }
    return 0;
  }
}
