package org.dpn4j.video;

import org.dpn4j.value.Flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TemporalConsistencyTest {

  private static final int H = 4;
  private static final int W = 6;

  private static Flow constant(float u) {
    Flow f = Flow.zeros(H, W);
    Arrays.fill(f.u(), u);
    return f;
  }

  /** Label of pixel (x, y) = x + shift, a pattern of vertical stripes. */
  private static int[] stripes(int shift) {
    int[] l = new int[H * W];
    for (int j = 0; j < l.length; j++) {
      l[j] = j % W + shift;
    }
    return l;
  }

  @Test
  void aStaticSceneWithZeroFlowIsPerfectlyConsistent() {
    TemporalConsistency tc = new TemporalConsistency();
    tc.add(stripes(0), stripes(0), NodeLinks.between(constant(0), constant(0)));
    assertEquals(H * W, tc.linked());
    assertEquals(0.0, tc.changedFraction());
  }

  @Test
  void everyLinkedLabelChangingGivesOne() {
    TemporalConsistency tc = new TemporalConsistency();
    tc.add(stripes(0), stripes(7), NodeLinks.between(constant(0), constant(0)));
    assertEquals(1.0, tc.changedFraction());
  }

  @Test
  void labelsAreComparedAlongTheFlowOverLinkedPixelsOnly() {
    // Frame s is frame t moved right by 1 px: the label at (x, y) in t is at (x+1, y) in s.
    int[] t = stripes(0);
    int[] s = stripes(-1);
    NodeLinks along = NodeLinks.between(constant(1), constant(-1));
    TemporalConsistency tc = new TemporalConsistency();
    tc.add(t, s, along);
    // The last column leaves the frame: not linked, not counted.
    assertEquals(H * (W - 1), tc.linked());
    assertEquals(0.0, tc.changedFraction());
    // Against a zero flow the same pair changes everywhere; pairs accumulate.
    tc.add(t, s, NodeLinks.between(constant(0), constant(0)));
    assertEquals(H * (W - 1) + H * W, tc.linked());
    assertEquals((double) (H * W) / (H * (W - 1) + H * W), tc.changedFraction(), 1e-12);
  }

  @Test
  void noLinkedPixelsGiveNaNAndWrongSizesAreRefused() {
    TemporalConsistency tc = new TemporalConsistency();
    assertTrue(Double.isNaN(tc.changedFraction()));
    NodeLinks links = NodeLinks.between(constant(0), constant(0));
    assertThrows(IllegalArgumentException.class, () -> tc.add(new int[3], stripes(0), links));
  }
}
