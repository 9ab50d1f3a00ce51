package org.dpn4j.unary;

import org.dpn4j.testing.TestNetworks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MobileNetV2Test {

  private static final int LABELS = 21;

  @Test
  void samePaddingPadsBottomRightMore() {
    assertArrayEquals(new int[] {0, 1}, SamePadding.pads(224, 3, 2, 1));
    assertArrayEquals(new int[] {0, 1}, SamePadding.pads(8, 3, 2, 1));
    assertArrayEquals(new int[] {1, 1}, SamePadding.pads(7, 3, 2, 1));
    assertArrayEquals(new int[] {1, 1}, SamePadding.pads(9, 3, 1, 1));
    assertArrayEquals(new int[] {4, 4}, SamePadding.pads(9, 3, 1, 4));
    assertArrayEquals(new int[] {0, 0}, SamePadding.pads(9, 1, 1, 1));
  }

  @Test
  void outputStride8GeometryFollowsDeepLab() {
    MobileNetV2 net = new MobileNetV2(LABELS);
    int[][] os8 = net.geometry(8);
    // stem, then blocks 0-16: {stride, dilation} of each depthwise convolution.
    int[][] want8 = {
      {2, 1}, {1, 1}, {2, 1}, {1, 1}, {2, 1}, {1, 1}, {1, 1},
      {1, 1}, {1, 2}, {1, 2}, {1, 2}, // the 64 stage: stride dropped, later layers dilated by 2
      {1, 2}, {1, 2}, {1, 2}, // 96
      {1, 2}, {1, 4}, {1, 4}, // 160: stride dropped, later layers dilated by 4
      {1, 4} // 320
    };
    assertEquals(want8.length, os8.length);
    for (int i = 0; i < want8.length; i++) {
      assertArrayEquals(want8[i], os8[i], "layer " + i);
    }
    int[][] os32 = net.geometry(32);
    int[] strides32 = {2, 1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1};
    for (int i = 0; i < strides32.length; i++) {
      assertArrayEquals(new int[] {strides32[i], 1}, os32[i], "layer " + i);
    }
  }

  @Test
  void headsHaveTheirShapesAndParametersTheirNames() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      MobileNetV2 net = TestNetworks.initialised(new MobileNetV2(LABELS), m, new Shape(1, 3, 224, 224));
      ParameterStore ps = new ParameterStore(m, false);

      NDArray imagenet = m.randomUniform(-1, 1, new Shape(1, 3, 224, 224));
      assertEquals(new Shape(1, 320, 7, 7), net.features(ps, imagenet, 32, false).getShape());
      NDArray classes = net.classify(ps, imagenet, false);
      assertEquals(new Shape(1, MobileNetV2.IMAGENET_CLASSES), classes.getShape());
      assertTrue(classes.abs().max().getFloat() > 0);

      NDArray odd = m.randomUniform(-1, 1, new Shape(2, 3, 65, 97));
      assertEquals(new Shape(2, LABELS, 9, 13), net.logitsStride8(ps, odd, false).getShape(), "SAME rounds up");
      assertEquals(new Shape(2, LABELS, 65, 97), net.logits(ps, odd, false).getShape());

      // torchvision's mobilenet_v2 has 3,504,872 parameters with batch norm (gamma, beta on 17,056
      // channels) and 1000 classes: folded, one bias per channel and 1001 classes, plus seg.
      assertEquals(3_504_872L - 17_056 + 1281 + 320 * LABELS + LABELS, net.parameterCount());
      Map<String, Parameter> p = net.namedParameters();
      assertEquals(2 * (1 + 17 * 3 - 1 + 3), p.size());
      assertEquals(new Shape(32, 3, 3, 3), p.get("stem.weight").getShape());
      assertEquals(new Shape(32, 1, 3, 3), p.get("block0.depthwise.weight").getShape());
      assertFalse(p.containsKey("block0.expand.weight"), "t = 1: no expansion");
      assertEquals(new Shape(96, 16, 1, 1), p.get("block1.expand.weight").getShape());
      assertEquals(new Shape(960, 1, 3, 3), p.get("block16.depthwise.weight").getShape());
      assertEquals(new Shape(320, 960, 1, 1), p.get("block16.project.weight").getShape());
      assertEquals(new Shape(320), p.get("block16.project.bias").getShape());
      assertEquals(new Shape(1280, 320, 1, 1), p.get("head1280.weight").getShape());
      assertEquals(new Shape(1001, 1280, 1, 1), p.get("classifier.weight").getShape());
      assertEquals(new Shape(LABELS, 320, 1, 1), p.get("seg.weight").getShape());
    }
  }

  @Test
  void gradientsReachTheStemThroughTheSegmentationHead() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      Shape input = new Shape(1, 3, 32, 40);
      MobileNetV2 net = TestNetworks.initialised(new MobileNetV2(LABELS), m, input);
      TestNetworks.assertGradientsReach(net,
          () -> net.logits(new ParameterStore(m, false), m.randomUniform(-1, 1, input), true).get(new NDIndex(":, 1")).sum(),
          "stem.weight", "block13.depthwise.weight", "seg.weight");
      NDArray unused = net.namedParameters().get("classifier.weight").getArray().getGradient();
      assertEquals(0f, unused.abs().sum().getFloat(), "the ImageNet head takes no part in segmentation");
    }
  }

  @Test
  void stemIsASameConvolution() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      for (int size : new int[] {8, 7}) {
        NDArray x = m.randomNormal(new Shape(1, 3, size, size + 2));
        NDArray w = m.randomNormal(new Shape(5, 3, 3, 3));
        NDArray b = m.randomNormal(new Shape(5));
        float[] want =
            conv(x.toFloatArray(), 3, size, size + 2, w.toFloatArray(), b.toFloatArray(), 5, 3, 2, 1, 1);
        assertArrayEquals(want, SamePadding.conv2d(x, w, b, 2, 1, 1).toFloatArray(), 1e-4f, "size " + size);
      }
    }
  }

  @Test
  void blocksEqualAPlainComputation() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      MobileNetV2 net = TestNetworks.initialised(new MobileNetV2(LABELS), m, new Shape(1, 3, 32, 32));
      ParameterStore ps = new ParameterStore(m, false);
      // block, in, out, H, W, stride, dilation
      int[][] cases = {
        {3, 24, 32, 8, 10, 2, 1}, // stride 2 on an even size: pad 0 top/left, 1 bottom/right
        {3, 24, 32, 7, 9, 2, 1}, // stride 2 on an odd size: pad 1 all round
        {8, 64, 64, 7, 9, 1, 2}, // residual, dilation 2 (output stride 8)
        {15, 160, 160, 6, 5, 1, 4}, // residual, dilation 4 reaching past the map
        {0, 32, 16, 5, 6, 1, 1} // no expansion
      };
      for (int[] c : cases) {
        NDArray x = m.randomUniform(-2, 2, new Shape(1, c[1], c[3], c[4]));
        float[] got = net.block(ps, c[0], x, c[5], c[6], false).toFloatArray();
        float[] want = referenceBlock(net.namedParameters(), c, x.toFloatArray());
        assertEquals(want.length, got.length, "block" + c[0]);
        assertArrayEquals(want, got, 1e-3f, "block" + c[0] + " stride " + c[5] + " dilation " + c[6]);
      }
    }
  }

  /** expand 1x1 + relu6, depthwise 3x3 SAME + relu6, project 1x1, + input: with loops. */
  private static float[] referenceBlock(Map<String, Parameter> p, int[] c, float[] x) {
    String name = "block" + c[0];
    int in = c[1];
    int out = c[2];
    int h = c[3];
    int w = c[4];
    float[] e = x;
    int hidden = in;
    if (p.containsKey(name + ".expand.weight")) {
      hidden = (int) p.get(name + ".expand.weight").getShape().get(0);
      e = relu6(conv(x, in, h, w, values(p, name + ".expand.weight"), values(p, name + ".expand.bias"), hidden, 1, 1, 1, 1));
    }
    float[] d =
        relu6(conv(e, hidden, h, w, values(p, name + ".depthwise.weight"), values(p, name + ".depthwise.bias"),
            hidden, 3, c[5], c[6], hidden));
    int oh = (h + c[5] - 1) / c[5];
    int ow = (w + c[5] - 1) / c[5];
    float[] y = conv(d, hidden, oh, ow, values(p, name + ".project.weight"), values(p, name + ".project.bias"), out, 1, 1, 1, 1);
    if (c[5] == 1 && in == out) {
      for (int i = 0; i < y.length; i++) {
        y[i] += x[i];
      }
    }
    return y;
  }

  private static float[] values(Map<String, Parameter> p, String name) {
    return p.get(name).getArray().toFloatArray();
  }

  /**
   * A convolution of one C x H x W image written out: TF SAME padding (output ceil(H/s); padding
   * total t = max((out-1) s + (k-1) d + 1 - H, 0), floor(t/2) of it before), groups.
   */
  private static float[] conv(
      float[] x, int c, int h, int w, float[] wt, float[] bias, int o, int k, int s, int d, int groups) {
    int oh = (h + s - 1) / s;
    int ow = (w + s - 1) / s;
    int top = Math.max((oh - 1) * s + (k - 1) * d + 1 - h, 0) / 2;
    int left = Math.max((ow - 1) * s + (k - 1) * d + 1 - w, 0) / 2;
    int cin = c / groups;
    int cout = o / groups;
    float[] y = new float[o * oh * ow];
    for (int u = 0; u < o; u++) {
      int g = u / cout;
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double acc = bias[u];
          for (int v = 0; v < cin; v++) {
            for (int a = 0; a < k; a++) {
              int yy = i * s - top + a * d;
              for (int b = 0; b < k; b++) {
                int xx = j * s - left + b * d;
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                  acc += wt[((u * cin + v) * k + a) * k + b] * x[((g * cin + v) * h + yy) * w + xx];
                }
              }
            }
          }
          y[(u * oh + i) * ow + j] = (float) acc;
        }
      }
    }
    return y;
  }

  private static float[] relu6(float[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.min(Math.max(v[i], 0f), 6f);
    }
    return v;
  }
}
