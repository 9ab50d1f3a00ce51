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

  /** EXPERIMENT switch (removed before merge): -Ddpn4j.exp.dilated=true runs the engine's dilated kernel. */
  private static final boolean DIRECT_DILATED = Boolean.getBoolean("dpn4j.exp.dilated");

  /**
   * A depthwise k x k convolution (k odd, stride 1, SAME padding (k - 1) d / 2 on every side) with
   * dilation d, computed as TensorFlow's atrous convolution does (space to batch): the maps are
   * zero-padded to multiples of d and split into the d x d interleaved sub-grids, each sub-grid is
   * convolved without dilation (padding (k - 1) / 2), and the results are interleaved back. The
   * same sums (the padding rows are zeros either way), while the engine's kernel for a dilated
   * depthwise convolution is several times slower per pixel than its plain one, forward and
   * backward (docs/RESULTS.md, "Issue 12").
   */
  static NDArray dilatedDepthwise(NDArray x, NDArray weight, NDArray bias, int d) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    long hs = (h + d - 1) / d;
    long ws = (w + d - 1) / d;
    NDArray padded = hs * d == h && ws * d == w ? x : x.pad(new Shape(0, ws * d - w, 0, hs * d - h), 0);
    // N C hs d ws d -> N d d C hs ws: sub-grid (i, j) holds the rows i, i + d, ... and columns j, j + d, ...
    NDArray grids = padded.reshape(n, c, hs, d, ws, d).transpose(0, 3, 5, 1, 2, 4).reshape(n * d * d, c, hs, ws);
    int p = (int) (weight.getShape().get(2) - 1) / 2;
    NDArray y = Conv2d.conv2d(grids, weight, bias, new Shape(1, 1), new Shape(p, p), new Shape(1, 1), (int) c)
        .singletonOrThrow();
    NDArray merged = y.reshape(n, d, d, c, hs, ws).transpose(0, 3, 4, 1, 5, 2).reshape(n, c, hs * d, ws * d);
    return hs * d == h && ws * d == w ? merged : merged.get(":, :, :" + h + ", :" + w);
  }

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
    if (dilation > 1 && stride == 1 && groups > 1 && groups == s.get(1) && k % 2 == 1 && !DIRECT_DILATED) {
      return dilatedDepthwise(x, weight, bias, dilation);
    }
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
