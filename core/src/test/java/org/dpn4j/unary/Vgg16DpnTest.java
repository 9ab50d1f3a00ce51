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
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpn4j.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vgg16DpnTest {

  private static final int LABELS = 21;

  @Test
  void groupsHaveThePapersFeatureMapSizesAt512() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      Shape input = new Shape(1, 3, 512, 512);
      Vgg16Dpn net = TestNetworks.initialised(new Vgg16Dpn(LABELS, 16), m, input);
      NDArray image = m.randomNormal(input);
      List<NDArray> maps = net.groupOutputs(new ParameterStore(m, false), image, false);

      long[] sizes = {512, 256, 256, 128, 128, 64, 64, 64, 64, 64, 64};
      long[] widths = {4, 4, 8, 8, 16, 16, 32, 32, 256, 256, LABELS};
      assertEquals(11, maps.size());
      for (int g = 0; g < 11; g++) {
        assertEquals(new Shape(1, widths[g], sizes[g], sizes[g]), maps.get(g).getShape(), "b" + (g + 1));
      }
      NDArray logits = net.logits(new ParameterStore(m, false), image, false);
      assertEquals(new Shape(1, LABELS, 512, 512), logits.getShape(), "b11 after bilinear x8");
      assertEquals(new Shape(1, LABELS, 512, 512), net.getOutputShapes(new Shape[] {input})[0]);
      NDArray p = UnaryNetwork.probabilities(logits);
      assertTrue(p.sum(new int[] {1}).sub(1).abs().max().getFloat() < 1e-5f, "softmax over labels sums to 1");
    }
  }

  @Test
  void torchvisionLayersAreVgg16sConvolutionsAndFcs() {
    Map<String, String> layers = Vgg16Dpn.torchvisionLayers();
    String[] expected = {
      "features.0", "features.2", "features.5", "features.7", "features.10", "features.12", "features.14",
      "features.17", "features.19", "features.21", "features.24", "features.26", "features.28",
      "classifier.0", "classifier.3"
    };
    assertArrayEquals(expected, layers.keySet().toArray());
    assertEquals("b7.conv3", layers.get("features.21"));
    assertEquals("b8.conv1", layers.get("features.24"));
    assertEquals("b9", layers.get("classifier.0"));
    assertEquals("b10", layers.get("classifier.3"));
  }

  @Test
  void imageNetTensorsGoToTheirLayersAndFc6IsTheZeroPaddedFcMatrix() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      Vgg16Dpn net = TestNetworks.initialised(new Vgg16Dpn(LABELS, 32), m, new Shape(1, 3, 64, 64));
      Map<String, NamedTensors.Tensor> tv = torchvisionTensors(32, new Random(1));
      net.loadImageNet(NamedTensors.of(tv));

      for (Map.Entry<String, String> e : Vgg16Dpn.torchvisionLayers().entrySet()) {
        for (String kind : new String[] {".weight", ".bias"}) {
          NDArray ours = net.namedParameters().get(e.getValue() + kind).getArray();
          assertArrayEquals(tv.get(e.getKey() + kind).values(), ours.toFloatArray(), e.getKey() + kind);
        }
      }
      assertEquals(new Shape(128, 16, 7, 7), net.namedParameters().get("b9.weight").getArray().getShape());
      assertEquals(new Shape(128, 128, 1, 1), net.namedParameters().get("b10.weight").getArray().getShape());

      // b11 keeps the paper's random start: N(0, 0.01^2), bias 0 (128 x 21 weights).
      NDArray b11 = net.namedParameters().get("b11.weight").getArray();
      double std = Math.sqrt(b11.square().mean().getFloat());
      assertTrue(std > 0.008 && std < 0.012, "b11 std " + std);
      assertEquals(0f, net.namedParameters().get("b11.bias").getArray().abs().max().getFloat());

      // fc6 as the paper writes it: 25x25 filters, the 7x7 fc taps on every 4th tap, zeros between.
      float[] fc = tv.get("classifier.0.weight").values();
      float[] padded = net.b9ZeroPaddedFilter().toFloatArray();
      assertEquals(128 * 16 * 25 * 25, padded.length);
      for (int o = 0; o < 128; o++) {
        for (int i = 0; i < 16; i++) {
          for (int y = 0; y < 25; y++) {
            for (int x = 0; x < 25; x++) {
              float want = y % 4 == 0 && x % 4 == 0 ? fc[o * 16 * 49 + i * 49 + (y / 4) * 7 + x / 4] : 0f;
              assertEquals(want, padded[((o * 16 + i) * 25 + y) * 25 + x], "tap " + o + "," + i + "," + y + "," + x);
            }
          }
        }
      }
    }
  }

  @Test
  void loadsFromASafetensorsFile(@TempDir Path dir) throws IOException {
    Map<String, NamedTensors.Tensor> tv = torchvisionTensors(32, new Random(3));
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    tv.forEach((name, t) -> tensors.add(Safetensors.Tensor.ofFloats(name, t.shape(), t.values())));
    Path file = dir.resolve("vgg16-small.safetensors");
    Safetensors.write(file, tensors, Map.of());
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      Vgg16Dpn net = TestNetworks.initialised(new Vgg16Dpn(LABELS, 32), m, new Shape(1, 3, 64, 64));
      net.loadImageNet(NamedTensors.of(Safetensors.open(file)));
      assertArrayEquals(tv.get("classifier.0.weight").values(), net.namedParameters().get("b9.weight").getArray().toFloatArray());
      assertArrayEquals(tv.get("features.28.bias").values(), net.namedParameters().get("b8.conv3.bias").getArray().toFloatArray());
    }
  }

  @Test
  void b9EqualsTheConvolutionWithThe25x25Filter() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      Vgg16Dpn net = TestNetworks.initialised(new Vgg16Dpn(LABELS, 32), m, new Shape(1, 3, 64, 64));
      NDArray x = m.randomNormal(new Shape(1, 16, 19, 23));
      Conv2d b9 = net.conv("b9");
      NDArray dilated = b9.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      NDArray dense =
          Conv2d.conv2d(x, net.b9ZeroPaddedFilter(), b9.getParameters().get("bias").getArray(),
                  new Shape(1, 1), new Shape(12, 12))
              .singletonOrThrow();
      assertEquals(new Shape(1, 128, 19, 23), dilated.getShape());
      float scale = dense.abs().max().getFloat();
      assertTrue(dilated.sub(dense).abs().max().getFloat() < 1e-5f * scale);
    }
  }

  @Test
  void wrongOrMissingTensorsAreNamed() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      Vgg16Dpn net = TestNetworks.initialised(new Vgg16Dpn(LABELS, 32), m, new Shape(1, 3, 64, 64));
      Map<String, NamedTensors.Tensor> tv = torchvisionTensors(32, new Random(2));

      tv.put("classifier.0.weight", new NamedTensors.Tensor(new long[] {128, 16 * 36}, new float[128 * 16 * 36]));
      IllegalArgumentException wrong =
          assertThrows(IllegalArgumentException.class, () -> net.loadImageNet(NamedTensors.of(tv)));
      assertTrue(wrong.getMessage().contains("classifier.0.weight"), wrong.getMessage());
      assertTrue(wrong.getMessage().contains("expected shape [128, 784]"), wrong.getMessage());
      assertTrue(wrong.getMessage().contains("found [128, 576]"), wrong.getMessage());

      tv.remove("classifier.0.weight");
      IllegalArgumentException missing =
          assertThrows(IllegalArgumentException.class, () -> net.loadImageNet(NamedTensors.of(tv)));
      assertTrue(missing.getMessage().contains("classifier.0.weight"), missing.getMessage());
      assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    }
  }

  @Test
  void layersHaveThePapersFilters() {
    Vgg16Dpn net = new Vgg16Dpn(LABELS);
    // name, kernel, dilation, padding, filters
    Object[][] table = {
      {"b1.conv2", 3, 1, 1, 64}, {"b3.conv1", 3, 1, 1, 128}, {"b5.conv3", 3, 1, 1, 256},
      {"b7.conv3", 3, 1, 1, 512}, {"b8.conv1", 3, 2, 2, 512}, {"b8.conv3", 3, 2, 2, 512},
      {"b9", 7, 4, 12, 4096}, {"b10", 1, 1, 0, 4096}, {"b11", 1, 1, 0, LABELS}
    };
    for (Object[] row : table) {
      Conv2d c = net.conv((String) row[0]);
      int k = (int) row[1];
      int d = (int) row[2];
      int p = (int) row[3];
      assertEquals(new Shape(k, k), c.getKernelShape(), row[0] + " kernel");
      assertEquals(new Shape(d, d), c.getDilation(), row[0] + " dilation");
      assertEquals(new Shape(p, p), c.getPadding(), row[0] + " padding");
      assertEquals(new Shape(1, 1), c.getStride(), row[0] + " stride");
      assertEquals((int) row[4], c.getFilters(), row[0] + " filters");
    }
  }

  @Test
  void aTensorsShapeMustMatchItsValues() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new NamedTensors.Tensor(new long[] {2, 3}, new float[5]));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("5"), e.getMessage());
  }

  @Test
  void loadingNeedsAnInitialisedNetwork() {
    Vgg16Dpn net = new Vgg16Dpn(LABELS, 32);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> net.loadImageNet(NamedTensors.of(Map.of())));
    assertTrue(e.getMessage().contains("initialize"), e.getMessage());
  }

  @Test
  void widthDivisorMustDivide64() {
    assertThrows(IllegalArgumentException.class, () -> new Vgg16Dpn(LABELS, 3));
  }

  /** torchvision vgg16's tensors with every width divided by {@code d} (classifier.6 included). */
  private static Map<String, NamedTensors.Tensor> torchvisionTensors(int d, Random rnd) {
    Map<String, NamedTensors.Tensor> t = new HashMap<>();
    int[] index = {0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28};
    int[] out = {64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512};
    int in = 3;
    for (int k = 0; k < index.length; k++) {
      int o = out[k] / d;
      put(t, "features." + index[k] + ".weight", new long[] {o, in, 3, 3}, rnd);
      put(t, "features." + index[k] + ".bias", new long[] {o}, rnd);
      in = o;
    }
    int fc = 4096 / d;
    put(t, "classifier.0.weight", new long[] {fc, in * 49}, rnd);
    put(t, "classifier.0.bias", new long[] {fc}, rnd);
    put(t, "classifier.3.weight", new long[] {fc, fc}, rnd);
    put(t, "classifier.3.bias", new long[] {fc}, rnd);
    put(t, "classifier.6.weight", new long[] {1000, fc}, rnd);
    put(t, "classifier.6.bias", new long[] {1000}, rnd);
    return t;
  }

  private static void put(Map<String, NamedTensors.Tensor> t, String name, long[] shape, Random rnd) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    t.put(name, new NamedTensors.Tensor(shape, v));
  }
}
