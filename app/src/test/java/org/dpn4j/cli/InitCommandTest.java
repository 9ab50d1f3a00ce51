package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpn4j.data.LabelSet;
import org.dpn4j.io.Safetensors;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.HeadAssertions;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.unary.MobileNetV2;
import org.dpn4j.unary.NamedTensors;
import org.dpn4j.unary.Vgg16Dpn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Integration
class InitCommandTest {

  @TempDir Path dir;

  @Test
  void vggLiteRandomWithABuiltInLabelSet() throws IOException {
    Path out = dir.resolve("lite");
    CommandRun run = CommandRun.of(new InitCommand(), "--unary", "vgg-lite", "--labels", "camvid", "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("vgg-lite, 11 labels, 3,162,331 unary parameters (random)"), run.out());
    try (DpnModel m = DpnModel.load(out)) {
      assertEquals(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID).toJson(), m.config().toJson());
      assertHeadAtInitialValues(m);
    }
  }

  @Test
  void sameSeedSameWeights() throws IOException {
    Path a = dir.resolve("a.zip");
    Path b = dir.resolve("b.zip");
    for (Path p : List.of(a, b)) {
      assertEquals(0, CommandRun.of(new InitCommand(), "--unary", "vgg16-dpn", "--width-divisor", "64", "--labels", "voc",
          "--seed", "3", "--out", p.toString()).exitCode());
    }
    try (DpnModel ma = DpnModel.load(a); DpnModel mb = DpnModel.load(b)) {
      ma.tensors().forEach((n, t) -> assertArrayEquals(t.values(), mb.tensors().get(n).values(), n));
    }
  }

  @Test
  void mobileNetV2FromTheTfLiteFileWithALabelsFile() throws IOException {
    Path labels = dir.resolve("LABELS.json");
    LabelSet two = new LabelSet(List.of("background", "thing"), new int[] {0x000000, 0xFF8800}, 255);
    two.write(labels);
    Path out = dir.resolve("mnv2");
    CommandRun run = CommandRun.of(new InitCommand(), "--unary", "mobilenetv2", "--labels", labels.toString(),
        "--imagenet", "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    try (DpnModel m = DpnModel.load(out);
        NDManager nd = Engine.getEngine("PyTorch").newBaseManager()) {
      assertEquals(two, m.config().labels());
      assertHeadAtInitialValues(m);
      MobileNetV2 reference = new MobileNetV2(2);
      reference.initialize(nd, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      reference.loadTfLite(TfLiteModel.open(InitCommand.DEFAULT_MOBILENET));
      Map<String, NamedTensors.Tensor> saved = m.tensors();
      reference.namedParameters().forEach((n, p) -> {
        if (!n.startsWith("seg.")) {
          assertArrayEquals(p.getArray().toFloatArray(), saved.get("unary." + n).values(), n);
        }
      });
    }
  }

  /** vgg16-dpn at widths / 64 from a torchvision-named file of those widths (the full one is 528 MB). */
  @Test
  void vgg16DpnFromTorchvisionTensors() throws IOException {
    Path torchvision = dir.resolve("vgg16.safetensors");
    Map<String, float[]> written = writeTorchvisionVgg16(torchvision, 64);
    Path out = dir.resolve("vgg16");
    CommandRun run = CommandRun.of(new InitCommand(), "--unary", "vgg16-dpn", "--width-divisor", "64", "--labels",
        "cityscapes", "--imagenet", torchvision.toString(), "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    try (DpnModel m = DpnModel.load(out)) {
      Map<String, NamedTensors.Tensor> saved = m.tensors();
      assertArrayEquals(written.get("features.0.weight"), saved.get("unary.b1.conv1.weight").values());
      assertArrayEquals(written.get("features.28.bias"), saved.get("unary.b8.conv3.bias").values());
      assertArrayEquals(written.get("classifier.0.weight"), saved.get("unary.b9.weight").values());
      assertArrayEquals(written.get("classifier.3.weight"), saved.get("unary.b10.weight").values());
      assertEquals(64, m.config().widthDivisor());
    }
  }

  @Test
  void badRequestsAreRefusedWithAMessage() throws IOException {
    CommandRun lite = CommandRun.of(new InitCommand(), "--unary", "vgg-lite", "--labels", "camvid", "--imagenet",
        "--out", dir.resolve("x").toString());
    assertEquals(2, lite.exitCode());
    assertTrue(lite.err().contains("vgg-lite has no ImageNet weights"), lite.err());

    CommandRun unknown = CommandRun.of(new InitCommand(), "--unary", "resnet", "--labels", "camvid", "--out",
        dir.resolve("y").toString());
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("unknown architecture 'resnet'"), unknown.err());

    CommandRun labels = CommandRun.of(new InitCommand(), "--unary", "vgg-lite", "--labels", "ade20k", "--out",
        dir.resolve("z").toString());
    assertEquals(2, labels.exitCode());
    assertTrue(labels.err().contains("ade20k"), labels.err());

    Path exists = Files.createDirectories(dir.resolve("exists"));
    CommandRun again = CommandRun.of(new InitCommand(), "--unary", "vgg-lite", "--labels", "camvid", "--out",
        exists.toString());
    assertEquals(2, again.exitCode());
    assertTrue(again.err().contains(exists + ": already exists"), again.err());

    Path wrong = dir.resolve("wrong.safetensors");
    writeTorchvisionVgg16(wrong, 32);
    CommandRun shapes = CommandRun.of(new InitCommand(), "--unary", "vgg16-dpn", "--width-divisor", "64", "--labels",
        "camvid", "--imagenet", wrong.toString(), "--out", dir.resolve("w").toString());
    assertEquals(2, shapes.exitCode());
    assertTrue(shapes.err().contains(wrong + ": tensor features.0.weight"), shapes.err());
  }

  private static void assertHeadAtInitialValues(DpnModel m) {
    HeadAssertions.assertInitial(m.head(), 1, 5, 9);
    assertEquals("unary", m.config().trained());
  }

  /** Random torchvision vgg16 tensors for a network of widths / {@code divisor}; returns them by name. */
  private static Map<String, float[]> writeTorchvisionVgg16(Path file, int divisor) throws IOException {
    Map<String, float[]> values = new java.util.TreeMap<>();
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    Random r = new Random(1);
    try (NDManager nd = Engine.getEngine("PyTorch").newBaseManager()) {
      Vgg16Dpn net = new Vgg16Dpn(3, divisor);
      net.initialize(nd, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      Vgg16Dpn.torchvisionLayers().forEach((tv, ours) -> {
        for (String kind : new String[] {".weight", ".bias"}) {
          long[] shape = net.namedParameters().get(ours + kind).getArray().getShape().getShape();
          if (tv.startsWith("classifier") && shape.length == 4) {
            shape = new long[] {shape[0], shape[1] * shape[2] * shape[3]};
          }
          float[] v = new float[(int) new Shape(shape).size()];
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
          }
          values.put(tv + kind, v);
          tensors.add(Safetensors.Tensor.ofFloats(tv + kind, shape, v));
        }
      });
    }
    Safetensors.write(file, tensors, Map.of());
    return values;
  }
}
