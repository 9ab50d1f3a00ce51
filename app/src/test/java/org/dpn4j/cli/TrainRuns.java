package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.testing.SharedData;

/**
 * The {@code dpn train --config} tests' run configuration and runs: one base configuration (4
 * CamVid training frames of ../shared/data, the model at {@code init}, 64 x 96 crops, 4 iterations,
 * files relative to the configuration's folder), of which each test states only what it changes.
 */
final class TrainRuns {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The base configuration; dataset.root is set to the shared CamVid folder. */
  private static final String BASE = """
      {"model": "init",
       "dataset": {"kind": "camvid", "root": "ROOT", "split": "train", "samples": 4},
       "crop": {"height": 64, "width": 96},
       "batchSize": 2, "baseLr": 0.003, "iterations": 4, "seed": 1, "classWeights": true,
       "checkpoint": {"dir": "ckpt", "interval": 2},
       "output": "out", "workers": 1}
      """;

  private TrainRuns() {}

  /** The base configuration. */
  static ObjectNode config() throws IOException {
    ObjectNode c = (ObjectNode) JSON.readTree(BASE);
    ((ObjectNode) c.get("dataset")).put("root", SharedData.path("camvid").toAbsolutePath().toString());
    return c;
  }

  /** The base configuration with {@code changes}, a JSON object, merged in (an object's keys one by one). */
  static ObjectNode config(String changes) throws IOException {
    return JSON.readerForUpdating(config()).readValue(changes);
  }

  /** Writes {@code c} as {@code dir/cfg.json}; returns that file. */
  static Path write(Path dir, ObjectNode c) throws IOException {
    return write(dir, "cfg.json", c);
  }

  /** Writes {@code c} as {@code dir/name}; returns that file. */
  static Path write(Path dir, String name, ObjectNode c) throws IOException {
    return Files.writeString(dir.resolve(name), c.toPrettyString());
  }

  /** {@code dpn train --threads 1 ARGS} through {@link Main}'s command line. */
  static CommandRun train(String... args) {
    List<String> all = new ArrayList<>(List.of("train", "--threads", "1"));
    all.addAll(List.of(args));
    return CommandRun.of(Main.commandLine(), all.toArray(String[]::new));
  }

  /** {@code --stage stage} with configuration {@code c} (written in {@code dir}) fails naming the file and {@code message}. */
  static void assertRefused(Path dir, ObjectNode c, String stage, String message) throws IOException {
    Path cfg = write(dir, c);
    CommandRun run = train("--config", cfg.toString(), "--stage", stage);
    assertTrue(run.exitCode() != 0 && run.err().contains(cfg.toString()) && run.err().contains(message),
        run.toString());
  }
}
