package org.dpn4j.train;

import org.dpn4j.testing.TestMaps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.value.Maps;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.head.Window;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.head.TriplePenalty3d.Frames;
import org.dpn4j.head.TriplePenalty3d.Neighbour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training the spatio-temporal head: gradients against finite differences, a falling loss, frozen inputs, resume. */
class TemporalHeadTrainerTest {

  private static final int LABELS = 3;
  private static final int H = 10;
  private static final int W = 12;
  private static final int IGNORE = 7;

  @TempDir Path dir;

  private final Random rnd = new Random(5);

  /** A "trained" 2D head: random b12 weights and 5 x 5 contexts near the identity. */
  private DpnHead head2d() {
    TriplePenalty b12 = new TriplePenalty(LABELS, TriplePenalty.Options.builder().window(Window.of(4, 5)).build());
    b12.wRgb()[0] = 1.5f;
    b12.wXy()[0] = 0.7f;
    LabelContexts b13 = new LabelContexts(LABELS, 2, 5);
    float[] k = b13.weights();
    for (int i = 0; i < k.length; i++) {
      k[i] += (float) (0.3 * rnd.nextGaussian());
    }
    return new DpnHead(b12, b13);
  }

  private Maps probabilities() {
    return TestMaps.probabilities(LABELS, H, W, 1, 0.1, rnd);
  }

  private Maps image() {
    Maps m = new Maps(3, H, W);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = rnd.nextFloat();
    }
    return m;
  }

  /** Labels that the neighbours' unary knows better than frame t's: the frame's own p is noisy. */
  private TemporalHeadTrainer.Example example(boolean withNext) {
    int[] labels = new int[H * W];
    for (int j = 0; j < labels.length; j++) {
      labels[j] = j % 17 == 0 ? IGNORE : (j / W / 4 + j % W / 5) % LABELS;
    }
    Maps clean = new Maps(LABELS, H, W);
    for (int j = 0; j < labels.length; j++) {
      int y = labels[j] == IGNORE ? 0 : labels[j];
      for (int v = 0; v < LABELS; v++) {
        clean.data[v * H * W + j] = v == y ? 0.8f : 0.1f;
      }
    }
    Maps img = image();
    return new TemporalHeadTrainer.Example(
        new Frames(probabilities(), img, new Neighbour(clean, img), withNext ? new Neighbour(clean.copy(), img) : null),
        labels);
  }

  private static TemporalHeadTrainer trainer(DpnHead3d head, long iterations) {
    return trainer(head, iterations, false);
  }

  private static TemporalHeadTrainer trainer(DpnHead3d head, long iterations, boolean temporalTapsOnly) {
    return new TemporalHeadTrainer(head, Sgd.defaults(), new PolySchedule(0.5, iterations), CrossEntropy.unweighted(IGNORE),
        3, temporalTapsOnly);
  }

  @Test
  void gradientsOfTheTrainedParametersMatchCentralDifferences() {
    DpnHead3d head = DpnHead3d.from(head2d(), 3);
    float[] k = head.b13().weights();
    for (int i = 0; i < k.length; i++) {
      k[i] += (float) (0.2 * rnd.nextGaussian());
    }
    TemporalHeadTrainer t = trainer(head, 10);
    TemporalHeadTrainer.Example e = example(true);
    TemporalHeadTrainer.Gradients g = t.gradients(e.frames(), e.labels());
    assertEquals(t.loss(e.frames(), e.labels()), g.loss(), 1e-6);
    int checked = 0;
    for (TemporalHeadTrainer.Parameter p : TemporalHeadTrainer.Parameter.values()) {
      float[] x = p.values(head);
      float[] grad = g.parameters().get(p);
      assertEquals(x.length, grad.length, p.toString());
      for (int i = 0; i < x.length; i += p == TemporalHeadTrainer.Parameter.B13 ? 5 : 1) {
        float v = x[i];
        float eps = 1e-2f * Math.max(1, Math.abs(v));
        x[i] = v + eps;
        double plus = t.loss(e.frames(), e.labels());
        x[i] = v - eps;
        double minus = t.loss(e.frames(), e.labels());
        x[i] = v;
        double fd = (plus - minus) / (2 * eps);
        assertEquals(fd, grad[i], 2e-3 * Math.max(0.1, Math.abs(fd)), p + " [" + i + "]");
        checked++;
      }
    }
    assertTrue(checked > 50, "checked " + checked);
    // The temporal taps (tau = +-1) do receive gradient.
    float[] gb13 = g.parameters().get(TemporalHeadTrainer.Parameter.B13);
    double temporal = 0;
    for (int i = 0; i < gb13.length; i++) {
      if (i / 9 % 3 != 1) {
        temporal += Math.abs(gb13[i]);
      }
    }
    assertTrue(temporal > 1e-3, "gradient on the temporal taps " + temporal);
  }

  @Test
  void aFewStepsLowerTheLossAndLeaveTheInputsAndThe2dHeadAlone() throws IOException {
    DpnHead planar = head2d();
    float[] b13Before = planar.b13().weights().clone();
    float[] wRgbBefore = planar.b12().wRgb().clone();
    float[] wXyBefore = planar.b12().wXy().clone();
    DpnHead3d head = DpnHead3d.from(planar, 5);
    List<TemporalHeadTrainer.Example> examples = List.of(example(true), example(false), example(true));
    List<float[]> inputs = new ArrayList<>();
    for (TemporalHeadTrainer.Example e : examples) {
      inputs.add(e.frames().q().data.clone());
      inputs.add(e.frames().previous().q().data.clone());
    }
    TemporalHeadTrainer t = trainer(head, 30);
    double before = meanLoss(t, examples);
    t.run(of(examples), null, 0, (s, n) -> {});
    double after = meanLoss(t, examples);
    assertEquals(30, t.iteration());
    assertTrue(after < 0.9 * before, "loss " + before + " -> " + after);
    assertArrayEquals(b13Before, planar.b13().weights());
    assertArrayEquals(wRgbBefore, planar.b12().wRgb());
    assertArrayEquals(wXyBefore, planar.b12().wXy());
    for (int i = 0; i < examples.size(); i++) {
      assertArrayEquals(inputs.get(2 * i), examples.get(i).frames().q().data);
      assertArrayEquals(inputs.get(2 * i + 1), examples.get(i).frames().previous().q().data);
    }
  }

  @Test
  void aRunResumedFromItsCheckpointEndsBitForBitAsAnUninterruptedOne() throws IOException {
    DpnHead planar = head2d();
    List<TemporalHeadTrainer.Example> examples = List.of(example(true), example(false), example(true));
    DpnHead3d whole = DpnHead3d.from(planar, 5);
    trainer(whole, 8).run(of(examples), dir.resolve("a"), 0, (s, n) -> {});

    Path ckpt = dir.resolve("b");
    DpnHead3d first = DpnHead3d.from(planar, 5);
    TemporalHeadTrainer.Examples crashing = new TemporalHeadTrainer.Examples() {
      int served;

      public int size() {
        return examples.size();
      }

      public TemporalHeadTrainer.Example get(int i) throws IOException {
        if (served++ == 5) {
          throw new IOException("simulated crash");
        }
        return examples.get(i);
      }
    };
    assertThrows(IOException.class, () -> trainer(first, 8).run(crashing, ckpt, 4, (s, n) -> {}));
    DpnHead3d resumedHead = DpnHead3d.from(planar, 5);
    TemporalHeadTrainer resumed = TemporalHeadTrainer.resume(ckpt, resumedHead);
    assertEquals(4, resumed.iteration());
    resumed.run(of(examples), ckpt, 4, (s, n) -> {});
    for (TemporalHeadTrainer.Parameter p : TemporalHeadTrainer.Parameter.values()) {
      assertArrayEquals(p.values(whole), p.values(resumedHead), p.toString());
    }
    // A checkpoint of another 3D b13 size is refused with a clear message.
    IOException e = assertThrows(IOException.class, () -> TemporalHeadTrainer.resume(ckpt, DpnHead3d.from(planar, 3)));
    assertTrue(e.getMessage().contains("--context"), e.getMessage());
  }

  @Test
  void withTemporalTapsOnlyB12AndTheCentreTapsStayBitForBit() throws IOException {
    DpnHead3d head = DpnHead3d.from(head2d(), 5);
    float[] wRgb = head.b12().b12().wRgb().clone();
    float[] wXy = head.b12().b12().wXy().clone();
    float[] taps = head.b13().weights().clone();
    List<TemporalHeadTrainer.Example> examples = List.of(example(true), example(false), example(true));
    TemporalHeadTrainer t = trainer(head, 20, true);
    double before = meanLoss(t, examples);
    t.run(of(examples), dir.resolve("taps"), 10, (s, n) -> {});
    assertTrue(meanLoss(t, examples) < before, "loss " + before + " -> " + meanLoss(t, examples));
    assertArrayEquals(wRgb, head.b12().b12().wRgb());
    assertArrayEquals(wXy, head.b12().b12().wXy());
    float[] after = head.b13().weights();
    int moved = 0;
    for (int i = 0; i < taps.length; i++) {
      if (i / 25 % 3 == 1) {
        assertEquals(taps[i], after[i], 0f, "centre tap " + i);
      } else if (after[i] != taps[i]) {
        moved++;
      }
    }
    assertTrue(moved > taps.length / 3, "temporal taps moved: " + moved);
    assertTrue(TemporalHeadTrainer.resume(dir.resolve("taps"), DpnHead3d.from(head2d(), 5)).temporalTapsOnly());
  }

  private static double meanLoss(TemporalHeadTrainer t, List<TemporalHeadTrainer.Example> examples) {
    double s = 0;
    for (TemporalHeadTrainer.Example e : examples) {
      s += t.loss(e.frames(), e.labels());
    }
    return s / examples.size();
  }

  private static TemporalHeadTrainer.Examples of(List<TemporalHeadTrainer.Example> list) {
    return new TemporalHeadTrainer.Examples() {
      public int size() {
        return list.size();
      }

      public TemporalHeadTrainer.Example get(int i) {
        return list.get(i);
      }
    };
  }
}
