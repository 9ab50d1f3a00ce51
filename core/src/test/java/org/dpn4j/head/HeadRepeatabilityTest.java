package org.dpn4j.head;

import org.dpn4j.testing.Integration;

import org.dpn4j.value.Maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The head gives the same bits on every call, before and after the JIT compiles its kernels: a
 * training run must repeat, and resume from a checkpoint, bit for bit. (With the Vector API's EXP
 * in b15, P changed in the last bit after about 200 calls: its SVML intrinsic and its Java fallback
 * round differently.)
 */
@Integration
class HeadRepeatabilityTest {

  @Test
  void forwardAndBackwardRepeatBitForBit() {
    int labels = 3;
    int h = 24;
    int w = 32;
    Random r = new Random(8);
    Maps p = new Maps(labels, h, w);
    Maps image = new Maps(3, h, w);
    for (int j = 0; j < h * w; j++) {
      float a = r.nextFloat();
      float b = r.nextFloat() * (1 - a);
      p.data[j] = a;
      p.data[h * w + j] = b;
      p.data[2 * h * w + j] = 1 - a - b;
    }
    for (int i = 0; i < image.data.length; i++) {
      image.data[i] = r.nextFloat();
    }
    DpnHead head = new DpnHead(
        new TriplePenalty(labels, TriplePenalty.Options.builder().window(Window.of(9)).build()),
        new LabelContexts(labels, 2, 5));
    head.b13().addComponentNoise(1);
    Maps g = p.zerosLike();
    for (int i = 0; i < g.data.length; i++) {
      g.data[i] = (float) r.nextGaussian();
    }
    DpnHead.Stages first = head.forward(p, image);
    DpnHead.Gradients firstGrad = head.backward(p, image, first, g);
    for (int run = 0; run < 1000; run++) {
      DpnHead.Stages s = head.forward(p, image);
      assertEquals(first.b15(), s.b15(), "b15 of call " + run);
      DpnHead.Gradients gr = head.backward(p, image, s, g);
      assertEquals(firstGrad.p(), gr.p(), "dL/dp of call " + run);
      assertArrayEquals(firstGrad.b12().colourWeight(), gr.b12().colourWeight(), "dL/dw_rgb of call " + run);
      assertArrayEquals(firstGrad.b13().weights(), gr.b13().weights(), "dL/dw_b13 of call " + run);
    }
  }
}
