package org.dpn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.dpn4j.head.DpnHead;

/** Checks of a head's values shared by the model and command tests. */
public final class HeadAssertions {

  private HeadAssertions() {}

  /**
   * DESIGN.md's initial values: w_rgb = w_xy = 1 ({@code n} of each), and b13's K components of
   * every label the identity context: weight[u*K+k][u][c][c] = 1 with c = floor(m/2), all else 0.
   */
  public static void assertInitial(DpnHead head, int n, int components, int size) {
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    assertArrayEquals(ones, head.b12().wRgb(), "w_rgb");
    assertArrayEquals(ones, head.b12().wXy(), "w_xy");
    int l = head.labels();
    int c = size / 2;
    float[] expected = new float[components * l * l * size * size];
    for (int u = 0; u < l; u++) {
      for (int k = 0; k < components; k++) {
        expected[(((u * components + k) * l + u) * size + c) * size + c] = 1f;
      }
    }
    assertArrayEquals(expected, head.b13().weights(), "b13");
    assertEquals(components, head.b13().components());
    assertEquals(size, head.b13().size());
  }
}
