package org.dpn4j.unary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Map;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.io.WeightFileException;
import org.dpn4j.testing.Integration;
import org.dpn4j.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DeepLabV3 MobileNetV2 from TF's quantised PASCAL VOC file: import, checks, geometry, backbone reuse. */
@Integration
class DeepLabV3Test {

  private static TfLiteModel deeplab;

  @BeforeAll
  static void open() throws IOException {
    deeplab = TfLiteModel.open(SharedData.path("pretrained/deeplabv3_mnv2_pascal_quant.tflite"));
  }

  @Test
  void theWholeFileIsImportedAndGivesOutputStride16LogitsUpsampledWithAlignedCorners() throws IOException {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      DeepLabV3 net = initialised(m, 21);
      net.loadTfLite(deeplab);
      Map<String, ai.djl.nn.Parameter> p = net.namedParameters();
      assertEquals(2_097_013, net.parameterCount());
      assertTrue(p.containsKey("block16.project.weight") && p.containsKey("image_pooling.weight")
          && p.containsKey("concat_projection.bias") && p.containsKey("logits.weight"), p.keySet().toString());
      // The file's logits bias, dequantised, is what the network now holds.
      float[] bias = deeplab.main().tensor(deeplab.operators().get(68).inputs()[2]).dequantize();
      assertArrayEquals(bias, p.get("logits.bias").getArray().toFloatArray(), 0f);

      ParameterStore ps = new ParameterStore(m, false);
      NDArray x = m.randomUniform(-1f, 1f, new Shape(1, 3, 65, 97));
      assertEquals(new Shape(1, 21, 5, 7), net.logitsStride8(ps, x, false).getShape(), "ceil(H/16) x ceil(W/16)");
      NDArray full = net.logits(ps, x, false);
      assertEquals(new Shape(1, 21, 65, 97), full.getShape());
      // Aligned corners: the corner pixels are the corner cells of the small grid.
      NDArray small = net.logitsStride8(ps, x, false);
      assertArrayEquals(small.get("0, :, 4, 6").toFloatArray(), full.get("0, :, 64, 96").toFloatArray(), 1e-4f);
    }
  }

  @Test
  void theBackboneAloneComesIntoAPlainMobileNetV2() throws IOException {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      MobileNetV2 camvid = new MobileNetV2(11);
      camvid.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      float[] segBefore = camvid.namedParameters().get("seg.weight").getArray().toFloatArray();
      var rest = camvid.loadTfLiteBackbone(deeplab);
      assertEquals(4, rest.size(), "aspp0, image_pooling, concat_projection, logits are left");
      DeepLabV3 whole = initialised(m, 21);
      whole.loadTfLite(deeplab);
      for (String name : new String[] {"stem.weight", "block13.depthwise.weight", "block16.project.bias"}) {
        assertArrayEquals(whole.namedParameters().get(name).getArray().toFloatArray(),
            camvid.namedParameters().get(name).getArray().toFloatArray(), 0f, name);
      }
      assertArrayEquals(segBefore, camvid.namedParameters().get("seg.weight").getArray().toFloatArray(), 0f);
    }
  }

  @Test
  void theImageNetClassifierFileIsRefusedByName() throws IOException {
    TfLiteModel imagenet = TfLiteModel.open(SharedData.path("pretrained/mobilenet_v2_1.0_224_quant.tflite"));
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      assertRefused(() -> initialised(m, 21).loadTfLite(imagenet), "mobilenet_v2_1.0_224_quant.tflite",
          "2 convolutions after the MobileNetV2 backbone");
      // 19 labels (Cityscapes) do not fit the file's 21-class logits.
      assertRefused(() -> initialised(m, 19).loadTfLite(deeplab), "deeplabv3_mnv2_pascal_quant.tflite", "logits");
    }
  }

  private static DeepLabV3 initialised(NDManager m, int labels) {
    DeepLabV3 net = new DeepLabV3(labels);
    net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
    return net;
  }

  private static void assertRefused(org.junit.jupiter.api.function.Executable load, String... parts) {
    WeightFileException e = assertThrows(WeightFileException.class, load);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }
}
