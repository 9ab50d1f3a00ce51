package org.dpn4j.unary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * TensorFlow's SAME padding, which TFLite models are trained with: the output has ceil(n / s)
 * positions per axis and the padding is
 *
 * <pre>
 * total  = max((ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)
 * before = floor(total / 2),  after = total - before
 * </pre>
 *
 * so an odd total pads one more row at the bottom and one more column at the right (a 3x3 stride-2
 * convolution on an even size pads 0 before and 1 after). PyTorch's own padding is symmetric; where
 * the two differ the input is zero-padded explicitly first.
 */
public final class SamePadding {

  private SamePadding() {}

  /** {before, after} for one axis of {@code size} positions. */
  public static int[] pads(long size, int kernel, int stride, int dilation) {
    long out = (size + stride - 1) / stride;
    long total = Math.max((out - 1) * stride + (long) (kernel - 1) * dilation + 1 - size, 0);
    return new int[] {(int) (total / 2), (int) (total - total / 2)};
  }

  /**
   * A 2-D convolution (weights O x I/groups x k x k, optional bias) of N x C x H x W maps with
   * SAME padding, stride and dilation equal along both axes.
   */
  public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int dilation, int groups) {
    Shape s = x.getShape();
    int k = (int) weight.getShape().get(2);
    int[] py = pads(s.get(2), k, stride, dilation);
    int[] px = pads(s.get(3), k, stride, dilation);
    Shape same = new Shape(stride, stride);
    Shape dil = new Shape(dilation, dilation);
    if (py[0] == py[1] && px[0] == px[1]) {
      return Conv2d.conv2d(x, weight, bias, same, new Shape(py[0], px[0]), dil, groups).singletonOrThrow();
    }
    // NDArray.pad takes (left, right, top, bottom) for the last two axes, as torch's F.pad.
    NDArray padded = x.pad(new Shape(px[0], px[1], py[0], py[1]), 0);
    return Conv2d.conv2d(padded, weight, bias, same, new Shape(0, 0), dil, groups).singletonOrThrow();
  }
}
