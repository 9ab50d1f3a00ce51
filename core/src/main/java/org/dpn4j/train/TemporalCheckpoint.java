package org.dpn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.Safetensors;
import org.dpn4j.head.DpnHead3d;

/**
 * A spatio-temporal head training run's state as a directory, laid out and replaced as {@link
 * Checkpoint}'s (the same atomic swap of a hidden sibling directory):
 *
 * <pre>
 *   ckpt/
 *     checkpoint.json        format, iteration, seed, 3D b13 size, temporal taps only, schedule, loss, optimiser settings and step counts
 *     head.safetensors       the 3D head's parameters, named as in a model file (head.temporal.*)
 *     optimiser.safetensors  the optimiser's buffers, "head.temporal.b13.weight/momentum", ...
 * </pre>
 *
 * A run resumed from it continues to exactly the parameters of an uninterrupted one.
 */
public final class TemporalCheckpoint {

  public static final String FORMAT = "dpn4j-temporal-checkpoint";
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TemporalCheckpoint() {}

  /** Saves {@code t}'s state as the directory {@code dir}, replacing an existing checkpoint there. */
  public static void save(Path dir, TemporalHeadTrainer t) throws IOException {
    Checkpoint.replaceDirectory(dir, tmp -> write(tmp, t));
  }

  private static void write(Path dir, TemporalHeadTrainer t) throws IOException {
    List<Safetensors.Tensor> params = new ArrayList<>();
    List<Safetensors.Tensor> buffers = new ArrayList<>();
    ObjectNode steps = JSON.createObjectNode();
    for (TemporalHeadTrainer.Parameter p : TemporalHeadTrainer.Parameter.values()) {
      String name = p.tensorName();
      float[] values = p.values(t.head());
      params.add(Safetensors.Tensor.ofFloats(name, new long[] {values.length}, values));
      Optimiser.State s = t.optimiser().state(values);
      if (s != null) {
        steps.put(name, s.steps());
        s.buffers().forEach((b, v) -> buffers.add(Safetensors.Tensor.ofFloats(name + "/" + b, new long[] {v.length}, v)));
      }
    }
    Map<String, String> meta = Map.of("format", FORMAT, "formatVersion", String.valueOf(FORMAT_VERSION));
    Safetensors.write(dir.resolve(Checkpoint.HEAD_FILE), params, meta);
    Safetensors.write(dir.resolve(Checkpoint.OPTIMISER_FILE), buffers, meta);
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", FORMAT_VERSION);
    root.put("iteration", t.iteration());
    root.put("seed", t.seed());
    root.put("contextSize", t.head().b13().size());
    root.put("temporalTapsOnly", t.temporalTapsOnly());
    Checkpoint.writeScheduleAndLoss(root, t.schedule(), t.lossFunction());
    Checkpoint.writeOptimiser(root.putObject("optimiser"), t.optimiser());
    root.set("optimiserSteps", steps);
    AtomicFiles.write(dir.resolve(Checkpoint.STATE_FILE),
        (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Restores a run saved by {@link #save}: copies the parameters into {@code head} (same labels, K
   * and 3D b13 size as the saved one) and returns a trainer at the saved iteration with the saved
   * seed, schedule, loss and optimiser state.
   */
  public static TemporalHeadTrainer load(Path dir, DpnHead3d head) throws IOException {
    Path source = Checkpoint.readable(dir);
    Path stateFile = source.resolve(Checkpoint.STATE_FILE);
    JsonNode root = Checkpoint.readState(dir, stateFile);
    Checkpoint.Fields f = new Checkpoint.Fields(stateFile);
    if (!FORMAT.equals(f.text(root, "format")) || f.integer(root, "formatVersion") != FORMAT_VERSION) {
      throw new IOException(stateFile + ": not a " + FORMAT + " version " + FORMAT_VERSION + " file");
    }
    long size = f.integer(root, "contextSize");
    if (size != head.b13().size()) {
      throw new IOException(stateFile + ": the checkpoint's 3D b13 is " + size + " x " + size + " x 3, the head's "
          + head.b13().size() + ": resume with the same --context");
    }
    Optimiser optimiser = Checkpoint.readOptimiser(f, f.object(root, "optimiser"));
    Safetensors params = Safetensors.open(source.resolve(Checkpoint.HEAD_FILE));
    Safetensors buffers = Safetensors.open(source.resolve(Checkpoint.OPTIMISER_FILE));
    JsonNode steps = f.object(root, "optimiserSteps");
    for (TemporalHeadTrainer.Parameter p : TemporalHeadTrainer.Parameter.values()) {
      String name = p.tensorName();
      float[] into = p.values(head);
      System.arraycopy(Checkpoint.floats(params, name, into.length), 0, into, 0, into.length);
      if (steps.has(name)) {
        Map<String, float[]> b = new LinkedHashMap<>();
        for (Safetensors.Info info : buffers.tensors()) {
          if (info.name().startsWith(name + "/")) {
            b.put(info.name().substring(name.length() + 1), Checkpoint.floats(buffers, info.name(), into.length));
          }
        }
        try {
          optimiser.restore(into, new Optimiser.State(f.integer(steps, name), b));
        } catch (IllegalArgumentException e) {
          throw new IOException(buffers.path() + ", " + name + ": " + e.getMessage(), e);
        }
      }
    }
    return new TemporalHeadTrainer(head, optimiser, Checkpoint.readSchedule(f, root), Checkpoint.readLoss(f, root),
        f.integer(root, "seed"), f.bool(root, "temporalTapsOnly"), f.integer(root, "iteration"));
  }
}
