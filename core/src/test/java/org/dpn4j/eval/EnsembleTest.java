package org.dpn4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.dpn4j.data.LabelSet;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Averaging over scales, the mirrored image and models, checked against DpnModel.segment pass by pass. */
class EnsembleTest {

  private static final BufferedImage IMAGE = noise(56, 40);
  private static final Maps RGB = Images.toRgb(IMAGE);
  /**
   * The same computation in separate forward passes: equal by construction, but the PyTorch engine
   * was once seen to differ in the last bit between two passes of the same input.
   */
  private static final float SAME = 1e-6f;

  private static DpnModel model;

  @BeforeAll
  static void createModel() {
    model = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID));
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private static BufferedImage noise(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(3);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // Smooth colour ramps plus noise: a random unary still gives varied labels on them.
        int v = r.nextInt(64);
        img.setRGB(x, y, ((x * 4 + v) << 16) | ((y * 5 + v) << 8) | (255 - x * 3));
      }
    }
    return img;
  }

  @Test
  void oneModelAtScaleOneIsDpnModelSegment() {
    Ensemble.Prediction p = new Ensemble(List.of(model), List.of(1.0), false).predict(RGB);
    assertArrayEquals(model.segment(IMAGE, false).probabilities().data, p.unary().data, SAME);
    assertArrayEquals(model.segment(IMAGE, true).probabilities().data, p.dpn().data, SAME);
    assertFalse(Arrays.equals(p.unary().data, p.dpn().data), "the head changes the probabilities");
  }

  @Test
  void theMirroredImagesProbabilitiesAreMirroredBackAndAveraged() {
    Ensemble.Prediction p = new Ensemble(List.of(model), List.of(1.0), true).predict(RGB);
    Maps plain = model.segment(IMAGE, false).probabilities();
    Maps mirrored = model.segment(mirror(IMAGE), false).probabilities();
    Maps expected = plain.zerosLike();
    for (int k = 0; k < plain.c; k++) {
      for (int y = 0; y < plain.h; y++) {
        for (int x = 0; x < plain.w; x++) {
          expected.set(k, y, x, (plain.get(k, y, x) + mirrored.get(k, y, plain.w - 1 - x)) / 2);
        }
      }
    }
    assertArrayEquals(expected.data, p.unary().data, 1e-6f);
    assertTrue(maxDifference(plain, p.unary()) > 1e-4, "a random vgg-lite is not mirror-symmetric");
    assertArrayEquals(model.head().refine(expected, RGB).data, p.dpn().data, 1e-5f);
  }

  private static BufferedImage mirror(BufferedImage img) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        out.setRGB(img.getWidth() - 1 - x, y, img.getRGB(x, y));
      }
    }
    return out;
  }

  @Test
  void otherScalesAreResizedBackBeforeAveraging() {
    Ensemble.Prediction p = new Ensemble(List.of(model), List.of(0.5, 1.0), false).predict(RGB);
    // 56 x 40 at half size is 28 x 20; its probabilities come back to 56 x 40 bilinearly.
    Maps half = model.unaryProbabilities(Images.resizeBilinear(RGB, 20, 28));
    assertEquals(20, half.h);
    Maps back = Images.resizeBilinear(half, 40, 56);
    Maps plain = model.segment(IMAGE, false).probabilities();
    Maps expected = plain.zerosLike();
    for (int i = 0; i < expected.data.length; i++) {
      expected.data[i] = (back.data[i] + plain.data[i]) / 2;
    }
    assertArrayEquals(expected.data, p.unary().data, 1e-6f);
    assertArrayEquals(model.head().refine(expected, RGB).data, p.dpn().data, 1e-5f);
  }

  @Test
  void twoCopiesOfAModelAverageToTheModel(@TempDir Path dir) throws IOException {
    model.save(dir.resolve("copy"));
    try (DpnModel copy = DpnModel.load(dir.resolve("copy"))) {
      Ensemble.Prediction one = new Ensemble(List.of(model), List.of(1.0), false).predict(RGB);
      Ensemble.Prediction two = new Ensemble(List.of(model, copy), List.of(1.0), false).predict(RGB);
      assertArrayEquals(one.unary().data, two.unary().data, SAME);
      assertArrayEquals(one.dpn().data, two.dpn().data, SAME);
    }
  }

  @Test
  void theHeadRunsAtTheSizeTheFirstUnarySees() {
    ModelConfig d = ModelConfig.defaults("vgg-lite", LabelSet.CAMVID);
    ModelConfig small = new ModelConfig(d.architecture(), d.widthDivisor(), d.labels(),
        new ModelConfig.Input(d.input().normalisation(), 28, 8), d.head(), d.perLabelWeights(), d.trained(), d.lastStage());
    try (DpnModel longSide = DpnModel.create(small)) {
      Ensemble.Prediction p = new Ensemble(List.of(longSide), List.of(1.0), false).predict(RGB);
      assertEquals(40, p.dpn().h);
      assertEquals(56, p.dpn().w);
      assertArrayEquals(longSide.segment(IMAGE, false).probabilities().data, p.unary().data, SAME);
      assertArrayEquals(longSide.segment(IMAGE, true).probabilities().data, p.dpn().data, SAME);

      // Two models of different input sizes: the second's probabilities come to the first's 28 x 20.
      Maps first = longSide.unaryProbabilities(longSide.unaryInput(RGB));
      Maps second = Images.resizeBilinear(model.unaryProbabilities(RGB), 20, 28);
      Maps average = first.zerosLike();
      for (int i = 0; i < average.data.length; i++) {
        average.data[i] = (first.data[i] + second.data[i]) / 2;
      }
      Ensemble.Prediction both = new Ensemble(List.of(longSide, model), List.of(1.0), false).predict(RGB);
      assertArrayEquals(Images.resizeBilinear(average, 40, 56).data, both.unary().data, 1e-6f);
      Maps refined = longSide.head().refine(average, longSide.unaryInput(RGB));
      assertArrayEquals(Images.resizeBilinear(refined, 40, 56).data, both.dpn().data, 1e-5f);
    }
  }

  @Test
  void modelsWithOtherClassesAndBadScalesAreRefused() {
    try (DpnModel voc = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.VOC))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Ensemble(List.of(model, voc), List.of(1.0), false));
      assertTrue(e.getMessage().contains("model 2 has the classes [background, aeroplane"), e.getMessage());
      assertTrue(e.getMessage().contains("same classes in the same order"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new Ensemble(List.of(model), List.of(1.0, 0.0), false));
    assertThrows(IllegalArgumentException.class, () -> new Ensemble(List.of(model), List.of(), false));
  }

  private static double maxDifference(Maps a, Maps b) {
    double m = 0;
    for (int i = 0; i < a.data.length; i++) {
      m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
    }
    return m;
  }
}
