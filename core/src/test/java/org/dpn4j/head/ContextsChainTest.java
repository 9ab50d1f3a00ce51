package org.dpn4j.head;

import org.dpn4j.testing.TestMaps;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.dpn4j.testing.FiniteDifferences;
import org.dpn4j.testing.TestHeads;
import org.dpn4j.head.MeanFieldFusion.Unary;
import org.junit.jupiter.api.Test;

/** b13 -> b14 -> b15 chained, with the scalar loss sum(w * P). */
class ContextsChainTest {

  private final Random r = new Random(7);
  private final int labels = 3;
  private final int k = 2;
  private final LabelContexts b13 = new LabelContexts(labels, k, 3);
  private final BlockMinPool b14 = new BlockMinPool(k);
  private final MeanFieldFusion b15 = new MeanFieldFusion(Unary.PROBABILITIES);

  private double loss(Maps o, Maps p, Maps w) {
    return FiniteDifferences.dot(w, b15.forward(p, b14.forward(b13.forward(o))));
  }

  @Test
  void chainedGradientsMatchFiniteDifferences() {
    float[] weights = b13.weights();
    TestHeads.gaussian(weights, 0.5, r);
    Maps o = TestMaps.gaussian(labels, 5, 6, r);
    Maps p = MeanFieldFusionTest.probabilities(r, labels, 5, 6);
    Maps w = TestMaps.gaussian(labels, 5, 6, r);
    Maps c = b13.forward(o);
    Maps m = b14.forward(c);
    MeanFieldFusion.Gradients g15 = b15.backward(p, b15.forward(p, m), w);
    LabelContexts.Gradients g13 = b13.backward(o, b14.backward(c, g15.b14()));
    check(o.data, g13.input().data, o, p, w, "b13 input");
    check(weights, g13.weights(), o, p, w, "b13 weights");
    check(p.data, g15.unary().data, o, p, w, "unary");
  }

  private void check(float[] x, float[] grad, Maps o, Maps p, Maps w, String what) {
    for (int i = 0; i < x.length; i += 2) {
      double fd = FiniteDifferences.central(x, i, 1e-3f, () -> loss(o, p, w));
      assertEquals(fd, grad[i], 3e-3 * Math.max(1, Math.abs(fd)), what + " [" + i + "]");
    }
  }

  @Test
  void identityHeadIsSoftmaxOfLogUnaryMinusO() {
    Maps o = TestMaps.gaussian(labels, 9, 11, r);
    Maps p = MeanFieldFusionTest.probabilities(r, labels, 9, 11);
    Maps out = b15.forward(p, b14.forward(b13.forward(o)));
    FiniteDifferences.assertClose(MeanFieldFusionTest.reference(p, o, false), out.data, 1e-5, "identity head");
  }
}
