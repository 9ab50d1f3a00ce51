package org.dpn4j.unary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The dilated depthwise convolution computed on sub-grids gives the engine's dilated convolution. */
class SamePaddingTest {

  private static final float CLOSE = 1e-5f;


  @Test
  void dilatedDepthwiseOnSubGridsIsTheDilatedConvolutionForwardAndBackward() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      Engine.getEngine("PyTorch").setRandomSeed(5);
      // Sizes that are and are not multiples of the dilation; channels-last input as Batches builds it.
      int[][] cases = {{2, 7, 9, 0}, {4, 30, 40, 0}, {2, 8, 12, 1}, {4, 9, 6, 1}};
      for (int[] t : cases) {
        int d = t[0];
        NDArray x = t[3] == 0 ? m.randomNormal(new Shape(2, 5, t[1], t[2]))
            : m.randomNormal(new Shape(2, t[1], t[2], 5)).transpose(0, 3, 1, 2);
        NDArray w = m.randomNormal(new Shape(5, 1, 3, 3));
        NDArray b = m.randomNormal(new Shape(5));
        NDArray[] fast = forwardBackward(x, w, b, () -> SamePadding.dilatedDepthwise(x, w, b, d));
        NDArray[] direct = forwardBackward(x, w, b, () -> Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(d, d),
            new Shape(d, d), 5).singletonOrThrow());
        String what = "dilation " + d + ", " + t[1] + "x" + t[2] + (t[3] == 1 ? " channels-last" : "");
        assertEquals(direct[0].getShape(), fast[0].getShape(), what);
        for (int k = 0; k < 4; k++) {
          float[] want = direct[k].toFloatArray();
          float scale = 1;
          for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
          }
          // The same products summed in another order: equal to float rounding of the largest value.
          assertArrayEquals(want, fast[k].toFloatArray(), CLOSE * scale, what + ", part " + k);
        }
      }
    }
  }

  /** The output, then the gradients of sum(out * g) w.r.t. the input, the weights and the bias. */
  private static NDArray[] forwardBackward(NDArray x, NDArray w, NDArray b, java.util.function.Supplier<NDArray> f) {
    NDArray[] in = {x, w, b};
    for (NDArray a : in) {
      a.setRequiresGradient(true);
    }
    NDArray y;
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      y = f.get();
      NDArray g = y.getManager().arange((float) y.size()).reshape(y.getShape()).mul(1e-3f).sin();
      gc.backward(y.mul(g).sum());
    }
    NDArray[] out = {y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate(), b.getGradient().duplicate()};
    for (NDArray a : in) {
      a.getGradient().subi(a.getGradient());
    }
    return out;
  }
}
