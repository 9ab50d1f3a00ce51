package org.dpn4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where each stage of a configuration's run keeps its files (docs/TRAINING.md, "Stages from a
 * configuration"). Stage {@code unary} uses the configuration's {@code output},
 * {@code checkpoint.dir} and {@code log}; a later stage S puts {@code -S} after the output's name
 * (before {@code .zip}) and after the checkpoint directory's: {@code out}, {@code out-triple},
 * {@code out-contexts}, {@code out-finetune}. Each stage starts from the output of the stage before
 * it in {@link #ORDER}, or from the configuration's {@code model} where that does not exist.
 */
public record StageFiles(UnaryTrainingConfig config) {

  /** The paper's order of the incremental stages (Sec. 4.3). */
  public static final List<Stage> ORDER = List.of(Stage.UNARY, Stage.TRIPLE, Stage.CONTEXTS, Stage.FINETUNE);

  /** The model the stage writes. */
  public Path output(Stage stage) {
    return suffixed(config.output(), stage);
  }

  /** The stage's checkpoint directory. */
  public Path checkpoint(Stage stage) {
    return stage == Stage.UNARY ? config.checkpointDir() : sibling(config.checkpointDir(), "-" + stage.id());
  }

  /** The stage's CSV log: the configuration's {@code log} for {@code unary}, else OUTPUT-S-training-log.csv. */
  public Path log(Stage stage) {
    if (stage == Stage.UNARY) {
      return config.log();
    }
    Path out = output(stage);
    return out.resolveSibling(stripZip(out.getFileName().toString()) + "-training-log.csv");
  }

  /**
   * The model the stage starts from: the previous stage's output if it exists, else the
   * configuration's {@code model} (also for {@code unary}).
   */
  public Path start(Stage stage) {
    int i = ORDER.indexOf(stage);
    if (i > 0 && Files.exists(output(ORDER.get(i - 1)))) {
      return output(ORDER.get(i - 1));
    }
    return config.model();
  }

  /** The PNG of the run's training curves (every stage's loss and lr): OUTPUT-training-curves.png. */
  public Path curves() {
    Path out = config.output();
    return out.resolveSibling(stripZip(out.getFileName().toString()) + "-training-curves.png");
  }

  /** The default directory of the head stages' logits cache: {@code checkpoint.dir} + {@code -logits}. */
  public Path logitsCache() {
    return sibling(config.checkpointDir(), "-logits");
  }

  private static Path suffixed(Path out, Stage stage) {
    if (stage == Stage.UNARY) {
      return out;
    }
    String name = out.getFileName().toString();
    boolean zip = name.toLowerCase(Locale.ROOT).endsWith(".zip");
    return out.resolveSibling(stripZip(name) + "-" + stage.id() + (zip ? name.substring(name.length() - 4) : ""));
  }

  private static String stripZip(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
  }

  private static Path sibling(Path p, String suffix) {
    return p.resolveSibling(p.getFileName() + suffix);
  }
}
