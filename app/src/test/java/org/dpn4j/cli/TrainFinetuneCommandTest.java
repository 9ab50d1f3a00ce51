package org.dpn4j.cli;

import org.dpn4j.testing.Integration;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.dpn4j.data.LabelSet;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dpn train --config CFG.json --stage finetune} and {@code --joint-from-start} on 4 CamVid
 * frames, 48 x 64 crops, vgg-lite, 2 iterations each.
 */
@Integration
class TrainFinetuneCommandTest {

  @TempDir Path dir;

  /** The models in {@code dir/full} (head trained) and {@code dir/init} (head initial), larger batches, 2 steps a stage. */
  private static ObjectNode config() throws IOException {
    return TrainRuns.config("""
        {"model": "full", "crop": {"height": 48, "width": 64}, "batchSize": 4, "iterations": 6, "classWeights": false,
         "checkpoint": {"interval": 0},
         "finetune": {"iterations": 2, "batchSize": 2, "headLr": 0.5},
         "joint": {"iterations": 2, "batchSize": 2, "model": "init", "output": "joint", "checkpoint": "joint-ckpt"}}
        """);
  }

  void saveModels() throws IOException {
    try (DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      m.save(dir.resolve("init"));
      m.setTrained("full", "contexts");
      m.save(dir.resolve("full"));
    }
  }

  @Test
  void finetuneAndJointTrainTheWholeNetworkAndMarkTheModel() throws IOException {
    saveModels();
    Path cfg = TrainRuns.write(dir, config());
    CommandRun run = TrainRuns.train("--config", cfg.toString(), "--stage", "finetune");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.err().contains("finetune iteration 2/2"), run.toString());
    try (DpnModel out = DpnModel.load(dir.resolve("out-finetune"))) {
      assertEquals("full", out.config().trained());
      assertEquals("finetune", out.config().lastStage());
    }
    List<String> log = Files.readAllLines(dir.resolve("out-finetune-training-log.csv"));
    assertEquals(3, log.size());
    // The unary's lr: 0.1 x baseLr by default.
    assertEquals(0.0003, Double.parseDouble(log.get(1).split(",")[2]), 1e-12);
    assertEquals("finetune", log.get(1).split(",")[1], "the log names its stage");
    assertTrue(Files.readString(dir.resolve("ckpt-finetune").resolve(Checkpoint.STATE_FILE))
        .contains("\"finetune\""));
    Files.move(dir.resolve("out-finetune"), dir.resolve("out0"));
    CommandRun again = TrainRuns.train("--config", cfg.toString(), "--stage", "finetune");
    assertTrue(again.exitCode() != 0 && again.err().contains("add --resume"), again.toString());
    CommandRun longer = TrainRuns.train("--config", cfg.toString(), "--stage", "finetune", "--resume", "--iterations", "5");
    assertTrue(longer.exitCode() != 0 && longer.err().contains("started for 2 iterations"), longer.toString());

    CommandRun joint = TrainRuns.train("--config", cfg.toString(), "--joint-from-start");
    assertEquals(0, joint.exitCode(), joint.toString());
    assertTrue(joint.err().contains("joint    iteration 2/2"), joint.toString());
    try (DpnModel out = DpnModel.load(dir.resolve("joint"))) {
      assertEquals("full", out.config().trained());
      assertEquals("joint", out.config().lastStage());
    }
    assertEquals(0.003, Double.parseDouble(Files.readAllLines(dir.resolve("joint-training-log.csv")).get(1).split(",")[2]),
        1e-12);

    // A joint checkpoint is not continued as a finetune run.
    ObjectNode c = config();
    ((ObjectNode) c.get("finetune")).put("checkpoint", "joint-ckpt").put("output", "out3");
    CommandRun mixed = TrainRuns.train("--config", TrainRuns.write(dir, c).toString(), "--stage", "finetune", "--resume");
    assertTrue(mixed.exitCode() != 0 && mixed.err().contains("holds a run of stage joint"), mixed.toString());
  }

  @Test
  void badSettingsAreRefusedWithClearMessages() throws IOException {
    saveModels();
    assertRefused(c -> ((ObjectNode) c.get("finetune")).put("baseLr", -1), "'finetune.baseLr' must be a positive number");
    assertRefused(c -> ((ObjectNode) c.get("finetune")).put("lr", 0.1), "unknown key 'finetune.lr'");
    assertRefused(c -> ((ObjectNode) c.get("finetune")).put("iterations", 0), "'finetune.iterations' must be an integer >= 1");
    assertRefused(c -> c.put("finetune", 3), "'finetune' must be an object");
    ObjectNode c = config();
    c.put("model", "init");
    CommandRun untrained = TrainRuns.train("--config", TrainRuns.write(dir, c).toString(), "--stage", "finetune");
    assertTrue(untrained.exitCode() != 0 && untrained.err().contains("--joint-from-start"), untrained.toString());
    Path cfg = TrainRuns.write(dir, config());
    CommandRun both = TrainRuns.train("--config", cfg.toString(), "--joint-from-start", "--stage", "finetune");
    assertTrue(both.exitCode() != 0 && both.err().contains("leave out --stage"), both.toString());
    CommandRun headOnly = TrainRuns.train("--head-only", "--joint-from-start", "--data", "d", "--probs", "p", "--out", "o");
    assertTrue(headOnly.exitCode() != 0 && headOnly.err().contains("use it with --config"), headOnly.toString());
    CommandRun resume = TrainRuns.train("--config", cfg.toString(), "--stage", "finetune", "--resume");
    assertTrue(resume.exitCode() != 0 && resume.err().contains("holds no checkpoint"), resume.toString());
  }

  private void assertRefused(Consumer<ObjectNode> change, String message) throws IOException {
    ObjectNode c = config();
    change.accept(c);
    TrainRuns.assertRefused(dir, c, "finetune", message);
  }
}
