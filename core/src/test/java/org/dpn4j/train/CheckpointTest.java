package org.dpn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.head.TriplePenalty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir Path tmp;

  private static HeadTrainer begin(Stage stage, Optimiser opt) {
    CrossEntropy loss = new CrossEntropy(TinyProblem.IGNORE, new double[] {1.5, 0.75, 1});
    return HeadTrainer.start(TinyProblem.head(), stage, opt, new PolySchedule(0.5, 20), loss, 99);
  }

  /** Steps to {@code until}; the sample of an iteration depends only on the run's seed and the iteration. */
  private static void run(HeadTrainer t, long until) {
    while (t.iteration() < until) {
      TinyProblem.Sample s = TinyProblem.sample(t.seed() * 1000 + t.iteration());
      t.step(s.p(), s.image(), s.labels());
    }
  }

  /** A run of {@code stage} begun, stepped to {@code steps} and saved to {@code dir}. */
  private static HeadTrainer savedAfter(Stage stage, Optimiser opt, long steps, Path dir) throws IOException {
    HeadTrainer t = begin(stage, opt);
    run(t, steps);
    t.saveCheckpoint(dir);
    return t;
  }

  @Test
  void resumingGivesBitIdenticalParameters() throws IOException {
    for (Stage stage : new Stage[] {Stage.TRIPLE, Stage.CONTEXTS, Stage.FINETUNE}) {
      for (boolean adam : new boolean[] {false, true}) {
        HeadTrainer straight = begin(stage, adam ? Adam.defaults() : Sgd.defaults());
        run(straight, 20);

        Path dir = tmp.resolve(stage.id() + "-" + adam);
        savedAfter(stage, adam ? Adam.defaults() : Sgd.defaults(), 10, dir);
        HeadTrainer resumed = HeadTrainer.resume(dir, TinyProblem.head());
        assertEquals(10, resumed.iteration());
        assertEquals(stage, resumed.stage());
        assertEquals(99, resumed.seed());
        assertEquals(straight.schedule(), resumed.schedule());
        assertArrayEquals(straight.loss().classWeights(), resumed.loss().classWeights());
        assertEquals(straight.optimiser().getClass(), resumed.optimiser().getClass());
        run(resumed, 20);

        for (HeadParameter hp : HeadParameter.values()) {
          assertArrayEquals(hp.values(straight.head()), hp.values(resumed.head()), stage + " " + adam + " " + hp);
          assertEquals(straight.optimiser().state(hp.values(straight.head())) == null,
              resumed.optimiser().state(hp.values(resumed.head())) == null);
        }
      }
    }
  }

  @Test
  void aCheckpointIsADirectoryReplacedAsAWhole() throws IOException {
    Path dir = tmp.resolve("ckpt");
    HeadTrainer t = savedAfter(Stage.TRIPLE, Sgd.defaults(), 3, dir);
    run(t, 5);
    t.saveCheckpoint(dir);
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("ckpt"), s.map(p -> p.getFileName().toString()).toList(), "no temporary left");
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(Set.of(Checkpoint.HEAD_FILE, Checkpoint.STATE_FILE, Checkpoint.OPTIMISER_FILE),
          s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    String json = Files.readString(dir.resolve(Checkpoint.STATE_FILE));
    assertTrue(json.contains("\"iteration\" : 5") && json.contains("\"stage\" : \"triple\""), json);
    assertEquals(5, HeadTrainer.resume(dir, TinyProblem.head()).iteration());
  }

  /** A crash between moving the old checkpoint aside and renaming the new one in leaves the old one readable. */
  @Test
  void theCheckpointMovedAsideIsFound() throws IOException {
    Path dir = tmp.resolve("ckpt");
    HeadTrainer t = savedAfter(Stage.TRIPLE, Sgd.defaults(), 2, dir);
    Files.move(dir, tmp.resolve(".ckpt.old"));
    assertFalse(Files.exists(dir));
    assertEquals(2, HeadTrainer.resume(dir, TinyProblem.head()).iteration());

    run(t, 4);
    t.saveCheckpoint(dir);
    assertEquals(4, HeadTrainer.resume(dir, TinyProblem.head()).iteration());
    assertFalse(Files.exists(tmp.resolve(".ckpt.old")), "the aside copy goes once the new one is in");
  }

  @Test
  void badCheckpointsAreNamed() throws IOException {
    Path dir = tmp.resolve("ckpt");
    savedAfter(Stage.CONTEXTS, Sgd.defaults(), 1, dir);

    DpnHead otherLabels = new DpnHead(
        new TriplePenalty(4, TriplePenalty.Options.defaults()), new LabelContexts(4, 2, 5));
    IOException e = assertThrows(IOException.class, () -> HeadTrainer.resume(dir, otherLabels));
    assertTrue(e.getMessage().contains("head.b13.weight") && e.getMessage().contains(Checkpoint.HEAD_FILE),
        e.getMessage());

    Path state = dir.resolve(Checkpoint.STATE_FILE);
    Files.writeString(state, Files.readString(state).replace("\"contexts\"", "\"crf\""));
    e = assertThrows(IOException.class, () -> HeadTrainer.resume(dir, TinyProblem.head()));
    assertTrue(e.getMessage().contains(Checkpoint.STATE_FILE) && e.getMessage().contains("crf"), e.getMessage());

    Files.writeString(state, "{\"format\" : \"dpn4j-checkpoint\"}");
    e = assertThrows(IOException.class, () -> HeadTrainer.resume(dir, TinyProblem.head()));
    assertTrue(e.getMessage().contains("formatVersion"), e.getMessage());

    e = assertThrows(IOException.class, () -> HeadTrainer.resume(tmp.resolve("nothing"), TinyProblem.head()));
    assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
  }
}
