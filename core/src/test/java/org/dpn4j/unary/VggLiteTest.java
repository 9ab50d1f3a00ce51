package org.dpn4j.unary;

import org.dpn4j.testing.TestNetworks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class VggLiteTest {

  private static final int LABELS = 11;

  @Test
  void outputsLogitsAtStride8AndAtTheInputsSize() {
    Shape input = new Shape(2, 3, 64, 96);
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      VggLite net = TestNetworks.initialised(new VggLite(LABELS), m, input);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray image = m.randomNormal(input);

      NDArray coarse = net.logitsStride8(ps, image, false);
      assertEquals(new Shape(2, LABELS, 8, 12), coarse.getShape());
      NDArray full = net.forward(ps, new NDList(image), false).singletonOrThrow();
      assertEquals(new Shape(2, LABELS, 64, 96), full.getShape());
      assertArrayEquals(
          UnaryNetwork.upsample(coarse, 64, 96).toFloatArray(), full.toFloatArray(), 1e-6f,
          "forward = stride-8 logits upsampled");
      assertArrayEquals(
          full.toFloatArray(), net.logits(ps, image, false).toFloatArray(), 0f, "no dropout at inference");
      assertTrue(coarse.abs().max().getFloat() > 0, "logits are not all zero");
    }
  }

  @Test
  void hasTheLargeFovPlanAndParameterCount() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      VggLite net = TestNetworks.initialised(new VggLite(LABELS), m, new Shape(1, 3, 32, 32));
      // widths 16, 32, 64, 128, 128; fc6 3x3 dilation 12 to 1024; fc7 1x1 1024; b11 1x1 to 11.
      assertEquals(3_162_331L, net.parameterCount());
      Conv2d fc6 = net.conv("b9");
      assertEquals(new Shape(1024, 128, 3, 3), fc6.getParameters().get("weight").getArray().getShape());
      assertEquals(new Shape(12, 12), fc6.getDilation());
      assertEquals(new Shape(12, 12), fc6.getPadding());
      assertEquals(new Shape(1024, 1024, 1, 1), net.namedParameters().get("b10.weight").getShape());
      assertEquals(new Shape(LABELS, 1024, 1, 1), net.namedParameters().get("b11.weight").getShape());
      assertEquals(new Shape(16, 3, 3, 3), net.namedParameters().get("b1.conv1.weight").getShape());
      assertEquals(new Shape(128, 128, 3, 3), net.namedParameters().get("b8.conv3.weight").getShape());
    }
  }

  @Test
  void gradientsReachTheFirstLayer() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      Shape input = new Shape(1, 3, 32, 40);
      VggLite net = TestNetworks.initialised(new VggLite(LABELS), m, input);
      TestNetworks.assertGradientsReach(net, () -> UnaryNetwork.probabilities(
          net.logits(new ParameterStore(m, false), m.randomNormal(input), true)).get(new NDIndex(":, 0")).sum(),
          "b1.conv1.weight", "b9.weight", "b11.weight");
    }
  }

  @Test
  void networksAreFoundByTheirCommandLineNames() {
    assertTrue(UnaryNetwork.named("vgg-lite", LABELS) instanceof VggLite);
    assertTrue(UnaryNetwork.named("vgg16", LABELS) instanceof Vgg16Dpn);
    assertEquals(LABELS, UnaryNetwork.named("mobilenetv2", LABELS).numLabels());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UnaryNetwork.named("resnet", LABELS));
    assertTrue(e.getMessage().contains("resnet") && e.getMessage().contains("vgg-lite"), e.getMessage());
  }

  @Test
  void upsamplingIsBilinearWithHalfPixelCentres() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray x = m.create(new float[] {0, 8}, new Shape(1, 1, 1, 2));
      // align_corners=false: output x maps to input (x + 0.5) / 2 - 0.5, clamped at the border.
      float[] up = UnaryNetwork.upsample(x, 1, 4).toFloatArray();
      assertArrayEquals(new float[] {0, 2, 6, 8}, up, 1e-6f);
    }
  }
}
