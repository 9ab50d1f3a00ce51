package org.dpn4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpn4j.io.AtomicDirectory;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.Safetensors;
import org.dpn4j.io.StrictJson;
import org.dpn4j.model.DpnModel;

/**
 * The one checkpoint mechanism of every training stage: a run's state as a directory, so that a run
 * stopped after any step resumes to exactly the parameters of an uninterrupted one. Its sections:
 *
 * <pre>
 *   ckpt/
 *     checkpoint.json        format, stage, iteration, seed; the schedule(s), the loss, the optimiser
 *                            settings and step counts (the "schedule" section)
 *     head.safetensors       trained head parameters, named as in a model file (head stages)
 *     model/                 the whole model, DpnModel.save (stages that train the unary)
 *     optimiser.safetensors  the optimiser's state over named tensors: "NAME/BUFFER", e.g.
 *                            "head.b12.w_rgb/momentum", "unary.conv1.weight/momentum"
 * </pre>
 *
 * and the run's CSV log beside it ({@link TrainingLog}), cut back to the checkpoint's iteration when
 * the run resumes. A {@link Writer} collects the sections and swaps the directory in atomically
 * ({@link AtomicDirectory}); a {@link Reader} checks the header and reads them back, every error
 * naming the file and the key. Each trainer says what goes in ({@code saveCheckpoint}) and reads it
 * back ({@code resume}); the layout is the one of the checkpoints written before this class was
 * the only one, which therefore still resume.
 */
public final class Checkpoint {

  public static final String FORMAT = "dpn4j-checkpoint";
  public static final int FORMAT_VERSION = 1;
  public static final String STATE_FILE = "checkpoint.json";
  public static final String HEAD_FILE = "head.safetensors";
  public static final String OPTIMISER_FILE = "optimiser.safetensors";
  public static final String MODEL_DIR = "model";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

  /**
   * Says which checkpoint a diverged run can go back to: "the last good checkpoint is DIR
   * (iteration N), which --resume continues", or that none was saved.
   */
  public static String lastGood(Path dir) {
    if (dir != null && exists(dir)) {
      try {
        return "the last good checkpoint is " + dir + " (iteration " + Reader.open(dir, null).iteration()
            + "), which --resume continues";
      } catch (IOException e) {
        return "the checkpoint " + dir + " cannot be read (" + e.getMessage() + ")";
      }
    }
    return "no checkpoint was saved before it";
  }

  /** A step of resuming that may fail. */
  @FunctionalInterface
  interface Step<T> {
    T apply(T t) throws IOException;
  }

  /**
   * A trainer of {@code model} made by {@code create} and restored by {@code restore}; on failure
   * both the trainer and the model are closed before the error goes on.
   */
  static <T extends BatchTrainer> T resumeOn(DpnModel model, Step<T> create, Step<T> restore) throws IOException {
    T t = null;
    try {
      t = create.apply(null);
      return restore.apply(t);
    } catch (IOException | RuntimeException e) {
      if (t != null) {
        t.close();
      }
      model.close();
      throw e;
    }
  }

  /** The sections of a checkpoint being written; {@link #save} writes them as one directory. */
  public static final class Writer {
    private final String format;
    private final ObjectNode state = JSON.createObjectNode();
    private final Map<String, float[]> params = new LinkedHashMap<>();
    private final Map<String, float[]> buffers = new LinkedHashMap<>();
    private DpnModel model;
    private Path target;

    /** The header: {@code format} version 1, the stage (or null), the iteration and the seed. */
    public Writer(String format, Stage stage, long iteration, long seed) {
      this.format = format;
      state.put("format", format);
      state.put("formatVersion", FORMAT_VERSION);
      if (stage != null) {
        state.put("stage", stage.id());
      }
      state.put("iteration", iteration);
      state.put("seed", seed);
    }

    /** The state file's top object, for a stage's own fields. */
    public ObjectNode state() {
      return state;
    }

    /** A poly schedule as object {@code key}: base, maxIterations, power. */
    public Writer schedule(String key, PolySchedule s) {
      ObjectNode o = state.putObject(key);
      o.put("base", s.base());
      o.put("maxIterations", s.maxIterations());
      o.put("power", s.power());
      return this;
    }

    /** The loss as object "loss": ignore label and class weights (or null). */
    public Writer loss(CrossEntropy ce) {
      ObjectNode loss = state.putObject("loss");
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
      return this;
    }

    /** An optimiser's settings as object {@code key}: kind and its constants. */
    public Writer optimiser(String key, Optimiser opt) {
      ObjectNode o = state.putObject(key);
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
      return this;
    }

    /** Parameters into head.safetensors, by name. */
    public Writer parameters(Map<String, float[]> named) {
      params.putAll(named);
      return this;
    }

    /**
     * {@code opt}'s state of each named parameter: its buffers as {@code NAME/BUFFER} tensors, its
     * step count under {@code NAME} in object {@code stepsKey}.
     */
    public Writer optimiserState(String stepsKey, Map<String, float[]> named, Optimiser opt) {
      ObjectNode steps = state.putObject(stepsKey);
      named.forEach((name, values) -> {
        Optimiser.State s = opt.state(values);
        if (s != null) {
          steps.put(name, s.steps());
          s.buffers().forEach((b, v) -> buffers.put(name + "/" + b, v));
        }
      });
      return this;
    }

    /** Optimiser buffers without step counts (the unary's SGD momentum), as tensors named as given. */
    public Writer buffers(Map<String, float[]> named) {
      buffers.putAll(named);
      return this;
    }

    /** The whole model, saved into model/. */
    public Writer model(DpnModel m) {
      this.model = m;
      return this;
    }

    /**
     * Writes the sections as the directory {@code dir}, replacing a checkpoint there atomically.
     * Non-finite parameters or buffers are refused ({@link TrainingDiverged}): a checkpoint is always
     * one a run can continue from.
     */
    public void save(Path dir) throws IOException {
      target = dir;
      checkFinite();
      Map<String, String> meta = Map.of("format", format, "formatVersion", String.valueOf(FORMAT_VERSION));
      AtomicDirectory.replace(dir, tmp -> {
        if (model != null) {
          model.save(tmp.resolve(MODEL_DIR));
        } else {
          Safetensors.write(tmp.resolve(HEAD_FILE), tensors(params), meta);
        }
        Safetensors.write(tmp.resolve(OPTIMISER_FILE), tensors(buffers), meta);
        AtomicFiles.write(tmp.resolve(STATE_FILE),
            (JSON.writeValueAsString(state) + "\n").getBytes(StandardCharsets.UTF_8));
      });
    }

    private void checkFinite() {
      Map<String, float[]> all = new LinkedHashMap<>(params);
      all.putAll(buffers);
      if (model != null) {
        model.tensors().forEach((n, t) -> all.put(n, t.values()));
      }
      all.forEach((name, v) -> {
        String bad = TrainingDiverged.nonFinite(v);
        if (bad != null) {
          throw new TrainingDiverged("tensor " + name + " holds " + bad + " after iteration "
              + (state.get("iteration").asLong() - 1) + " (the run diverged; try a lower learning rate): the model"
              + " and this checkpoint are not saved; " + lastGood(target));
        }
      });
    }

    private static List<Safetensors.Tensor> tensors(Map<String, float[]> named) {
      List<Safetensors.Tensor> list = new ArrayList<>();
      named.forEach((n, v) -> list.add(Safetensors.Tensor.ofFloats(n, new long[] {v.length}, v)));
      return list;
    }
  }

  /** A checkpoint directory being read: its header checked, its sections on demand. */
  public static final class Reader {
    private final Path source;
    private final Path stateFile;
    private final StrictJson.Obj state;
    private Safetensors optimiserFile;

    private Reader(Path source, Path stateFile, StrictJson.Obj state) {
      this.source = source;
      this.stateFile = stateFile;
      this.state = state;
    }

    /**
     * Opens checkpoint {@code dir} (or the copy a crash left aside), checking that it is a
     * {@code format} (null: any format) version 1 file; a missing directory or file says "not a checkpoint".
     */
    public static Reader open(Path dir, String format) throws IOException {
      Path source = AtomicDirectory.readable(dir);
      Path stateFile = source.resolve(STATE_FILE);
      if (!Files.exists(stateFile)) {
        throw new IOException(dir + " is not a checkpoint: " + stateFile + " is missing");
      }
      StrictJson.Obj s = StrictJson.read(stateFile, "no such checkpoint state file");
      if (format != null && !format.equals(s.text("format")) || s.integer("formatVersion") != FORMAT_VERSION) {
        throw new IOException(stateFile + ": not a " + format + " version " + FORMAT_VERSION + " file");
      }
      return new Reader(source, stateFile, s);
    }

    /** The state file's top object. */
    public StrictJson.Obj state() {
      return state;
    }

    /** The state file (for messages). */
    public Path stateFile() {
      return stateFile;
    }

    /** The saved stage, one of {@code allowed}; anything else is an error naming the file. */
    public Stage stage(Stage... allowed) throws IOException {
      String id = state.text("stage");
      for (Stage s : allowed) {
        if (s.id().equals(id)) {
          return s;
        }
      }
      throw new IOException(stateFile + ": not a " + FORMAT + " version " + FORMAT_VERSION + " checkpoint of stage "
          + String.join(" or ", java.util.Arrays.stream(allowed).map(Stage::id).toList()) + " (stage '" + id + "')");
    }

    public long iteration() throws IOException {
      return state.integer("iteration");
    }

    public long seed() throws IOException {
      return state.integer("seed");
    }

    /** The schedule in object {@code key}. */
    public PolySchedule schedule(String key) throws IOException {
      StrictJson.Obj o = state.object(key);
      return new PolySchedule(o.number("base"), o.integer("maxIterations"), o.number("power"));
    }

    public CrossEntropy loss() throws IOException {
      StrictJson.Obj o = state.object("loss");
      return new CrossEntropy((int) o.integer("ignore"), o.numbersOrNull("classWeights"));
    }

    /** The optimiser in object {@code key} (sgd or adam). */
    public Optimiser optimiser(String key) throws IOException {
      StrictJson.Obj o = state.object(key);
      String kind = o.text("kind");
      return switch (kind) {
        case "sgd" -> new Sgd((float) o.number("momentum"), (float) o.number("weightDecay"));
        case "adam" -> new Adam(o.number("beta1"), o.number("beta2"), o.number("eps"), (float) o.number("weightDecay"));
        default -> throw new IOException(stateFile + ": unknown optimiser kind '" + kind + "' (sgd, adam)");
      };
    }

    /** The SGD in object {@code key}; another kind is an error. */
    public Sgd sgd(String key) throws IOException {
      if (optimiser(key) instanceof Sgd s) {
        return s;
      }
      throw new IOException(stateFile + ": the unary's optimiser kind must be 'sgd'");
    }

    /** Copies each named parameter from head.safetensors into its array (same length). */
    public void parameters(Map<String, float[]> into) throws IOException {
      Safetensors st = Safetensors.open(source.resolve(HEAD_FILE));
      for (Map.Entry<String, float[]> e : into.entrySet()) {
        float[] saved = floats(st, e.getKey(), e.getValue().length);
        System.arraycopy(saved, 0, e.getValue(), 0, saved.length);
      }
    }

    /** Restores {@code opt}'s state of every named parameter that object {@code stepsKey} lists. */
    public void optimiserState(String stepsKey, Map<String, float[]> named, Optimiser opt) throws IOException {
      StrictJson.Obj steps = state.object(stepsKey);
      Safetensors st = optimiserFile();
      for (Map.Entry<String, float[]> e : named.entrySet()) {
        String name = e.getKey();
        if (!steps.has(name)) {
          continue;
        }
        Map<String, float[]> b = new LinkedHashMap<>();
        for (Safetensors.Info info : st.tensors()) {
          if (info.name().startsWith(name + "/")) {
            b.put(info.name().substring(name.length() + 1), floats(st, info.name(), e.getValue().length));
          }
        }
        try {
          opt.restore(e.getValue(), new Optimiser.State(steps.integer(name), b));
        } catch (IllegalArgumentException x) {
          throw new IOException(st.path() + ", " + name + ": " + x.getMessage(), x);
        }
      }
    }

    /** The optimiser buffer {@code name} (any length). */
    public float[] buffer(String name) throws IOException {
      Safetensors st = optimiserFile();
      if (st.tensors().stream().noneMatch(i -> i.name().equals(name))) {
        throw new IOException(st.path() + ": tensor '" + name + "' is missing");
      }
      return st.floats(name);
    }

    /** The optimiser file (for messages). */
    public Path optimiserPath() {
      return source.resolve(OPTIMISER_FILE);
    }

    /** The model in model/ (the caller closes it). */
    public DpnModel model() throws IOException {
      return DpnModel.load(source.resolve(MODEL_DIR));
    }

    private Safetensors optimiserFile() throws IOException {
      if (optimiserFile == null) {
        optimiserFile = Safetensors.open(source.resolve(OPTIMISER_FILE));
      }
      return optimiserFile;
    }

    private static float[] floats(Safetensors st, String name, int expected) throws IOException {
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
  }
}
