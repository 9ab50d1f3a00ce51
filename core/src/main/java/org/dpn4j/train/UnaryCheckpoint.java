package org.dpn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dpn4j.io.Safetensors;
import org.dpn4j.model.DpnModel;

/**
 * A run of stage {@code unary} as a directory, replaced atomically as {@link Checkpoint}'s (same
 * mechanism, {@link Checkpoint#replaceDirectory}):
 *
 * <pre>
 *   ckpt/
 *     checkpoint.json        format "dpn4j-checkpoint" 1, stage "unary", iteration, seed, schedule, loss, optimiser
 *     model/                 the whole model (DpnModel.save): unary and head
 *     optimiser.safetensors  SGD's momentum buffer of every trainable unary parameter, "unary.NAME/momentum"
 * </pre>
 */
public final class UnaryCheckpoint {

  public static final String MODEL_DIR = "model";
  private static final String BUFFER = "/" + Sgd.MOMENTUM;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private UnaryCheckpoint() {}

  /** Saves {@code trainer}'s model, momentum and counters as {@code dir}, replacing a checkpoint there. */
  public static void save(Path dir, UnaryTrainer trainer) throws IOException {
    Checkpoint.replaceDirectory(dir, tmp -> writeContent(tmp, trainer));
  }

  /**
   * The model saved in checkpoint {@code dir} and a trainer at the saved iteration with the saved
   * schedule, loss, seed and momentum. The caller closes both (the trainer first).
   */
  public static UnaryTrainer load(Path dir) throws IOException {
    Path source = Checkpoint.readable(dir);
    Path stateFile = source.resolve(Checkpoint.STATE_FILE);
    JsonNode root = Checkpoint.readState(dir, stateFile);
    Checkpoint.Fields f = new Checkpoint.Fields(stateFile);
    if (!Checkpoint.FORMAT.equals(f.text(root, "format")) || f.integer(root, "formatVersion") != Checkpoint.FORMAT_VERSION
        || !Stage.UNARY.id().equals(f.text(root, "stage"))) {
      throw new IOException(stateFile + ": not a " + Checkpoint.FORMAT + " version " + Checkpoint.FORMAT_VERSION
          + " checkpoint of stage " + Stage.UNARY.id());
    }
    PolySchedule schedule = Checkpoint.readSchedule(f, root);
    CrossEntropy loss = Checkpoint.readLoss(f, root);
    Sgd sgd = readSgd(f, f.object(root, "optimiser"));
    DpnModel model = DpnModel.load(source.resolve(MODEL_DIR));
    UnaryTrainer t = new UnaryTrainer(model, sgd, schedule, loss, f.integer(root, "seed"), f.integer(root, "iteration"));
    try {
      Safetensors st = Safetensors.open(source.resolve(Checkpoint.OPTIMISER_FILE));
      readMomentum(st, t.unarySgd());
      return t;
    } catch (IOException | RuntimeException e) {
      t.close();
      model.close();
      throw e;
    }
  }

  private static void writeContent(Path dir, UnaryTrainer t) throws IOException {
    t.model().save(dir.resolve(MODEL_DIR));
    Safetensors.write(dir.resolve(Checkpoint.OPTIMISER_FILE), momentumTensors(t.unarySgd()),
        Map.of("format", Checkpoint.FORMAT, "formatVersion", String.valueOf(Checkpoint.FORMAT_VERSION)));
    ObjectNode root = JSON.createObjectNode();
    root.put("format", Checkpoint.FORMAT);
    root.put("formatVersion", Checkpoint.FORMAT_VERSION);
    root.put("stage", Stage.UNARY.id());
    root.put("iteration", t.iteration());
    root.put("seed", t.seed());
    Checkpoint.writeScheduleAndLoss(root, t.schedule(), t.loss());
    writeSgd(root.putObject("optimiser"), t.sgd());
    Files.writeString(dir.resolve(Checkpoint.STATE_FILE), JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
  }

  /** The unary's SGD settings ({@code kind "sgd"}, momentum, weight decay) into {@code o}. */
  static void writeSgd(ObjectNode o, Sgd sgd) {
    o.put("kind", "sgd");
    o.put("momentum", sgd.momentum());
    o.put("weightDecay", sgd.weightDecay());
  }

  static Sgd readSgd(Checkpoint.Fields f, JsonNode o) throws IOException {
    if (!"sgd".equals(f.text(o, "kind"))) {
      throw new IOException(f.file() + ": the unary's optimiser kind must be 'sgd'");
    }
    return new Sgd((float) f.number(o, "momentum"), (float) f.number(o, "weightDecay"));
  }

  /** The momentum buffers as tensors {@code unary.NAME/momentum}. */
  static List<Safetensors.Tensor> momentumTensors(UnarySgd sgd) {
    List<Safetensors.Tensor> buffers = new ArrayList<>();
    for (Map.Entry<String, float[]> e : sgd.momentumBuffers().entrySet()) {
      buffers.add(Safetensors.Tensor.ofFloats(
          DpnModel.UNARY_PREFIX + e.getKey() + BUFFER, new long[] {e.getValue().length}, e.getValue()));
    }
    return buffers;
  }

  /** Restores every trainable parameter's momentum from {@code st}'s {@code unary.NAME/momentum}. */
  static void readMomentum(Safetensors st, UnarySgd sgd) throws IOException {
    for (String name : sgd.trainableNames()) {
      String tensor = DpnModel.UNARY_PREFIX + name + BUFFER;
      if (st.tensors().stream().noneMatch(i -> i.name().equals(tensor))) {
        throw new IOException(st.path() + ": tensor '" + tensor + "' is missing");
      }
      try {
        sgd.restoreMomentum(name, st.floats(tensor));
      } catch (IllegalArgumentException e) {
        throw new IOException(st.path() + ": " + e.getMessage(), e);
      }
    }
  }
}
