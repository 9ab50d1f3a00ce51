package org.dpn4j.value;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FlowTest {

  @Test
  void endPointErrorIsTheMeanEuclideanDistance() {
    Flow f = new Flow(1, 3, new float[] {3, 0, 1}, new float[] {4, 0, 1});
    Flow truth = Flow.zeros(1, 3);
    assertEquals((5 + 0 + Math.sqrt(2)) / 3, f.meanEndPointError(truth), 1e-9);
    assertEquals(2.5, f.meanEndPointError(truth, new boolean[] {true, true, false}), 1e-9);
    assertArrayEquals(new double[] {2, 2.5}, f.mean(new boolean[] {true, false, true}), 1e-9);
  }

  @Test
  void shapesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new Flow(2, 2, new float[4], new float[3]));
    assertThrows(IllegalArgumentException.class, () -> new Flow(0, 2, new float[0], new float[0]));
    assertThrows(IllegalArgumentException.class, () -> Flow.zeros(2, 3).meanEndPointError(Flow.zeros(3, 2)));
  }
}
