package org.dpn4j.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dpn4j.head.DpnHead;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.Safetensors;
import org.dpn4j.io.TextFiles;

/**
 * A head-training run's state as a directory, so that a run stopped after any step resumes to
 * exactly the parameters of an uninterrupted one:
 *
 * <pre>
 *   ckpt/
 *     checkpoint.json        format, stage, iteration, seed, schedule, loss, optimiser settings and step counts
 *     head.safetensors       every head parameter (frozen ones too), named as in a model file
 *     optimiser.safetensors  the optimiser's buffers, "head.b12.w_rgb/momentum", ...
 * </pre>
 *
 * <p>{@link #save} writes the three files into a hidden sibling directory and then swaps it in by
 * renames (the old checkpoint is moved aside, the new one renamed into place, the old one deleted):
 * a reader never sees a mixture of two checkpoints. Should the process die between the two
 * renames, {@link #load} finds the previous checkpoint in the aside directory.
 */
public final class Checkpoint {

  public static final String FORMAT = "dpn4j-checkpoint";
  public static final int FORMAT_VERSION = 1;
  public static final String STATE_FILE = "checkpoint.json";
  public static final String HEAD_FILE = "head.safetensors";
  public static final String OPTIMISER_FILE = "optimiser.safetensors";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private Checkpoint() {}

  /** Whether {@code dir} holds a checkpoint (of any stage). */
  public static boolean exists(Path dir) {
    return Files.exists(dir.resolve(STATE_FILE));
  }

  /**
   * Checks that {@code --resume} fits {@code dir}: a resumed run needs a checkpoint there, a new run
   * must not overwrite one.
   */
  public static void checkResume(Path dir, boolean resume) {
    boolean saved = exists(dir);
    if (resume != saved) {
      throw new IllegalArgumentException(resume
          ? "--resume: " + dir + " holds no checkpoint"
          : dir + " already holds a checkpoint: add --resume to continue it, or remove it");
    }
  }

  /** Saves {@code trainer}'s state as the directory {@code dir}, replacing an existing checkpoint there. */
  public static void save(Path dir, HeadTrainer trainer) throws IOException {
    replaceDirectory(dir, tmp -> writeContent(tmp, trainer));
  }

  /** Writes the content of a directory; may throw. */
  @FunctionalInterface
  interface DirectoryWriter {
    void write(Path dir) throws IOException;
  }

  /**
   * Makes {@code dir} hold what {@code writer} writes, atomically for a reader: the content goes
   * into a hidden sibling, which then replaces {@code dir} by renames (the old one moved aside
   * first, deleted last). {@link #readable} finds the aside copy after a crash between the renames.
   */
  static void replaceDirectory(Path dir, DirectoryWriter writer) throws IOException {
    Path target = dir.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    Path aside = aside(target);
    try {
      Files.createDirectory(tmp);
      writer.write(tmp);
      if (Files.exists(target)) {
        // Without a target, an aside copy is the last good checkpoint: it stays until the new one is in.
        deleteTree(aside);
        move(target, aside);
      }
      move(tmp, target);
      deleteTree(aside);
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * Restores a run saved by {@link #save}: copies the head parameters into {@code head} (built with
   * the same labels, b12 options and b13 sizes as the saved one) and returns a trainer at the saved
   * iteration with the saved stage, seed, schedule, loss and optimiser state. The stage's start
   * (b13's noise) is not applied again.
   */
  public static HeadTrainer load(Path dir, DpnHead head) throws IOException {
    Path source = readable(dir);
    Path stateFile = source.resolve(STATE_FILE);
    JsonNode root = readState(dir, stateFile);
    Fields f = new Fields(stateFile);
    if (!FORMAT.equals(f.text(root, "format")) || f.integer(root, "formatVersion") != FORMAT_VERSION) {
      throw new IOException(stateFile + ": not a " + FORMAT + " version " + FORMAT_VERSION + " file");
    }
    Stage stage;
    try {
      stage = Stage.parse(f.text(root, "stage"));
    } catch (IllegalArgumentException e) {
      throw new IOException(stateFile + ": " + e.getMessage(), e);
    }
    PolySchedule schedule = readSchedule(f, root);
    CrossEntropy loss = readLoss(f, root);
    Optimiser optimiser = readOptimiser(f, f.object(root, "optimiser"));
    readHead(source.resolve(HEAD_FILE), head);
    readOptimiserState(source.resolve(OPTIMISER_FILE), f, f.object(root, "optimiserSteps"), head, optimiser);
    return new HeadTrainer(head, stage, optimiser, schedule, loss, f.integer(root, "seed"), f.integer(root, "iteration"));
  }

  /** {@code dir}, or its aside copy when a crash came between {@link #replaceDirectory}'s renames. */
  static Path readable(Path dir) {
    Path aside = aside(dir.toAbsolutePath());
    return !Files.exists(dir) && Files.isDirectory(aside) ? aside : dir;
  }

  private static Path aside(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".old");
  }

  private static void writeContent(Path dir, HeadTrainer t) throws IOException {
    DpnHead head = t.head();
    List<Safetensors.Tensor> params = new ArrayList<>();
    for (HeadParameter hp : HeadParameter.values()) {
      float[] values = hp.values(head);
      params.add(Safetensors.Tensor.ofFloats(hp.tensorName(head), new long[] {values.length}, values));
    }
    ObjectNode steps = JSON.createObjectNode();
    List<Safetensors.Tensor> buffers = optimiserTensors(head, t.optimiser(), steps);
    Map<String, String> meta = Map.of("format", FORMAT, "formatVersion", String.valueOf(FORMAT_VERSION));
    Safetensors.write(dir.resolve(HEAD_FILE), params, meta);
    Safetensors.write(dir.resolve(OPTIMISER_FILE), buffers, meta);
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", FORMAT_VERSION);
    root.put("stage", t.stage().id());
    root.put("iteration", t.iteration());
    root.put("seed", t.seed());
    writeScheduleAndLoss(root, t.schedule(), t.loss());
    writeOptimiser(root.putObject("optimiser"), t.optimiser());
    root.set("optimiserSteps", steps);
    AtomicFiles.write(dir.resolve(STATE_FILE), (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The head optimiser's buffers as tensors {@code NAME/BUFFER} ({@code head.b12.w_rgb/momentum});
   * each parameter's step count goes into {@code steps} under its name.
   */
  static List<Safetensors.Tensor> optimiserTensors(DpnHead head, Optimiser optimiser, ObjectNode steps) {
    List<Safetensors.Tensor> buffers = new ArrayList<>();
    for (HeadParameter hp : HeadParameter.values()) {
      String name = hp.tensorName(head);
      Optimiser.State s = optimiser.state(hp.values(head));
      if (s != null) {
        steps.put(name, s.steps());
        s.buffers().forEach((b, v) -> buffers.add(Safetensors.Tensor.ofFloats(name + "/" + b, new long[] {v.length}, v)));
      }
    }
    return buffers;
  }

  /** The state file of checkpoint {@code dir}, parsed; errors name the file. */
  static JsonNode readState(Path dir, Path stateFile) throws IOException {
    try {
      return JSON.readTree(TextFiles.read(stateFile));
    } catch (NoSuchFileException e) {
      throw new IOException(dir + " is not a checkpoint: " + stateFile + " is missing", e);
    } catch (JsonProcessingException e) {
      throw new IOException(stateFile + ": invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The state file's "schedule" and "loss" objects (shared by every stage's checkpoint). */
  static void writeScheduleAndLoss(ObjectNode root, PolySchedule schedule, CrossEntropy ce) {
    writeSchedule(root.putObject("schedule"), schedule);
    ObjectNode loss = root.putObject("loss");
    loss.put("ignore", ce.ignore());
    double[] cw = ce.classWeights();
    if (cw == null) {
      loss.putNull("classWeights");
    } else {
      ArrayNode a = loss.putArray("classWeights");
      for (double w : cw) {
        a.add(w);
      }
    }
  }

  static PolySchedule readSchedule(Fields f, JsonNode root) throws IOException {
    return readSchedule(f, root, "schedule");
  }

  /** The schedule in object {@code key} of {@code root}: base, maxIterations, power. */
  static PolySchedule readSchedule(Fields f, JsonNode root, String key) throws IOException {
    JsonNode sched = f.object(root, key);
    return new PolySchedule(f.number(sched, "base"), f.integer(sched, "maxIterations"), f.number(sched, "power"));
  }

  static void writeSchedule(ObjectNode o, PolySchedule schedule) {
    o.put("base", schedule.base());
    o.put("maxIterations", schedule.maxIterations());
    o.put("power", schedule.power());
  }

  static CrossEntropy readLoss(Fields f, JsonNode root) throws IOException {
    JsonNode loss = f.object(root, "loss");
    return new CrossEntropy((int) f.integer(loss, "ignore"), f.numbersOrNull(loss, "classWeights"));
  }

  static void writeOptimiser(ObjectNode o, Optimiser opt) {
    if (opt instanceof Sgd s) {
      o.put("kind", "sgd");
      o.put("momentum", s.momentum());
      o.put("weightDecay", s.weightDecay());
    } else if (opt instanceof Adam a) {
      o.put("kind", "adam");
      o.put("beta1", a.beta1());
      o.put("beta2", a.beta2());
      o.put("eps", a.eps());
      o.put("weightDecay", a.weightDecay());
    }
  }

  static Optimiser readOptimiser(Fields f, JsonNode o) throws IOException {
    String kind = f.text(o, "kind");
    return switch (kind) {
      case "sgd" -> new Sgd((float) f.number(o, "momentum"), (float) f.number(o, "weightDecay"));
      case "adam" -> new Adam(f.number(o, "beta1"), f.number(o, "beta2"), f.number(o, "eps"),
          (float) f.number(o, "weightDecay"));
      default -> throw new IOException(f.file + ": unknown optimiser kind '" + kind + "' (sgd, adam)");
    };
  }

  private static void readHead(Path file, DpnHead head) throws IOException {
    Safetensors st = Safetensors.open(file);
    for (HeadParameter hp : HeadParameter.values()) {
      float[] into = hp.values(head);
      float[] saved = floats(st, hp.tensorName(head), into.length);
      System.arraycopy(saved, 0, into, 0, into.length);
    }
  }

  private static void readOptimiserState(Path file, Fields f, JsonNode steps, DpnHead head, Optimiser optimiser)
      throws IOException {
    readOptimiserState(Safetensors.open(file), f, steps, head, optimiser);
  }

  /** Restores the head optimiser's state of every parameter named in {@code steps} from {@code st}. */
  static void readOptimiserState(Safetensors st, Fields f, JsonNode steps, DpnHead head, Optimiser optimiser)
      throws IOException {
    Path file = st.path();
    for (HeadParameter hp : HeadParameter.values()) {
      String name = hp.tensorName(head);
      if (!steps.has(name)) {
        continue;
      }
      float[] param = hp.values(head);
      Map<String, float[]> buffers = new LinkedHashMap<>();
      String prefix = name + "/";
      for (Safetensors.Info info : st.tensors()) {
        if (info.name().startsWith(prefix)) {
          buffers.put(info.name().substring(prefix.length()), floats(st, info.name(), param.length));
        }
      }
      try {
        optimiser.restore(param, new Optimiser.State(f.integer(steps, name), buffers));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ", " + name + ": " + e.getMessage(), e);
      }
    }
  }

  static float[] floats(Safetensors st, String name, int expected) throws IOException {
    if (st.tensors().stream().noneMatch(i -> i.name().equals(name))) {
      throw new IOException(st.path() + ": tensor '" + name + "' is missing");
    }
    float[] v = st.floats(name);
    if (v.length != expected) {
      throw new IOException(st.path() + ": tensor '" + name + "' has " + v.length + " values, the head has "
          + expected + " (another label count, window or b13 size?)");
    }
    return v;
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  /** Required fields of the state file, with errors naming the file and the key. */
  record Fields(Path file) {
    JsonNode get(JsonNode node, String key) throws IOException {
      JsonNode v = node.get(key);
      if (v == null) {
        throw new IOException(file + ": missing key '" + key + "'");
      }
      return v;
    }

    String text(JsonNode node, String key) throws IOException {
      JsonNode v = get(node, key);
      if (!v.isTextual()) {
        throw new IOException(file + ": '" + key + "' must be a string");
      }
      return v.asText();
    }

    long integer(JsonNode node, String key) throws IOException {
      JsonNode v = get(node, key);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw new IOException(file + ": '" + key + "' must be an integer");
      }
      return v.asLong();
    }

    boolean bool(JsonNode node, String key) throws IOException {
      JsonNode v = get(node, key);
      if (!v.isBoolean()) {
        throw new IOException(file + ": '" + key + "' must be true or false");
      }
      return v.asBoolean();
    }

    double number(JsonNode node, String key) throws IOException {
      JsonNode v = get(node, key);
      if (!v.isNumber()) {
        throw new IOException(file + ": '" + key + "' must be a number");
      }
      return v.asDouble();
    }

    JsonNode object(JsonNode node, String key) throws IOException {
      JsonNode v = get(node, key);
      if (!v.isObject()) {
        throw new IOException(file + ": '" + key + "' must be an object");
      }
      return v;
    }

    double[] numbersOrNull(JsonNode node, String key) throws IOException {
      JsonNode v = get(node, key);
      if (v.isNull()) {
        return null;
      }
      if (!v.isArray()) {
        throw new IOException(file + ": '" + key + "' must be an array of numbers or null");
      }
      double[] a = new double[v.size()];
      for (int i = 0; i < a.length; i++) {
        if (!v.get(i).isNumber()) {
          throw new IOException(file + ": '" + key + "' must be an array of numbers or null");
        }
        a[i] = v.get(i).asDouble();
      }
      return a;
    }
  }
}
