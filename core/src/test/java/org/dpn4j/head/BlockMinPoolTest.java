package org.dpn4j.head;

import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.dpn4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

class BlockMinPoolTest {

  @Test
  void forwardIsTheMinimumOfEachLabelsComponents() {
    int k = 4;
    Maps in = TestMaps.gaussian(3 * k, 7, 5, new Random(1)); // 35 pixels: two vectors and a tail
    Maps out = new BlockMinPool(k).forward(in);
    assertEquals(3, out.c);
    for (int u = 0; u < out.c; u++) {
      for (int p = 0; p < in.plane(); p++) {
        float min = Float.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          min = Math.min(min, in.data[in.offset(u * k + c) + p]);
        }
        assertEquals(min, out.data[out.offset(u) + p], "label " + u + " pixel " + p);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Random r = new Random(2);
    int k = 3;
    BlockMinPool b14 = new BlockMinPool(k);
    Maps in = TestMaps.gaussian(2 * k, 5, 7, r);
    Maps w = TestMaps.gaussian(2, 5, 7, r);
    Maps grad = b14.backward(in, w);
    for (int i = 0; i < in.data.length; i++) {
      double fd = FiniteDifferences.central(in.data, i, 1e-3f, () -> FiniteDifferences.dot(w, b14.forward(in)));
      assertEquals(fd, grad.data[i], 1e-3, "d/din[" + i + "]");
    }
  }

  @Test
  void tiesSendTheGradientToTheFirstComponent() {
    int k = 3;
    Maps in = new Maps(k, 1, 17);
    java.util.Arrays.fill(in.data, 2f);
    for (int p = 0; p < 17; p++) {
      in.data[in.offset(2) + p] = p % 2 == 0 ? 2f : 1f; // even pixels: a three-way tie
    }
    Maps g = new Maps(1, 1, 17);
    java.util.Arrays.fill(g.data, 5f);
    Maps grad = new BlockMinPool(k).backward(in, g);
    for (int p = 0; p < 17; p++) {
      int arg = p % 2 == 0 ? 0 : 2;
      for (int c = 0; c < k; c++) {
        assertEquals(c == arg ? 5f : 0f, grad.data[grad.offset(c) + p], "pixel " + p + " component " + c);
      }
    }
  }

  @Test
  void rejectsMapCountNotAMultipleOfK() {
    assertThrows(IllegalArgumentException.class, () -> new BlockMinPool(3).forward(new Maps(4, 2, 2)));
  }
}
