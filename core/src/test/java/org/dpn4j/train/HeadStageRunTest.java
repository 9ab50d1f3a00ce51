package org.dpn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;

class HeadStageRunTest {

  private static final CrossEntropy LOSS = CrossEntropy.unweighted(TinyProblem.IGNORE);

  /** Five images told apart by their labels' first value (the image index). */
  private static final HeadStageRun.Examples FIVE = new HeadStageRun.Examples() {
    @Override
    public int size() {
      return 5;
    }

    @Override
    public HeadStageRun.Example get(int index) {
      TinyProblem.Sample s = TinyProblem.sample(index);
      int[] labels = s.labels().clone();
      labels[0] = 100 + index;
      return new HeadStageRun.Example(s.p(), s.image(), labels);
    }
  };

  private static HeadStageRun run(long seed) {
    return new HeadStageRun(new HeadStageRun.Settings(List.of(Stage.TRIPLE, Stage.CONTEXTS), 20, 1, Sgd::defaults,
        LOSS, seed, null, 0), FIVE, (stage, step, total) -> {});
  }

  /** The image index of an example, mirrored or not. */
  private static int index(HeadStageRun.Example e) {
    int w = e.image().w;
    return e.labels()[0] >= 100 ? e.labels()[0] - 100 : e.labels()[w - 1] - 100;
  }

  @Test
  void eachPassVisitsEveryImageOnceInASeededOrder() throws IOException {
    HeadStageRun r = run(3);
    List<Integer> order = new ArrayList<>();
    int mirrored = 0;
    for (int it = 0; it < 20; it++) {
      HeadStageRun.Example e = r.example(Stage.TRIPLE, it);
      order.add(index(e));
      mirrored += e.labels()[0] >= 100 ? 0 : 1;
    }
    for (int pass = 0; pass < 4; pass++) {
      assertEquals(Set.of(0, 1, 2, 3, 4), new HashSet<>(order.subList(5 * pass, 5 * pass + 5)), order.toString());
    }
    assertNotEquals(order.subList(0, 5), order.subList(5, 10), "a new order per pass");
    assertTrue(mirrored > 3 && mirrored < 17, mirrored + " of 20 mirrored");
    for (int it = 0; it < 20; it++) {
      assertEquals(order.get(it), index(run(3).example(Stage.TRIPLE, it)), "the same for the same seed");
    }
    List<Integer> other = new ArrayList<>();
    for (int it = 0; it < 20; it++) {
      other.add(index(run(4).example(Stage.TRIPLE, it)));
    }
    assertNotEquals(order, other, "another seed, another order");
  }

  @Test
  void mirroringFlipsProbabilitiesImageAndLabelsAlike() {
    TinyProblem.Sample s = TinyProblem.sample(1);
    HeadStageRun.Example m = new HeadStageRun.Example(s.p(), s.image(), s.labels()).mirrored();
    int w = TinyProblem.W;
    for (int y = 0; y < TinyProblem.H; y++) {
      for (int x = 0; x < w; x++) {
        assertEquals(s.labels()[y * w + x], m.labels()[y * w + w - 1 - x]);
        assertEquals(s.p().get(2, y, x), m.p().get(2, y, w - 1 - x));
        assertEquals(s.image().get(1, y, x), m.image().get(1, y, w - 1 - x));
      }
    }
    assertArrayEquals(s.labels(), m.mirrored().labels());
  }

  @Test
  void settingsRefuseUnaryStagesAndBadCounts() {
    assertThrows(IllegalArgumentException.class,
        () -> new HeadStageRun.Settings(List.of(Stage.FINETUNE), 5, 1, Sgd::defaults, LOSS, 0, null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new HeadStageRun.Settings(List.of(Stage.TRIPLE), 0, 1, Sgd::defaults, LOSS, 0, null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new HeadStageRun.Settings(List.of(Stage.TRIPLE), 5, 1, Sgd::defaults, LOSS, 0, null, -1));
  }
}
