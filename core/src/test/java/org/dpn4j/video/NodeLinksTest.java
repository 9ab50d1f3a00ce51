package org.dpn4j.video;

import org.dpn4j.value.Flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;

class NodeLinksTest {

  private static Flow constant(int h, int w, float u, float v) {
    Flow f = Flow.zeros(h, w);
    Arrays.fill(f.u(), u);
    Arrays.fill(f.v(), v);
    return f;
  }

  @Test
  void warpingAlongAConstantIntegerFlowIsAShiftWithMaskedBorders() {
    int h = 5;
    int w = 7;
    Maps s = new Maps(2, h, w);
    Random r = new Random(1);
    for (int i = 0; i < s.data.length; i++) {
      s.data[i] = r.nextFloat() + 0.5f; // never 0, so a masked pixel cannot pass by chance
    }
    NodeLinks links = NodeLinks.between(constant(h, w, 2, 1), constant(h, w, -2, -1));
    Maps warped = links.warp(s);
    for (int k = 0; k < 2; k++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          boolean inside = x + 2 < w && y + 1 < h;
          assertEquals(inside, links.linked(y * w + x), "link of (" + x + ", " + y + ")");
          float expected = inside ? s.get(k, y + 1, x + 2) : 0f;
          assertEquals(expected, warped.get(k, y, x), 1e-6f, "map " + k + " at (" + x + ", " + y + ")");
        }
      }
    }
    assertEquals(1 - (5.0 * 4) / (7 * 5), links.droppedFraction(), 1e-12);
  }

  @Test
  void warpingSamplesBilinearly() {
    // A ramp s(x, y) = x + 10 y: bilinear sampling reproduces it exactly at fractional positions.
    int h = 4;
    int w = 6;
    Maps s = new Maps(1, h, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        s.set(0, y, x, x + 10 * y);
      }
    }
    Maps warped = NodeLinks.between(constant(h, w, 0.25f, 0.5f), constant(h, w, -0.25f, -0.5f)).warp(s);
    assertEquals(1.25f + 10 * 1.5f, warped.get(0, 1, 1), 1e-5f);
    assertEquals(4.25f + 10 * 2.5f, warped.get(0, 2, 4), 1e-5f);
    assertEquals(0f, warped.get(0, 3, 0), "j + F(j) leaves the frame below");
  }

  @Test
  void forwardBackwardCheckUsesDesignThreshold() {
    // Zero forward flow: dropped iff |F_st|^2 > 0.01 |F_st|^2 + 0.5, i.e. |F_st| > 0.7107 px.
    assertTrue(NodeLinks.between(Flow.zeros(3, 3), constant(3, 3, 0.70f, 0)).linked(4));
    assertFalse(NodeLinks.between(Flow.zeros(3, 3), constant(3, 3, 0.72f, 0)).linked(4));
    // Large consistent motion tolerates a round-trip error relative to its size: |F|^2 = 2 * 100.
    Flow fts = constant(30, 30, 10, 0);
    assertTrue(NodeLinks.between(fts, constant(30, 30, -10 + 1.4f, 0)).linked(0)); // 1.96 <= 0.01 (100 + 73.96) + 0.5
    assertFalse(NodeLinks.between(fts, constant(30, 30, -10 + 1.6f, 0)).linked(0)); // 2.56 > 0.01 (100 + 70.56) + 0.5
    // A moving forward flow with a static backward flow fails everywhere (occlusion-like).
    assertEquals(1.0, NodeLinks.between(constant(8, 8, 1, 1), Flow.zeros(8, 8)).droppedFraction());
  }

  @Test
  void backwardFlowIsSampledAtTheLinkedPosition() {
    // F_st is consistent (-3) only on column 4; nodes of column 1 land there with F_ts = +3.
    int w = 6;
    Flow fst = Flow.zeros(1, w);
    fst.u()[4] = -3;
    NodeLinks links = NodeLinks.between(constant(1, w, 3, 0), fst);
    boolean[] expected = {false, true, false, false, false, false};
    for (int x = 0; x < w; x++) {
      assertEquals(expected[x], links.linked(x), "x = " + x);
    }
  }

  @Test
  void mismatchedSizesAreRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NodeLinks.between(Flow.zeros(3, 4), Flow.zeros(4, 3)));
    assertTrue(e.getMessage().contains("backward flow is 4x3"), e.getMessage());
    NodeLinks links = NodeLinks.between(Flow.zeros(3, 4), Flow.zeros(3, 4));
    assertThrows(IllegalArgumentException.class, () -> links.warp(new Maps(1, 4, 3)));
  }
}
