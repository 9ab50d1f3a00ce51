package org.dpn4j.train;

import org.dpn4j.testing.Integration;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.LabelSet;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head stages' cache of b11's stride-8 logits, on 2 CamVid frames seen at 90 x 120 by a vgg-lite. */
@Integration
class UnaryLogitsCacheTest {

  /** float16 logits (11 bits of mantissa) of a random vgg-lite, then the softmax. */
  static final float F16_TOLERANCE = 2e-3f;

  static DpnModel model;
  static Dataset camvid;
  static List<Sample> samples;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws IOException {
    ModelConfig d = ModelConfig.defaults("vgg-lite", LabelSet.CAMVID);
    ModelConfig small = new ModelConfig(d.architecture(), 1, d.labels(),
        new ModelConfig.Input(d.input().normalisation(), 120, 8), d.head(), d.perLabelWeights(), "unary", null);
    model = DpnModel.create(small);
    camvid = Datasets.open("camvid", SharedData.path("camvid"));
    samples = camvid.samples("train").subList(0, 2);
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  @Test
  void stride8LogitsGiveTheUnarysOwnProbabilities() throws IOException {
    Maps image = model.unaryInput(camvid.read(samples.get(0)).image());
    Maps p = model.unaryProbabilities(image);
    Maps logits8 = model.unaryLogitsStride8(image);
    assertEquals(11, logits8.c);
    assertEquals(12, logits8.h); // 90 padded to 96, / 8
    assertEquals(15, logits8.w);
    assertClose(p, model.unaryProbabilitiesFromStride8(logits8, image.h, image.w), 1e-6f);
  }

  @Test
  void entriesAreTheUnaryOnTheWholeImageAndOnItsMirror() throws IOException {
    UnaryLogitsCache cache = UnaryLogitsCache.build(model, camvid, samples, List.of(1.0, 0.5), null, (d, t, r) -> {});
    assertEquals(4, cache.size());
    // 2 images x (12 x 15 + 6 x 8 at 45 x 60, padded to 48 x 64) x 11 labels x 2 (mirror) x 2 bytes.
    assertEquals(2L * (12 * 15 + 6 * 8) * 11 * 2 * 2, cache.bytes());
    for (int i = 0; i < samples.size(); i++) {
      LabelledImage pair = camvid.read(samples.get(i));
      Maps work = model.unaryInput(pair.image());
      HeadStageRun.Example e = cache.get(2 * i);
      assertClose(model.unaryProbabilities(work), e.p(), F16_TOLERANCE);
      assertArrayEquals(work.data, e.image().data);
      LabelledImage labels = Augmentation.scale(pair, 120.0 / 480);
      assertArrayEquals(labels.labels(), e.labels());

      HeadStageRun.Example m = cache.getMirrored(2 * i);
      assertClose(model.unaryProbabilities(Images.mirror(work)), m.p(), F16_TOLERANCE);
      assertArrayEquals(Images.mirror(work).data, m.image().data);
      assertArrayEquals(Augmentation.flip(labels).labels(), m.labels());

      HeadStageRun.Example half = cache.get(2 * i + 1);
      Maps halfImage = Images.resizeBilinear(work, 45, 60);
      assertArrayEquals(halfImage.data, half.image().data);
      assertClose(model.unaryProbabilities(halfImage), half.p(), F16_TOLERANCE);
    }
  }

  @Test
  void aDirectoryKeepsTheLogitsForTheSameUnaryOnly() throws IOException {
    int[] fromDisk = new int[1];
    UnaryLogitsCache first = UnaryLogitsCache.build(model, camvid, samples, List.of(1.0), dir, (d, t, r) -> fromDisk[0] = r);
    assertEquals(0, fromDisk[0]);
    UnaryLogitsCache again = UnaryLogitsCache.build(model, camvid, samples, List.of(1.0), dir, (d, t, r) -> fromDisk[0] = r);
    assertEquals(2, fromDisk[0]);
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(first.get(i).p().data, again.get(i).p().data);
      assertArrayEquals(first.getMirrored(i).p().data, again.getMirrored(i).p().data);
    }
    UnaryLogitsCache.build(model, camvid, samples, List.of(0.5), dir, (d, t, r) -> fromDisk[0] = r);
    assertEquals(0, fromDisk[0], "other scales");
    model.save(dir.resolve("copy"));
    try (DpnModel copy = DpnModel.load(dir.resolve("copy"))) {
      copy.head().b13().weights()[0] += 1;
      assertEquals(UnaryLogitsCache.fingerprint(model), UnaryLogitsCache.fingerprint(copy), "the same unary");
    }
    NDArray weight = model.unary().namedParameters().values().iterator().next().getArray();
    float[] original = weight.toFloatArray();
    float[] changed = original.clone();
    changed[0] += 1;
    String before = UnaryLogitsCache.fingerprint(model);
    weight.set(changed);
    try {
      assertTrue(!before.equals(UnaryLogitsCache.fingerprint(model)));
      UnaryLogitsCache.build(model, camvid, samples, List.of(0.5), dir, (d, t, r) -> fromDisk[0] = r);
      assertEquals(0, fromDisk[0], "another unary");
    } finally {
      weight.set(original);
    }
  }

  @Test
  void badScalesAreRefused() {
    for (List<Double> bad : List.of(List.<Double>of(), List.of(0.0), List.of(-1.0), List.of(Double.POSITIVE_INFINITY))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> UnaryLogitsCache.build(model, camvid, samples, bad, null, (d, t, r) -> {}));
      assertTrue(e.getMessage().contains("scales"), e.getMessage());
    }
  }

  static void assertClose(Maps expected, Maps actual, float tolerance) {
    assertEquals(expected.c, actual.c);
    assertEquals(expected.h, actual.h);
    assertEquals(expected.w, actual.w);
    float worst = 0;
    for (int i = 0; i < expected.data.length; i++) {
      worst = Math.max(worst, Math.abs(expected.data[i] - actual.data[i]));
    }
    assertTrue(worst <= tolerance, "max difference " + worst + " > " + tolerance);
  }
}
