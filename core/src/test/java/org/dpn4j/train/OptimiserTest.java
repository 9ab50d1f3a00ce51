package org.dpn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimiserTest {

  private static final float[][] GRADS = {{0.5f, 0.25f}, {-0.1f, 0.4f}};
  private static final float[] LRS = {0.1f, 0.05f};

  private static float[] twoSteps(Optimiser opt) {
    float[] p = {1f, -2f};
    for (int s = 0; s < 2; s++) {
      opt.step(p, GRADS[s], LRS[s]);
    }
    return p;
  }

  /**
   * By hand (mu = 0.9, wd = 5e-4): step 1 d = (0.5005, 0.249) = v, p = (0.94995, -2.0249); step 2
   * d = (-0.099525025, 0.39898755), v = 0.9 (0.5005, 0.249) + d = (0.350924975, 0.62308755),
   * p = p - 0.05 v.
   */
  @Test
  void sgdFollowsPyTorchsMomentumFormula() {
    Sgd sgd = Sgd.defaults();
    float[] p = twoSteps(sgd);
    assertArrayEquals(new float[] {0.93240375125f, -2.0560543775f}, p, 1e-6f);
    assertArrayEquals(new float[] {0.350924975f, 0.62308755f}, sgd.state(p).buffers().get(Sgd.MOMENTUM), 1e-6f);
    assertEquals(2, sgd.state(p).steps());
  }

  /** p - lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + eps), values computed in double by hand. */
  @Test
  void adamFollowsPyTorchsFormula() {
    Adam adam = Adam.defaults();
    float[] p = new float[] {1f, -2f};
    adam.step(p, GRADS[0], LRS[0]);
    // The first step moves each value by lr (times the sign of its gradient).
    assertArrayEquals(new float[] {0.9f, -2.1f}, p, 1e-6f);
    adam.step(p, GRADS[1], LRS[1]);
    assertArrayEquals(new float[] {0.874403186708644f, -2.149300483826086f}, p, 1e-6f);
  }

  @Test
  void eachArrayKeepsItsOwnState() {
    Sgd sgd = Sgd.defaults();
    float[] a = {1f, -2f};
    float[] b = {1f, -2f};
    sgd.step(a, GRADS[0], LRS[0]);
    sgd.step(b, GRADS[0], LRS[0]);
    sgd.step(a, GRADS[1], LRS[1]);
    assertEquals(2, sgd.state(a).steps());
    assertEquals(1, sgd.state(b).steps());
    assertArrayEquals(twoSteps(Sgd.defaults()), a);
    assertNull(sgd.state(new float[2]));
  }

  @Test
  void restoredStateContinuesExactly() {
    Adam straight = Adam.defaults();
    float[] p = {1f, -2f};
    straight.step(p, GRADS[0], LRS[0]);
    Optimiser.State saved = straight.state(p);
    float[] copy = p.clone();
    straight.step(p, GRADS[1], LRS[1]);

    Adam resumed = Adam.defaults();
    resumed.restore(copy, saved);
    float[] restored = resumed.state(copy).buffers().get(Adam.FIRST_MOMENT);
    assertArrayEquals(saved.buffers().get(Adam.FIRST_MOMENT), restored);
    assertNotSame(saved.buffers().get(Adam.FIRST_MOMENT), restored);
    resumed.step(copy, GRADS[1], LRS[1]);
    assertArrayEquals(p, copy);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sgd.defaults().restore(copy, saved));
    assertTrue(e.getMessage().contains("momentum"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Sgd.defaults().restore(copy, new Optimiser.State(1, Map.of(Sgd.MOMENTUM, new float[3]))));
    assertTrue(e.getMessage().contains("3 values"), e.getMessage());
  }

  @Test
  void mismatchedGradientIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sgd.defaults().step(new float[2], new float[3], 0.1f));
    assertTrue(e.getMessage().contains("3 values for a parameter of 2"), e.getMessage());
  }

  @Test
  void polyScheduleDecaysToZero() {
    PolySchedule s = new PolySchedule(0.1, 8);
    assertEquals(0.1, s.lr(0), 0);
    assertEquals(0.05358867312681466, s.lr(4), 1e-15);
    assertEquals(0.015389305166811454, s.lr(7), 1e-15);
    assertEquals(0, s.lr(8));
    assertEquals(0, s.lr(9));
    assertThrows(IllegalArgumentException.class, () -> s.lr(-1));
    assertThrows(IllegalArgumentException.class, () -> new PolySchedule(0, 8));
    assertThrows(IllegalArgumentException.class, () -> new PolySchedule(0.1, 0));
  }
}
