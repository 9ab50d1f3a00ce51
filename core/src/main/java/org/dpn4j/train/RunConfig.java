package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Sample;
import org.dpn4j.io.StrictJson;

/**
 * A training run's configuration file (docs/TRAINING.md, "Configuration"), parsed once: a record
 * per part, every key checked ({@link StrictJson}: unknown keys are errors naming the file and the
 * key, so that a misspelt optional key is never silently ignored).
 *
 * @param file the file it was read from
 * @param unary the run-wide settings, which are also stage {@code unary}'s
 * @param heads stages {@code triple} and {@code contexts} and their logits cache
 * @param finetune stage {@code finetune}
 * @param joint stage {@code joint} ({@code --joint-from-start})
 */
public record RunConfig(Path file, UnaryTrainingConfig unary, HeadStagesConfig heads, FinetuneConfig finetune,
    FinetuneConfig joint) {

  /** Reads and checks {@code file}. */
  public static RunConfig read(Path file) throws IOException {
    StrictJson.Obj root = StrictJson.read(file, "no such configuration file");
    Set<String> known = new HashSet<>(UnaryTrainingConfig.KEYS);
    known.addAll(HeadStagesConfig.KEYS);
    known.add(FinetuneConfig.FINETUNE_KEY);
    known.add(FinetuneConfig.JOINT_KEY);
    root.only(known);
    UnaryTrainingConfig unary = UnaryTrainingConfig.of(root);
    return new RunConfig(file, unary, HeadStagesConfig.of(root), FinetuneConfig.of(root, unary, Stage.FINETUNE),
        FinetuneConfig.of(root, unary, Stage.JOINT));
  }

  /** The files of every stage of the run. */
  public StageFiles files() {
    return new StageFiles(unary);
  }

  /**
   * The samples every stage trains on ({@link UnaryTrainingConfig#samplesOf}); a selection that
   * does not fit the data is an error naming this file and the key.
   */
  public List<Sample> samples(Dataset dataset) throws IOException {
    try {
      return unary.samplesOf(dataset);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
