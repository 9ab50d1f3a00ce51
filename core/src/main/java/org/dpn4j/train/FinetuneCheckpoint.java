package org.dpn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.Safetensors;
import org.dpn4j.model.DpnModel;

/**
 * A run of stage {@code finetune} or {@code joint} as a directory, replaced atomically as
 * {@link Checkpoint}'s (same mechanism, {@link Checkpoint#replaceDirectory}):
 *
 * <pre>
 *   ckpt/
 *     checkpoint.json        format "dpn4j-checkpoint" 1, stage, iteration, seed, loss,
 *                            schedule + optimiser (the unary's SGD), headSchedule + headOptimiser
 *                            + headOptimiserSteps (the head's)
 *     model/                 the whole model (DpnModel.save): unary and head
 *     optimiser.safetensors  unary.NAME/momentum per trainable unary parameter, head.b12.w_rgb/momentum, ...
 * </pre>
 */
public final class FinetuneCheckpoint {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FinetuneCheckpoint() {}

  /** Saves {@code trainer}'s model, both optimisers' state and its counters as {@code dir}. */
  public static void save(Path dir, FinetuneTrainer trainer) throws IOException {
    Checkpoint.replaceDirectory(dir, tmp -> writeContent(tmp, trainer));
  }

  /**
   * The model saved in checkpoint {@code dir} and a trainer at the saved iteration with the saved
   * stage, schedules, loss, seed and optimiser state; the stage's start (b13's noise) is not
   * applied again. The caller closes both (the trainer first).
   */
  public static FinetuneTrainer load(Path dir) throws IOException {
    Path source = Checkpoint.readable(dir);
    Path stateFile = source.resolve(Checkpoint.STATE_FILE);
    JsonNode root = Checkpoint.readState(dir, stateFile);
    Checkpoint.Fields f = new Checkpoint.Fields(stateFile);
    String stage = f.text(root, "stage");
    if (!Checkpoint.FORMAT.equals(f.text(root, "format")) || f.integer(root, "formatVersion") != Checkpoint.FORMAT_VERSION
        || !(stage.equals(Stage.FINETUNE.id()) || stage.equals(Stage.JOINT.id()))) {
      throw new IOException(stateFile + ": not a " + Checkpoint.FORMAT + " version " + Checkpoint.FORMAT_VERSION
          + " checkpoint of stage finetune or joint (stage '" + stage + "')");
    }
    PolySchedule schedule = Checkpoint.readSchedule(f, root);
    CrossEntropy loss = Checkpoint.readLoss(f, root);
    Sgd sgd = UnaryCheckpoint.readSgd(f, f.object(root, "optimiser"));
    PolySchedule headSchedule = Checkpoint.readSchedule(f, root, "headSchedule");
    Optimiser headOptimiser = Checkpoint.readOptimiser(f, f.object(root, "headOptimiser"));
    DpnModel model = DpnModel.load(source.resolve(UnaryCheckpoint.MODEL_DIR));
    FinetuneTrainer t = null;
    try {
      t = new FinetuneTrainer(model, Stage.parse(stage), sgd, schedule, headOptimiser, headSchedule, loss,
          f.integer(root, "seed"), f.integer(root, "iteration"));
      Safetensors st = Safetensors.open(source.resolve(Checkpoint.OPTIMISER_FILE));
      UnaryCheckpoint.readMomentum(st, t.unarySgd());
      Checkpoint.readOptimiserState(st, f, f.object(root, "headOptimiserSteps"), model.head(), headOptimiser);
      return t;
    } catch (IOException | RuntimeException e) {
      if (t != null) {
        t.close();
      }
      model.close();
      throw e;
    }
  }

  private static void writeContent(Path dir, FinetuneTrainer t) throws IOException {
    t.model().save(dir.resolve(UnaryCheckpoint.MODEL_DIR));
    ObjectNode steps = JSON.createObjectNode();
    List<Safetensors.Tensor> buffers = new ArrayList<>(UnaryCheckpoint.momentumTensors(t.unarySgd()));
    buffers.addAll(Checkpoint.optimiserTensors(t.model().head(), t.headOptimiser(), steps));
    Safetensors.write(dir.resolve(Checkpoint.OPTIMISER_FILE), buffers,
        Map.of("format", Checkpoint.FORMAT, "formatVersion", String.valueOf(Checkpoint.FORMAT_VERSION)));
    ObjectNode root = JSON.createObjectNode();
    root.put("format", Checkpoint.FORMAT);
    root.put("formatVersion", Checkpoint.FORMAT_VERSION);
    root.put("stage", t.stage().id());
    root.put("iteration", t.iteration());
    root.put("seed", t.seed());
    Checkpoint.writeScheduleAndLoss(root, t.schedule(), t.loss());
    UnaryCheckpoint.writeSgd(root.putObject("optimiser"), t.sgd());
    Checkpoint.writeSchedule(root.putObject("headSchedule"), t.headSchedule());
    Checkpoint.writeOptimiser(root.putObject("headOptimiser"), t.headOptimiser());
    root.set("headOptimiserSteps", steps);
    AtomicFiles.write(dir.resolve(Checkpoint.STATE_FILE),
        (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
