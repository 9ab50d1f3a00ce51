package org.dpn4j.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 17: NaN ground truth and Middlebury's "unknown" (1e9 and above) are masked, not scored as 0. */
class FlowTest {

  @Test
  void unknownAndNonFiniteTruthIsMaskedFromTheEndPointError() {
    Flow truth = new Flow(1, 4, new float[] {3, Float.NaN, 1e9f, 0}, new float[] {4, 0, 0, Float.POSITIVE_INFINITY});
    Flow zero = Flow.zeros(1, 4);
    assertEquals(1, truth.knownCount());
    assertEquals(5.0, zero.meanEndPointError(truth), 1e-12, "only pixel 0 (3, 4) is scored");
    assertEquals(5.0, truth.meanEndPointError(zero), 1e-12, "either way round");
    Flow allUnknown = new Flow(1, 2, new float[] {Float.NaN, 2e9f}, new float[] {0, 0});
    assertTrue(Double.isNaN(zero.meanEndPointError(truth, new boolean[] {false, true, true, false})),
        "no scored pixel: NaN, not 0");
    assertTrue(Double.isNaN(Flow.zeros(1, 2).meanEndPointError(allUnknown)), "no known pixel: NaN, not 0");
  }
}
