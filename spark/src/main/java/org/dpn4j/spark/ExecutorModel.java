package org.dpn4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.dpn4j.model.DpnModel;
import org.dpn4j.util.Parallel;

/**
 * The model of an executor JVM: loaded once, from the copy Spark shipped with the job
 * ({@link SparkFiles}), by the first task that needs it; later tasks reuse it. A model is not
 * thread-safe, so tasks use it one at a time (synchronise on it), each on all the executor's
 * threads.
 */
final class ExecutorModel {

  /** A model and, for the task that loaded it, the seconds the load took (else null). */
  record Loaded(DpnModel model, Double loadSeconds) {}

  private static final Map<String, DpnModel> MODELS = new HashMap<>();

  private ExecutorModel() {}

  /**
   * The model shipped as {@code file}, loaded on first use with {@code threads} engine and kernel
   * threads (null: this executor's cores).
   */
  static synchronized Loaded get(String file, Integer threads) throws IOException {
    Path path = Path.of(SparkFiles.get(file));
    DpnModel model = MODELS.get(path.toString());
    if (model != null) {
      return new Loaded(model, null);
    }
    if (!Files.exists(path)) {
      throw new IOException(path + ": the model shipped with the job is not on this executor (its files: "
          + String.join(", ", new java.io.File(SparkFiles.getRootDirectory()).list()) + ")");
    }
    int n = threads != null ? threads : cores();
    // Before the engine starts: it reads its thread count once.
    Parallel.setThreads(n);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
    long t0 = System.nanoTime();
    model = DpnModel.load(path);
    MODELS.put(path.toString(), model);
    return new Loaded(model, (System.nanoTime() - t0) / 1e9);
  }

  /** The executor's cores: spark.executor.cores when set, else the machine's. */
  private static int cores() {
    SparkEnv env = SparkEnv.get();
    int machine = Runtime.getRuntime().availableProcessors();
    return env == null ? machine : env.conf().getInt("spark.executor.cores", machine);
  }

  /** This JVM's peak resident memory in MiB (Linux: VmHWM of /proc/self/status), or null where unknown. */
  static Long peakMemoryMiB() {
    try {
      List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
      for (String line : status) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return null; // not Linux: the row says unknown
    }
    return null;
  }

  /** The executor's id ("driver" in local mode). */
  static String executorId() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "driver" : env.executorId();
  }
}
