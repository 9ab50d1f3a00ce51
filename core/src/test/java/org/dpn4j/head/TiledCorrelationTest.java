package org.dpn4j.head;

import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Maps;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tiled FFT correlation when the tile vectors do not fit in one group. */
class TiledCorrelationTest {

  @Test
  void severalGroupsOfTileVectorsMatchTheDirectLoops() {
    Random r = new Random(9);
    int cin = 3;
    int cout = 4;
    int m = 5;
    TiledCorrelation corr = new TiledCorrelation(cin, cout, m, 8, 16);
    corr.forwardBudget = 1;
    corr.backwardBudget = 1;
    float[] w = new float[cout * cin * m * m];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    float[] spec = corr.spectrum(w);
    Maps x = TestMaps.gaussian(cin, 50, 43, r); // 13 x 4 tiles of 4 x 12: 4 vectors, one per group
    LabelContextsTest.assertClose(LabelContextsTest.direct(x, w, cout, m), corr.forward(x, spec, 1).data, 1e-5, "forward");
    Maps g = TestMaps.gaussian(cout, 50, 43, r);
    double[][] ref = LabelContextsTest.directBackward(x, g, w, m);
    TiledCorrelation.Gradients grads = corr.backward(x, g, spec);
    LabelContextsTest.assertClose(ref[0], grads.input().data, 1e-5, "input gradient");
    LabelContextsTest.assertClose(ref[1], grads.weights(), 1e-5, "weight gradient");
  }
}
