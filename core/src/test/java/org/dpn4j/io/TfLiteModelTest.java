package org.dpn4j.io;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.dpn4j.io.TfLiteModel.Activation;
import org.dpn4j.io.TfLiteModel.Operator;
import org.dpn4j.io.TfLiteModel.Padding;
import org.dpn4j.io.TfLiteModel.Quantization;
import org.dpn4j.io.TfLiteModel.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfLiteModelTest {

  static final Path MOBILENET = SharedData.path("pretrained/mobilenet_v2_1.0_224_quant.tflite");
  static final Path DEEPLAB = SharedData.path("pretrained/deeplabv3_mnv2_pascal_quant.tflite");

  static TfLiteModel mobilenet;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    mobilenet = TfLiteModel.open(MOBILENET);
  }

  @Test
  void mobilenetInputAndOutput() {
    TfLiteModel.Subgraph g = mobilenet.main();
    assertEquals(3, mobilenet.version());
    assertEquals(1, mobilenet.subgraphs().size());
    assertEquals(1, g.inputs().length);
    Tensor input = g.tensor(g.inputs()[0]);
    assertArrayEquals(new int[] {1, 224, 224, 3}, input.shape());
    assertEquals(DType.U8, input.type());
    assertFalse(input.isConstant());
    assertArrayEquals(new float[] {0.0078125f}, input.quantization().scale());
    assertArrayEquals(new long[] {128}, input.quantization().zeroPoint());
    Tensor output = g.tensor(g.outputs()[0]);
    assertEquals("MobilenetV2/Predictions/Softmax", output.name());
    assertArrayEquals(new int[] {1, 1001}, output.shape());
    assertEquals(174, g.tensors().size());
  }

  @Test
  void mobilenetFirstConvolution() {
    Operator conv = mobilenet.operators().get(0);
    assertEquals("CONV_2D", conv.name());
    assertEquals(3, conv.builtinCode());
    assertEquals(mobilenet.main().inputs()[0], conv.inputs()[0]);
    assertEquals(Padding.SAME, conv.padding());
    assertEquals(2, conv.strideH());
    assertEquals(2, conv.strideW());
    assertEquals(1, conv.dilationH());
    assertEquals(Activation.RELU6, conv.activation());

    Tensor weight = mobilenet.tensors().get(conv.inputs()[1]);
    assertArrayEquals(new int[] {32, 3, 3, 3}, weight.shape());
    assertEquals(DType.U8, weight.type());
    assertEquals(32 * 3 * 3 * 3, weight.data().remaining());
    Quantization wq = weight.quantization();
    assertEquals(1, wq.scale().length);
    float[] real = weight.dequantize();
    ByteBuffer raw = weight.data();
    for (int i : new int[] {0, 1, 100, 863}) {
      assertEquals(wq.scale()[0] * ((raw.get(i) & 0xff) - wq.zeroPoint()[0]), real[i], 1e-7f);
    }

    // int32 bias: its own scale, input_scale * weight_scale, zero point 0.
    Tensor bias = mobilenet.tensors().get(conv.inputs()[2]);
    assertEquals(DType.I32, bias.type());
    assertArrayEquals(new int[] {32}, bias.shape());
    float inputScale = mobilenet.tensors().get(conv.inputs()[0]).quantization().scale()[0];
    assertEquals(inputScale * wq.scale()[0], bias.quantization().scale()[0], 1e-6 * bias.quantization().scale()[0]);
    assertEquals(0, bias.quantization().zeroPoint()[0]);
    assertEquals(bias.quantization().scale()[0] * bias.data().getInt(4 * 5), bias.dequantize()[5], 1e-9f);
  }

  @Test
  void mobilenetOperatorsFormAChainFromInputToOutput() {
    List<Operator> ops = mobilenet.operators();
    Map<String, Integer> counts = new TreeMap<>();
    ops.forEach(op -> counts.merge(op.name(), 1, Integer::sum));
    assertEquals(Map.of("ADD", 10, "AVERAGE_POOL_2D", 1, "CONV_2D", 36, "DEPTHWISE_CONV_2D", 17, "RESHAPE", 1,
        "SOFTMAX", 1), counts);

    Set<Integer> available = new HashSet<>();
    available.add(mobilenet.main().inputs()[0]);
    for (Operator op : ops) {
      for (int in : op.inputs()) {
        Tensor t = mobilenet.tensors().get(in);
        assertTrue(t.isConstant() || available.contains(in), op.name() + " " + op.index() + " reads " + t.name());
      }
      for (int out : op.outputs()) {
        available.add(out);
      }
    }
    assertEquals(mobilenet.main().outputs()[0], ops.get(ops.size() - 1).outputs()[0]);

    Operator depthwise = ops.get(1);
    assertEquals("DEPTHWISE_CONV_2D", depthwise.name());
    assertEquals(1, depthwise.depthMultiplier());
    assertArrayEquals(new int[] {1, 3, 3, 32}, mobilenet.tensors().get(depthwise.inputs()[1]).shape());
    Operator pool = ops.get(62);
    assertEquals("AVERAGE_POOL_2D", pool.name());
    assertEquals(Padding.VALID, pool.padding());
    assertEquals(7, pool.intOption("filter_height"));
    assertEquals(1.0f, (Float) ops.get(65).option("beta"));
    IllegalStateException e = assertThrows(IllegalStateException.class, pool::depthMultiplier);
    assertTrue(e.getMessage().contains("operator 62 (AVERAGE_POOL_2D) has no option depth_multiplier"), e.getMessage());
  }

  @Test
  void deeplabHasDilatedDepthwiseConvolutionsAndEndsInArgMax() throws IOException {
    TfLiteModel deeplab = TfLiteModel.open(DEEPLAB);
    TfLiteModel.Subgraph g = deeplab.main();
    assertArrayEquals(new int[] {1, 513, 513, 3}, g.tensor(g.inputs()[0]).shape());
    Operator last = deeplab.operators().get(deeplab.operators().size() - 1);
    assertEquals("ARG_MAX", last.name());
    assertEquals("I64", last.option("output_type"));
    Tensor logits = g.tensor(last.inputs()[0]);
    assertArrayEquals(new int[] {1, 513, 513, 21}, logits.shape());
    Tensor labels = g.tensor(g.outputs()[0]);
    assertArrayEquals(new int[] {1, 513, 513}, labels.shape());
    assertEquals(DType.I64, labels.type());
    long dilated = deeplab.operators().stream()
        .filter(op -> op.name().equals("DEPTHWISE_CONV_2D") && op.dilationH() == 2 && op.dilationW() == 2)
        .count();
    assertTrue(dilated >= 3, "dilated depthwise convolutions: " + dilated);
    Operator resize = deeplab.operators().stream().filter(op -> op.name().equals("RESIZE_BILINEAR")).findFirst()
        .orElseThrow();
    assertEquals(Boolean.TRUE, resize.option("align_corners"));
    assertNull(g.tensor("ArgMax/dimension").quantization());
    assertArrayEquals(new float[] {3}, g.tensor("ArgMax/dimension").dequantize());
  }

  @Test
  void perChannelDequantisationUsesTheQuantisedDimension() {
    // shape 2x3 (channels along dimension 1): scale per column, zero point per column.
    ByteBuffer q = ByteBuffer.wrap(new byte[] {10, 20, -30, 0, 5, 127});
    Quantization quant = new Quantization(new float[] {0.5f, 2f, 0.25f}, new long[] {0, 5, -2}, 1, new float[0],
        new float[0]);
    Tensor t = new Tensor(0, "w", new int[] {2, 3}, DType.I8, 1, quant, q);
    assertArrayEquals(new float[] {5, 30, -7, 0, 0, 32.25f}, t.dequantize());
    Quantization rows = new Quantization(new float[] {1f, 10f}, new long[] {0}, 0, new float[0], new float[0]);
    Tensor r = new Tensor(0, "w", new int[] {2, 3}, DType.I8, 1, rows, q);
    assertArrayEquals(new float[] {10, 20, -30, 0, 50, 1270}, r.dequantize());
    assertEquals("axis=1 scale[3]=0.2500..2.000 zp=-2..5", quant.brief());
    Tensor short5 = new Tensor(0, "w", new int[] {2, 3}, DType.I8, 1, quant, ByteBuffer.wrap(new byte[5]));
    IllegalStateException e = assertThrows(IllegalStateException.class, short5::dequantize);
    assertTrue(e.getMessage().contains("holds 5 bytes, its shape needs 6"), e.getMessage());
  }

  private void assertBad(byte[] bytes, String problem) throws IOException {
    Path file = dir.resolve("bad.tflite");
    Files.write(file, bytes);
    WeightFileException e = assertThrows(WeightFileException.class, () -> TfLiteModel.open(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
  }

  @Test
  void corruptAndTruncatedFilesGiveClearErrors() throws IOException {
    byte[] bytes = Files.readAllBytes(MOBILENET);
    assertBad(new byte[0], "not a TFLite model");
    assertBad("PK\3\4 this is a zip".getBytes(), "not a TFLite model");
    assertBad(java.util.Arrays.copyOf(bytes, 4096), "corrupt TFLite model");
    byte[] badRoot = bytes.clone();
    ByteBuffer.wrap(badRoot).order(ByteOrder.LITTLE_ENDIAN).putInt(0, bytes.length + 100);
    assertBad(badRoot, "corrupt TFLite model (model): reads bytes");
  }

  /** Random damage anywhere must give a clean WeightFileException or a readable model, nothing else. */
  @Test
  void randomDamageNeverEscapesAsAnotherException() throws IOException {
    byte[] bytes = Files.readAllBytes(MOBILENET);
    Random random = new Random(7);
    int rejected = 0;
    for (int trial = 0; trial < 300; trial++) {
      byte[] damaged = bytes.clone();
      // Half the hits go to the first and last 16 KB, where the converter puts the tables.
      int at = trial % 2 == 0 ? random.nextInt(bytes.length - 4)
          : (random.nextBoolean() ? random.nextInt(16384) : bytes.length - 4 - random.nextInt(16384));
      ByteBuffer.wrap(damaged).order(ByteOrder.LITTLE_ENDIAN).putInt(at, random.nextInt());
      try {
        TfLiteModel m = TfLiteModel.read(Path.of("damaged.tflite"), ByteBuffer.wrap(damaged));
        assertNotNull(m.main());
      } catch (WeightFileException e) {
        assertTrue(e.getMessage().startsWith("damaged.tflite: "), e.getMessage());
        rejected++;
      }
    }
    assertTrue(rejected > 0, "some damage should be detected");
  }
}
