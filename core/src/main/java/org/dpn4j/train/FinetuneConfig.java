package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import org.dpn4j.io.StrictJson;

/**
 * The settings of stage {@code finetune} or {@code joint} in a training configuration: the optional
 * object {@code "finetune"} (or {@code "joint"}) of the file, every key optional (docs/TRAINING.md):
 *
 * <pre>
 *   "finetune": {"iterations": 2000, "batchSize": 8, "baseLr": 0.0002, "headLr": 0.1,
 *                "model": "...", "output": "...", "checkpoint": "...", "log": "..."}
 * </pre>
 *
 * Defaults: the file's {@code iterations} and {@code batchSize}; the model, output, checkpoint
 * directory and log of {@link StageFiles} (finetune starts from {@code OUTPUT-contexts} when it
 * exists, else from the file's {@code model}; it writes {@code OUTPUT-finetune}, joint
 * {@code OUTPUT-joint}); the unary's base lr 0.1 x the file's {@code baseLr} for {@code finetune}
 * (DESIGN.md section 1 "Training"), the file's {@code baseLr} for {@code joint}; the head's base lr
 * {@link #FINETUNE_HEAD_LR} for {@code finetune} (the same factor 0.1 on the head stages' SGD lr 1),
 * {@link #JOINT_HEAD_LR} for {@code joint}. With its own {@code output}, the log defaults to
 * {@code OUTPUT-training-log.csv} beside it.
 *
 * @param classWeights median-frequency class weights in the loss (default: the file's {@code classWeights})
 * @param headLr the head's base lr (poly schedule of the same length; SGD, momentum 0.9, wd 5e-4)
 * @param model the starting model the file names, or null for {@link StageFiles#start} when the stage begins
 * @param files the run's files
 */
public record FinetuneConfig(Stage stage, long iterations, int batchSize, double baseLr, double headLr, Path model,
    Path output, Path checkpointDir, Path log, boolean classWeights, StageFiles files) {

  public static final String FINETUNE_KEY = "finetune";
  public static final String JOINT_KEY = "joint";
  /** Stage finetune's unary lr as a fraction of stage unary's (DESIGN.md). */
  public static final double FINETUNE_LR_FACTOR = 0.1;
  public static final double FINETUNE_HEAD_LR = 0.1;
  public static final double JOINT_HEAD_LR = 1;

  /**
   * The model the stage starts from: the file's, or else (looked up now, when the stage begins: an
   * earlier stage of the same run may just have written it) {@link StageFiles#start}.
   */
  @Override
  public Path model() {
    return model != null ? model : files.start(stage);
  }

  /** The settings of {@code stage} ({@code finetune} or {@code joint}) in {@code file}, whose base part is {@code base}. */
  public static FinetuneConfig read(Path file, UnaryTrainingConfig base, Stage stage) throws IOException {
    RunConfig c = RunConfig.read(file);
    return stage == Stage.FINETUNE ? c.finetune() : c.joint();
  }

  /** The settings of {@code stage} in the run file's top object {@code root}. */
  static FinetuneConfig of(StrictJson.Obj root, UnaryTrainingConfig base, Stage stage) throws IOException {
    if (stage != Stage.FINETUNE && stage != Stage.JOINT) {
      throw new IllegalArgumentException("no whole-network settings for stage " + stage.id());
    }
    StrictJson.Obj o = root.objectOrEmpty(stage == Stage.FINETUNE ? FINETUNE_KEY : JOINT_KEY)
        .only("iterations", "batchSize", "baseLr", "headLr", "model", "output", "checkpoint", "log", "classWeights");
    double lr = o.has("baseLr") ? o.positive("baseLr")
        : base.baseLr() * (stage == Stage.FINETUNE ? FINETUNE_LR_FACTOR : 1);
    double headLr = o.has("headLr") ? o.positive("headLr")
        : stage == Stage.FINETUNE ? FINETUNE_HEAD_LR : JOINT_HEAD_LR;
    StageFiles files = new StageFiles(base);
    Path output = o.has("output") ? o.path("output") : files.output(stage);
    Path log = o.has("log") ? o.path("log")
        : o.has("output") ? output.resolveSibling(output.getFileName() + "-training-log.csv") : files.log(stage);
    return new FinetuneConfig(stage,
        o.has("iterations") ? o.integer("iterations", 1) : base.iterations(),
        o.has("batchSize") ? o.smallInteger("batchSize", 1) : base.batchSize(),
        lr, headLr,
        o.has("model") ? o.path("model") : null,
        output,
        o.has("checkpoint") ? o.path("checkpoint") : files.checkpoint(stage),
        log,
        o.has("classWeights") ? o.bool("classWeights") : base.classWeights(),
        files);
  }
}
