package org.dpn4j.head;

import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockMinPoolTest {

  @Test
  void forwardIsTheMinimumOfEachLabelsComponents() {
    Random r = new Random(1);
    int labels = 3;
    int k = 4;
    Maps in = TestMaps.gaussian(labels * k, 7, 5, r); // 35 pixels: two vectors and a tail
    Maps out = new BlockMinPool(k).forward(in);
    assertEquals(labels, out.c);
    for (int u = 0; u < labels; u++) {
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
    float eps = 1e-3f;
    for (int i = 0; i < in.data.length; i++) {
      float v = in.data[i];
      in.data[i] = v + eps;
      double plus = LabelContextsTest.dot(w, b14.forward(in));
      in.data[i] = v - eps;
      double minus = LabelContextsTest.dot(w, b14.forward(in));
      in.data[i] = v;
      assertEquals((plus - minus) / (2 * eps), grad.data[i], 1e-3, "d/din[" + i + "]");
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
