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
    JsonNode opt = f.object(root, "optimiser");
    if (!"sgd".equals(f.text(opt, "kind"))) {
      throw new IOException(stateFile + ": optimiser.kind must be 'sgd' for stage unary");
    }
    Sgd sgd = new Sgd((float) f.number(opt, "momentum"), (float) f.number(opt, "weightDecay"));
    DpnModel model = DpnModel.load(source.resolve(MODEL_DIR));
    UnaryTrainer t = new UnaryTrainer(model, sgd, schedule, loss, f.integer(root, "seed"), f.integer(root, "iteration"));
    try {
      readMomentum(source.resolve(Checkpoint.OPTIMISER_FILE), t);
      return t;
    } catch (IOException | RuntimeException e) {
      t.close();
      model.close();
      throw e;
    }
  }

  private static void writeContent(Path dir, UnaryTrainer t) throws IOException {
    t.model().save(dir.resolve(MODEL_DIR));
    List<Safetensors.Tensor> buffers = new ArrayList<>();
    for (Map.Entry<String, float[]> e : t.momentumBuffers().entrySet()) {
      buffers.add(Safetensors.Tensor.ofFloats(
          DpnModel.UNARY_PREFIX + e.getKey() + BUFFER, new long[] {e.getValue().length}, e.getValue()));
    }
    Safetensors.write(dir.resolve(Checkpoint.OPTIMISER_FILE), buffers,
        Map.of("format", Checkpoint.FORMAT, "formatVersion", String.valueOf(Checkpoint.FORMAT_VERSION)));
    ObjectNode root = JSON.createObjectNode();
    root.put("format", Checkpoint.FORMAT);
    root.put("formatVersion", Checkpoint.FORMAT_VERSION);
    root.put("stage", Stage.UNARY.id());
    root.put("iteration", t.iteration());
    root.put("seed", t.seed());
    Checkpoint.writeScheduleAndLoss(root, t.schedule(), t.loss());
    ObjectNode opt = root.putObject("optimiser");
    opt.put("kind", "sgd");
    opt.put("momentum", t.sgd().momentum());
    opt.put("weightDecay", t.sgd().weightDecay());
    Files.writeString(dir.resolve(Checkpoint.STATE_FILE), JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
  }

  private static void readMomentum(Path file, UnaryTrainer t) throws IOException {
    Safetensors st = Safetensors.open(file);
    for (String name : t.trainableNames()) {
      String tensor = DpnModel.UNARY_PREFIX + name + BUFFER;
      if (st.tensors().stream().noneMatch(i -> i.name().equals(tensor))) {
        throw new IOException(file + ": tensor '" + tensor + "' is missing");
      }
      try {
        t.restoreMomentum(name, st.floats(tensor));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    }
  }
}
