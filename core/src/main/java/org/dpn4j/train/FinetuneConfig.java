package org.dpn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

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
 */
public record FinetuneConfig(Stage stage, long iterations, int batchSize, double baseLr, double headLr, Path model,
    Path output, Path checkpointDir, Path log, boolean classWeights) {

  public static final String FINETUNE_KEY = "finetune";
  public static final String JOINT_KEY = "joint";
  /** Stage finetune's unary lr as a fraction of stage unary's (DESIGN.md). */
  public static final double FINETUNE_LR_FACTOR = 0.1;
  public static final double FINETUNE_HEAD_LR = 0.1;
  public static final double JOINT_HEAD_LR = 1;

  /** Reads the settings of {@code stage} ({@code finetune} or {@code joint}) from {@code file}, whose base is {@code base}. */
  public static FinetuneConfig read(Path file, UnaryTrainingConfig base, Stage stage) throws IOException {
    if (stage != Stage.FINETUNE && stage != Stage.JOINT) {
      throw new IllegalArgumentException("no whole-network settings for stage " + stage.id());
    }
    String key = stage == Stage.FINETUNE ? FINETUNE_KEY : JOINT_KEY;
    JsonNode root = UnaryTrainingConfig.parse(file);
    UnaryTrainingConfig.Keys k = new UnaryTrainingConfig.Keys(file, file.toAbsolutePath().getParent());
    JsonNode o = root.has(key) ? k.object(root, "", key) : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    String p = key + ".";
    k.only(o, p, Set.of("iterations", "batchSize", "baseLr", "headLr", "model", "output", "checkpoint", "log",
        "classWeights"));
    double lr = o.has("baseLr") ? positive(k, o, p, "baseLr")
        : base.baseLr() * (stage == Stage.FINETUNE ? FINETUNE_LR_FACTOR : 1);
    double headLr = o.has("headLr") ? positive(k, o, p, "headLr")
        : stage == Stage.FINETUNE ? FINETUNE_HEAD_LR : JOINT_HEAD_LR;
    StageFiles files = new StageFiles(base);
    Path output = o.has("output") ? k.path(o, p, "output") : files.output(stage);
    Path log = o.has("log") ? k.path(o, p, "log")
        : o.has("output") ? output.resolveSibling(output.getFileName() + "-training-log.csv") : files.log(stage);
    return new FinetuneConfig(stage,
        o.has("iterations") ? k.integer(o, p, "iterations", 1) : base.iterations(),
        o.has("batchSize") ? k.smallInteger(o, p, "batchSize", 1) : base.batchSize(),
        lr, headLr,
        o.has("model") ? k.path(o, p, "model") : files.start(stage),
        output,
        o.has("checkpoint") ? k.path(o, p, "checkpoint") : files.checkpoint(stage),
        log,
        o.has("classWeights") ? k.bool(o, p, "classWeights") : base.classWeights());
  }

  private static double positive(UnaryTrainingConfig.Keys k, JsonNode o, String prefix, String key) throws IOException {
    double v = k.number(o, prefix, key);
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IOException(k.file() + ": '" + prefix + key + "' must be a positive number, got " + v);
    }
    return v;
  }
}
