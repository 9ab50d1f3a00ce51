package org.dpn4j.unary;

import org.dpn4j.testing.TestNetworks;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.io.WeightFileException;
import org.junit.jupiter.api.Test;

/** The Coral test suite's checks of the TFLite MobileNetV2, reproduced with the imported weights. */
class MobileNetV2TfLiteTest {

  private static final Path DATA = SharedData.path("pretrained");

  @Test
  void importedWeightsClassifyLikeTfLite() throws IOException {
    TfLiteModel model = TfLiteModel.open(DATA.resolve("mobilenet_v2_1.0_224_quant.tflite"));
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      MobileNetV2 net = TestNetworks.initialised(new MobileNetV2(21), m, new Shape(1, 3, 224, 224));
      net.loadTfLite(model);
      ParameterStore ps = new ParameterStore(m, false);
      TfLiteModel.Quantization q = model.main().tensor(model.main().inputs()[0]).quantization();

      assertEquals(653, top(net, ps, m, q, "grace_hopper.bmp", 1)[0], "military uniform");
      assertEquals(286, top(net, ps, m, q, "cat.bmp", 1)[0], "Egyptian cat");
      int[] parrot = top(net, ps, m, q, "parrot.jpg", 5);
      assertTrue(java.util.Arrays.stream(parrot).anyMatch(c -> c == 89), "macaw in the top 5");
    }
  }

  @Test
  void anotherNetworksFileIsRefusedByName() throws IOException {
    TfLiteModel deeplab = TfLiteModel.open(DATA.resolve("deeplabv3_mnv2_pascal_quant.tflite"));
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      MobileNetV2 net = TestNetworks.initialised(new MobileNetV2(21), m, new Shape(1, 3, 64, 64));
      WeightFileException e = assertThrows(WeightFileException.class, () -> net.loadTfLite(deeplab));
      assertTrue(e.getMessage().contains("deeplabv3_mnv2_pascal_quant.tflite"), e.getMessage());
    }
  }

  /**
   * The {@code n} best classes for a sample image, fed as TFLite is: resized bilinearly to 224 x
   * 224, as uint8 RGB, dequantised with the input tensor's scale and zero point.
   */
  private static int[] top(
      MobileNetV2 net, ParameterStore ps, NDManager m, TfLiteModel.Quantization q, String image, int n)
      throws IOException {
    Maps rgb = Images.resizeBilinear(Images.readRgb(DATA.resolve("imagenet-samples").resolve(image)), 224, 224);
    float[] x = new float[rgb.data.length];
    for (int i = 0; i < x.length; i++) {
      long byteValue = Math.max(0, Math.min(255, Math.round(rgb.data[i] * 255)));
      x[i] = q.scale(0) * (byteValue - q.zeroPoint(0));
    }
    NDArray logits = net.classify(ps, m.create(x, new Shape(1, 3, 224, 224)), false);
    return logits.argSort(1, false).get("0, :" + n).toType(DataType.INT32, false).toIntArray();
  }
}
