package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.LabelSet;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.train.Checkpoint;
import org.dpn4j.train.Sgd;
import org.dpn4j.train.UnaryStageRun;
import org.dpn4j.train.UnaryTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dpn train --config CFG.json --stage unary} on 4 CamVid frames, 64 x 96 crops, vgg-lite. */
@Integration
class TrainUnaryCommandTest {

  @TempDir Path dir;

  @Test
  void trainsTheUnaryWritesModelLogAndCheckpointAndRefusesToRedo() throws IOException {
    float[] headWeights;
    try (DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      m.save(dir.resolve("init"));
      headWeights = m.head().b13().weights().clone();
    }
    Path cfg = TrainRuns.write(dir, TrainRuns.config());
    CommandRun run = TrainRuns.train("--config", cfg.toString(), "--stage", "unary");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.err().contains("unary    iteration 4/4"), run.toString());
    try (DpnModel out = DpnModel.load(dir.resolve("out"))) {
      assertArrayEquals(headWeights, out.head().b13().weights());
      assertEquals("unary", out.config().trained());
    }
    assertEquals(5, Files.readAllLines(dir.resolve("out-training-log.csv")).size());
    assertTrue(Files.exists(dir.resolve("ckpt").resolve(Checkpoint.STATE_FILE)));

    Files.move(dir.resolve("out"), dir.resolve("out0"));
    CommandRun again = TrainRuns.train("--config", cfg.toString(), "--stage", "unary");
    assertTrue(again.exitCode() != 0 && again.err().contains("add --resume"), again.toString());
    CommandRun longer = TrainRuns.train("--config", cfg.toString(), "--stage", "unary", "--resume", "--iterations", "8");
    assertTrue(longer.exitCode() != 0 && longer.err().contains("started for 4 iterations"), longer.toString());

    // A run stopped at iteration 2 and resumed by the command ends where the uninterrupted one did.
    Path half = dir.resolve("half");
    try (UnaryTrainer done = UnaryTrainer.resume(dir.resolve("ckpt")); DpnModel doneModel = done.model();
        DpnModel init = DpnModel.load(dir.resolve("init"));
        UnaryTrainer t = UnaryTrainer.start(init, Sgd.defaults(), done.schedule(), done.loss(), done.seed())) {
      Dataset camvid = Datasets.open("camvid", SharedData.path("camvid"));
      new UnaryStageRun(camvid, camvid.samples("train").subList(0, 4),
          Augmentation.training(64, 96, init.config().input().normalisation(), camvid.labels().ignore()), 2, 1)
          .run(t, 2, half, 0, dir.resolve("half.csv"));
    }
    ObjectNode c = TrainRuns.config();
    ((ObjectNode) c.get("checkpoint")).put("dir", "half");
    c.put("output", "out2");
    CommandRun resumed = TrainRuns.train("--config", TrainRuns.write(dir, c).toString(), "--stage", "unary", "--resume");
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(resumed.err().contains("unary    iteration 4/4"), resumed.toString());
    try (DpnModel a = DpnModel.load(dir.resolve("out0")); DpnModel b = DpnModel.load(dir.resolve("out2"))) {
      a.tensors().forEach((n, v) -> assertArrayEquals(v.values(), b.tensors().get(n).values(), n));
    }
  }

  @Test
  void badConfigurationsAreRefusedNamingTheKey() throws IOException {
    assertRefused(c -> ((ObjectNode) c.get("dataset")).remove("root"), "missing key 'dataset.root'");
    assertRefused(c -> c.put("batchSize", 0), "'batchSize' must be an integer >= 1");
    assertRefused(c -> c.put("baseLr", "high"), "'baseLr' must be a number");
    assertRefused(c -> c.put("classWeights", 1), "'classWeights' must be true or false");
    assertRefused(c -> ((ObjectNode) c.get("crop")).put("heigth", 64), "unknown key 'crop.heigth'");
    assertRefused(c -> c.put("iterations", 2.5), "'iterations' must be an integer");
    Path cfg = TrainRuns.write(dir, TrainRuns.config());
    CommandRun noStage = TrainRuns.train("--config", cfg.toString());
    assertTrue(noStage.exitCode() != 0 && noStage.err().contains("--config needs --stage"), noStage.toString());
    CommandRun both = TrainRuns.train("--config", cfg.toString(), "--stage", "unary", "--head-only");
    assertTrue(both.exitCode() != 0 && both.err().contains("exclude each other"), both.toString());
    CommandRun stray = TrainRuns.train("--config", cfg.toString(), "--stage", "unary", "--lr", "0.1");
    assertTrue(stray.exitCode() != 0 && stray.err().contains("--lr is a --head-only option"), stray.toString());
  }

  private void assertRefused(java.util.function.Consumer<ObjectNode> change, String message) throws IOException {
    ObjectNode c = TrainRuns.config();
    change.accept(c);
    TrainRuns.assertRefused(dir, c, "unary", message);
  }
}
