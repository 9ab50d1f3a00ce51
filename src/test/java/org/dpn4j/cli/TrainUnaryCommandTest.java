package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.data.LabelSet;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dpn train --config CFG.json --stage unary} on 4 CamVid frames, 64 x 96 crops, vgg-lite. */
class TrainUnaryCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A valid configuration for a model in {@code dir/init}. */
  ObjectNode config() throws IOException {
    ObjectNode c = (ObjectNode) JSON.readTree("""
        {"model": "init",
         "dataset": {"kind": "camvid", "root": "ROOT", "split": "train", "samples": 4},
         "crop": {"height": 64, "width": 96},
         "batchSize": 2, "baseLr": 0.003, "iterations": 4, "seed": 1, "classWeights": true,
         "checkpoint": {"dir": "ckpt", "interval": 2},
         "output": "out", "workers": 1}
        """);
    ((ObjectNode) c.get("dataset")).put("root", Path.of("../shared/data/camvid").toAbsolutePath().toString());
    return c;
  }

  Path write(ObjectNode c) throws IOException {
    Path f = dir.resolve("cfg.json");
    Files.writeString(f, c.toPrettyString());
    return f;
  }

  @Test
  void trainsTheUnaryWritesModelLogAndCheckpointAndRefusesToRedo() throws IOException {
    float[] headWeights;
    try (DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      m.save(dir.resolve("init"));
      headWeights = m.head().b13().weights().clone();
    }
    Path cfg = write(config());
    CommandRun run = train("--config", cfg.toString(), "--stage", "unary");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.err().contains("unary    iteration 4/4"), run.toString());
    try (DpnModel out = DpnModel.load(dir.resolve("out"))) {
      assertArrayEquals(headWeights, out.head().b13().weights());
      assertEquals("unary", out.config().trained());
    }
    assertEquals(5, Files.readAllLines(dir.resolve("out-training-log.csv")).size());
    assertTrue(Files.exists(dir.resolve("ckpt").resolve(Checkpoint.STATE_FILE)));

    Files.move(dir.resolve("out"), dir.resolve("out0"));
    CommandRun again = train("--config", cfg.toString(), "--stage", "unary");
    assertTrue(again.exitCode() != 0 && again.err().contains("add --resume"), again.toString());
    CommandRun longer = train("--config", cfg.toString(), "--stage", "unary", "--resume", "--iterations", "8");
    assertTrue(longer.exitCode() != 0 && longer.err().contains("started for 4 iterations"), longer.toString());
  }

  @Test
  void badConfigurationsAreRefusedNamingTheKey() throws IOException {
    assertRefused(c -> ((ObjectNode) c.get("dataset")).remove("root"), "missing key 'dataset.root'");
    assertRefused(c -> c.put("batchSize", 0), "'batchSize' must be an integer >= 1");
    assertRefused(c -> c.put("baseLr", "high"), "'baseLr' must be a number");
    assertRefused(c -> c.put("classWeights", 1), "'classWeights' must be true or false");
    assertRefused(c -> ((ObjectNode) c.get("crop")).put("heigth", 64), "unknown key 'crop.heigth'");
    assertRefused(c -> c.put("iterations", 2.5), "'iterations' must be an integer");
    Path cfg = write(config());
    CommandRun triple = train("--config", cfg.toString(), "--stage", "triple");
    assertTrue(triple.exitCode() != 0 && triple.err().contains("not available yet"), triple.toString());
    CommandRun both = train("--config", cfg.toString(), "--stage", "unary", "--head-only");
    assertTrue(both.exitCode() != 0 && both.err().contains("exclude each other"), both.toString());
    CommandRun stray = train("--config", cfg.toString(), "--stage", "unary", "--lr", "0.1");
    assertTrue(stray.exitCode() != 0 && stray.err().contains("--lr is a --head-only option"), stray.toString());
  }

  private void assertRefused(java.util.function.Consumer<ObjectNode> change, String message) throws IOException {
    ObjectNode c = config();
    change.accept(c);
    Path cfg = write(c);
    CommandRun run = train("--config", cfg.toString(), "--stage", "unary");
    assertTrue(run.exitCode() != 0 && run.err().contains(cfg.toString()) && run.err().contains(message),
        run.toString());
  }

  private static CommandRun train(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--threads";
    all[1] = "1";
    System.arraycopy(args, 0, all, 2, args.length);
    return CommandRun.of(Main.commandLine(), prefixed(all));
  }

  private static String[] prefixed(String[] args) {
    String[] all = new String[args.length + 1];
    all[0] = "train";
    System.arraycopy(args, 0, all, 1, args.length);
    return all;
  }
}
