package org.dpn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training log: no duplicate rows after a resume; a non-finite loss or parameter stops the run. */
class TrainingLogTest {

  @TempDir Path tmp;

  @Test
  void aResumedRunsLogHasNoDuplicateRows() throws IOException {
    Path csv = tmp.resolve("log.csv");
    try (TrainingLog log = TrainingLog.quiet(csv, TrainingLog.Layout.HEAD, null)) {
      for (int i = 0; i < 4; i++) {
        log.step("triple", i, 4, 1.0 / (i + 1), 1, 0);
      }
      for (int i = 0; i < 7; i++) {
        log.step("contexts", i, 10, 0.5, 1, 0);
      }
    }
    // The run died after contexts iteration 6; its checkpoint holds iteration 5: steps 5 and 6 come again.
    try (TrainingLog log = TrainingLog.quiet(csv, TrainingLog.Layout.HEAD, new CsvLog.Resume("contexts", 5))) {
      for (int i = 5; i < 10; i++) {
        log.step("contexts", i, 10, 0.25, 1, 0);
      }
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals(1 + 4 + 10, lines.size(), String.join("\n", lines));
    for (int i = 0; i < 10; i++) {
      assertTrue(lines.get(5 + i).startsWith(i + ",contexts,"), lines.get(5 + i));
    }
    assertEquals("0,triple,1.00000,1.00000", lines.get(1));
  }

  @Test
  void aTemporalLogWithoutStageIsCutAtTheIteration() throws IOException {
    Path csv = tmp.resolve("t.csv");
    Files.writeString(csv, "iteration,loss,lr\n0,1,1\n1,1,1\n2,1,1\n3,1");
    try (TrainingLog log = TrainingLog.quiet(csv, TrainingLog.Layout.TEMPORAL, new CsvLog.Resume(null, 2))) {
      log.step("temporal", 2, 3, 0.5, 1, 0);
    }
    assertEquals(List.of("iteration,loss,lr", "0,1,1", "1,1,1", "2,0.500000,1.00000"), Files.readAllLines(csv));
  }

  /** A triple run of the tiny problem, 3 steps, saved as tmp/ckpt. */
  private HeadTrainer savedAtIteration3() throws IOException {
    HeadTrainer t = LegacyRuns.headRun(Stage.TRIPLE, Sgd.defaults());
    LegacyRuns.headSteps(t, 3);
    t.saveCheckpoint(tmp.resolve("ckpt"));
    return t;
  }

  @Test
  void aNonFiniteLossStopsTheRunNamingTheIterationAndTheLastGoodCheckpoint() throws IOException {
    HeadTrainer t = savedAtIteration3();
    Path ckpt = tmp.resolve("ckpt");
    Path csv = tmp.resolve("log.csv");
    try (TrainingLog log = TrainingLog.quiet(csv, TrainingLog.Layout.HEAD, null)) {
      log.checkpoint(ckpt, 3);
      log.step("triple", 3, 10, 2.6e14, 1, 0);
      TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> log.step("triple", 4, 10, Double.NaN, 1, 0));
      assertTrue(e.getMessage().contains("the loss is NaN at iteration 4") && e.getMessage().contains(ckpt.toString())
          && e.getMessage().contains("(iteration 3)") && e.getMessage().contains("not saved"), e.getMessage());
    }
    assertEquals(2, Files.readAllLines(csv).size(), "no row for the diverged step");
    TrainingDiverged none = assertThrows(TrainingDiverged.class,
        () -> TrainingDiverged.checkLoss(Double.POSITIVE_INFINITY, "unary", 0, tmp.resolve("nothing")));
    assertTrue(none.getMessage().contains("no checkpoint was saved"), none.getMessage());
  }

  @Test
  void aCheckpointWithNonFiniteParametersIsNotWrittenAndTheLastGoodOneResumes() throws IOException {
    HeadTrainer t = savedAtIteration3();
    Path ckpt = tmp.resolve("ckpt");
    float[] good = t.head().b12().wRgb().clone();
    LegacyRuns.headSteps(t, 4);
    t.head().b12().wRgb()[0] = Float.NaN;
    TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> t.saveCheckpoint(ckpt));
    assertTrue(e.getMessage().contains("head.b12.w_rgb") && e.getMessage().contains("NaN")
        && e.getMessage().contains("(iteration 3)"), e.getMessage());
    HeadTrainer resumed = HeadTrainer.resume(ckpt, TinyProblem.head());
    assertEquals(3, resumed.iteration());
    assertArrayEquals(good, resumed.head().b12().wRgb());
  }
}
