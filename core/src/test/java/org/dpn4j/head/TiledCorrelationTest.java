package org.dpn4j.head;

import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Maps;

import java.util.Random;
import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.testing.TestHeads;
import org.junit.jupiter.api.Test;

/** The tiled FFT correlation when the tile vectors do not fit in one group. */
class TiledCorrelationTest {

  @Test
  void severalGroupsOfTileVectorsMatchTheDirectLoops() {
    TiledCorrelation corr = new TiledCorrelation(3, 4, 5, 8, 16);
    corr.forwardBudget = 1;
    corr.backwardBudget = 1;
    Random r = new Random(9);
    float[] w = new float[corr.cout * corr.cin * corr.m * corr.m];
    TestHeads.gaussian(w, 1, r);
    float[] spec = corr.spectrum(w);
    Maps x = TestMaps.gaussian(corr.cin, 50, 43, r); // 13 x 4 tiles of 4 x 12: 4 vectors, one per group
    FiniteDifferences.assertClose(LabelContextsTest.direct(x, w, corr.cout, corr.m), corr.forward(x, spec, 1).data, 1e-5, "forward");
    Maps g = TestMaps.gaussian(corr.cout, 50, 43, r);
    double[][] ref = LabelContextsTest.directBackward(x, g, w, corr.m);
    TiledCorrelation.Gradients grads = corr.backward(x, g, spec);
    FiniteDifferences.assertClose(ref[0], grads.input().data, 1e-5, "input gradient");
    FiniteDifferences.assertClose(ref[1], grads.weights(), 1e-5, "weight gradient");
  }
}
