package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.data.LabelSet;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.testing.Integration;
import org.dpn4j.train.UnaryTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's training cases: a crop larger than the images and a batch larger than the machine are
 * refused before anything loads (exit 2); a run whose loss goes NaN stops within one iteration
 * naming the iteration and the last good checkpoint (exit 1), the model is not saved, and that
 * checkpoint still resumes.
 */
@Integration
class TrainGuardsCommandTest {

  @TempDir Path dir;

  @Test
  void aCropLargerThanTheImagesIsRefusedBeforeLoading() throws IOException {
    // No model at "init": the refusal comes before the model (and the engine) would load.
    assertRefusedBeforeLoading("""
        {"crop": {"height": 2000, "width": 3000}}""", "crop 2000 x 3000", "360 x 480", "720 x 960");
  }

  @Test
  void aBatchLargerThanTheMachineIsRefusedWithTheFigures() throws IOException {
    assertRefusedBeforeLoading("""
        {"batchSize": 100000, "crop": {"height": 512, "width": 512}}""",
        "a batch of 100000 crops of 512 x 512 needs about", "GB", "more than this machine's");
  }

  /** The base run with {@code changes} exits 2 (bad input), its message holding every one of {@code phrases}. */
  private void assertRefusedBeforeLoading(String changes, String... phrases) throws IOException {
    Path cfg = TrainRuns.write(dir, TrainRuns.config(changes));
    CommandRun run = TrainRuns.train("--config", cfg.toString(), "--stage", "unary");
    assertEquals(2, run.exitCode(), run.toString());
    for (String phrase : phrases) {
      assertTrue(run.err().contains(phrase), phrase + " missing: " + run);
    }
  }

  @Test
  void aDivergedRunStopsNamingTheIterationAndItsLastGoodCheckpointResumes() throws IOException {
    try (DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      m.save(dir.resolve("init"));
    }
    ObjectNode c = TrainRuns.config();
    c.put("baseLr", 1e6).put("iterations", 8).put("classWeights", false);
    ((ObjectNode) c.get("checkpoint")).put("interval", 1);
    CommandRun run = TrainRuns.train("--config", TrainRuns.write(dir, c).toString(), "--stage", "unary");
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("the run diverged") && run.err().contains("not saved")
        && run.err().contains(dir.resolve("ckpt").toString()), run.toString());
    assertFalse(Files.exists(dir.resolve("out")), "a diverged model is not saved as trained");
    List<String> log = Files.readAllLines(dir.resolve("out-training-log.csv"));
    long rows = log.size() - 1;
    assertTrue(rows < 8, "stopped before the end: " + log);
    assertTrue(log.stream().skip(1).noneMatch(l -> l.contains("nan") || l.contains("inf")), log.toString());
    try (UnaryTrainer t = UnaryTrainer.resume(dir.resolve("ckpt")); DpnModel m = t.model()) {
      assertTrue(t.iteration() >= 1 && t.iteration() <= rows, t.iteration() + " of " + rows);
      m.tensors().forEach((n, v) -> {
        for (float f : v.values()) {
          assertTrue(Float.isFinite(f), n);
        }
      });
    }
  }
}
