package org.dpn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;

class HeadTrainerTest {

  private static final CrossEntropy LOSS = CrossEntropy.unweighted(TinyProblem.IGNORE);

  @Test
  void stagesTrainThePaperParameters() {
    assertEquals(Set.of(), Stage.UNARY.headParameters());
    assertEquals(Set.of(HeadParameter.B12_COLOUR, HeadParameter.B12_POSITION), Stage.TRIPLE.headParameters());
    assertEquals(Set.of(HeadParameter.B13), Stage.CONTEXTS.headParameters());
    assertEquals(Set.of(HeadParameter.values()), Stage.FINETUNE.headParameters());
    assertEquals(Set.of(HeadParameter.values()), Stage.JOINT.headParameters());
    assertEquals("full", Stage.CONTEXTS.trained());
    assertEquals("triple", Stage.TRIPLE.trained());
    assertEquals(Stage.FINETUNE, Stage.parse("finetune"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stage.parse("crf"));
    assertTrue(e.getMessage().contains("crf") && e.getMessage().contains("contexts"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> HeadTrainer.start(TinyProblem.head(), Stage.UNARY, Sgd.defaults(), new PolySchedule(1, 10), LOSS, 0));
  }

  @Test
  void tripleStageLeavesB13BitIdentical() {
    DpnHead head = TinyProblem.head();
    Map<HeadParameter, float[]> before = snapshot(head);
    train(head, Stage.TRIPLE, 5, 0);
    assertArrayEquals(before.get(HeadParameter.B13), HeadParameter.B13.values(head));
    assertFalse(before.get(HeadParameter.B12_COLOUR)[0] == head.b12().wRgb()[0], "w_rgb moved");
    assertFalse(before.get(HeadParameter.B12_POSITION)[0] == head.b12().wXy()[0], "w_xy moved");
  }

  @Test
  void contextsStageAddsSeededNoiseAndLeavesB12BitIdentical() {
    DpnHead head = TinyProblem.head();
    Map<HeadParameter, float[]> before = snapshot(head);
    HeadTrainer t = HeadTrainer.start(head, Stage.CONTEXTS, Sgd.defaults(), new PolySchedule(1, 10), LOSS, 42);
    LabelContexts expected = new LabelContexts(TinyProblem.LABELS, 2, 5);
    expected.addComponentNoise(42);
    assertArrayEquals(expected.weights(), head.b13().weights(), "the start adds the seeded noise once");

    for (int i = 0; i < 5; i++) {
      TinyProblem.Sample s = TinyProblem.sample(i);
      t.step(s.p(), s.image(), s.labels());
    }
    assertArrayEquals(before.get(HeadParameter.B12_COLOUR), head.b12().wRgb());
    assertArrayEquals(before.get(HeadParameter.B12_POSITION), head.b12().wXy());
    assertFalse(Arrays.equals(expected.weights(), head.b13().weights()), "b13 moved");
  }

  @Test
  void stepUsesThePolyScheduleAndCountsIterations() {
    DpnHead head = TinyProblem.head();
    HeadTrainer t = HeadTrainer.start(head, Stage.TRIPLE, Sgd.defaults(), new PolySchedule(0.5, 4), LOSS, 0);
    TinyProblem.Sample s = TinyProblem.sample(3);
    for (int i = 0; i < 4; i++) {
      HeadTrainer.Step step = t.step(s.p(), s.image(), s.labels());
      assertEquals(i, step.iteration());
      assertEquals((float) (0.5 * Math.pow(1 - i / 4.0, 0.9)), step.lr(), 0);
      assertTrue(Double.isFinite(step.loss()) && step.loss() > 0);
    }
    assertEquals(4, t.iteration());
  }

  /** Stage 2 then stage 3 on the tiny problem: each lowers the held-out loss, and the head beats the unary. */
  @Test
  void tripleThenContextsLowerTheLossAndBeatTheUnary() {
    DpnHead head = TinyProblem.head();
    double[] initial = evaluate(head);
    train(head, Stage.TRIPLE, 200, 7);
    double[] triple = evaluate(head);
    train(head, Stage.CONTEXTS, 200, 7);
    double[] contexts = evaluate(head);
    double[] unary = evaluateUnary();

    assertTrue(triple[0] < initial[0] - 0.02, "triple lowers the loss: " + initial[0] + " -> " + triple[0]);
    assertTrue(triple[1] > unary[1] + 0.02, "triple beats the unary: " + unary[1] + " vs " + triple[1]);
    assertTrue(contexts[0] < triple[0] / 2, "contexts lower the loss: " + triple[0] + " -> " + contexts[0]);
    assertTrue(contexts[1] > 0.9 && contexts[1] > unary[1] + 0.2,
        "contexts beat the unary: " + unary[1] + " vs " + contexts[1]);
    // Measured when written: loss 0.829 -> 0.749 -> 0.012 (unary 0.817), accuracy 0.632 (unary) -> 0.673 -> 0.996.
  }

  private static void train(DpnHead head, Stage stage, int steps, long seed) {
    HeadTrainer t = HeadTrainer.start(head, stage, Sgd.defaults(), new PolySchedule(1, steps), LOSS, seed);
    for (int i = 0; i < steps; i++) {
      TinyProblem.Sample s = TinyProblem.sample(1000 * (stage.ordinal() + 1) + i);
      t.step(s.p(), s.image(), s.labels());
    }
  }

  /** Mean loss and pixel accuracy of the head over 10 held-out samples. */
  private static double[] evaluate(DpnHead head) {
    double[] r = new double[2];
    for (int i = 0; i < 10; i++) {
      TinyProblem.Sample s = TinyProblem.sample(i);
      Maps out = head.forward(s.p(), s.image()).b15();
      r[0] += LOSS.ofProbabilities(out, s.labels()).loss() / 10;
      r[1] += TinyProblem.accuracy(out, s.labels()) / 10;
    }
    return r;
  }

  private static double[] evaluateUnary() {
    double[] r = new double[2];
    for (int i = 0; i < 10; i++) {
      TinyProblem.Sample s = TinyProblem.sample(i);
      r[0] += LOSS.ofProbabilities(s.p(), s.labels()).loss() / 10;
      r[1] += TinyProblem.accuracy(s.p(), s.labels()) / 10;
    }
    return r;
  }

  private static Map<HeadParameter, float[]> snapshot(DpnHead head) {
    Map<HeadParameter, float[]> m = new EnumMap<>(HeadParameter.class);
    for (HeadParameter hp : HeadParameter.values()) {
      m.put(hp, hp.values(head).clone());
    }
    return m;
  }
}
