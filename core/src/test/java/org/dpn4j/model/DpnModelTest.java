package org.dpn4j.model;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.dpn4j.data.LabelSet;
import org.dpn4j.data.Normalisation;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.value.Maps;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.head.Window;
import org.dpn4j.io.Images;
import org.junit.jupiter.api.Test;

/** DpnModel.segment: the unary on the normalised image, padding and resizing undone, the head after it. */
@Integration
class DpnModelTest {

  private static final Normalisation NORM =
      new Normalisation(new float[] {0.4f, 0.5f, 0.6f}, new float[] {0.2f, 0.25f, 0.3f});

  private static ModelConfig config(int longSide, int pad) {
    ModelConfig d = ModelConfig.defaults("vgg16-dpn", LabelSet.CAMVID).withWidthDivisor(16);
    return new ModelConfig(d.architecture(), d.widthDivisor(), d.labels(), new ModelConfig.Input(NORM, longSide, pad),
        d.head(), d.perLabelWeights(), d.trained(), d.lastStage());
  }

  private static BufferedImage noise(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(5);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    return img;
  }

  @Test
  void unaryProbabilitiesAreTheSoftmaxOfTheNormalisedImagesLogits() {
    BufferedImage img = noise(48, 40);
    try (DpnModel model = DpnModel.create(config(0, 8)); NDManager m = NDManager.newBaseManager()) {
      Segmentation s = model.segment(img, false);
      Maps x = NORM.apply(Images.toRgb(img));
      NDArray expected = model.unary().logits(new ParameterStore(m, false), m.create(x.data, new Shape(1, 3, 40, 48)), false)
          .softmax(1);
      assertArrayEquals(expected.toFloatArray(), s.probabilities().data, 1e-6f);
      assertEquals(48, s.width());
      assertEquals(40, s.height());
      assertEquals(s.labels()[7 * 48 + 9], s.label(9, 7));
    }
  }

  @Test
  void paddingIsCutOffAndResizingUndone() {
    BufferedImage img = noise(45, 30);
    try (DpnModel model = DpnModel.create(config(0, 8))) {
      Segmentation s = model.segment(img, false);
      assertEquals(11, s.probabilities().c);
      assertEquals(45, s.width());
      assertEquals(30, s.height());
      assertEquals(45, s.labelImage().getWidth());
      assertEquals(30, s.overlay().getHeight());
    }
    try (DpnModel model = DpnModel.create(config(64, 8))) {
      Segmentation s = model.segment(img, false);
      assertEquals(45, s.width());
      assertEquals(30, s.height());
      // The unary ran on 64 x 43 (the longer side 64), the probabilities were resized back.
      double sum = 0;
      for (int k = 0; k < 11; k++) {
        sum += s.probabilities().get(k, 29, 44);
      }
      assertEquals(1.0, sum, 1e-5);
    }
  }

  @Test
  void theHeadRefinesTheUnarysProbabilitiesOnTheImage() {
    BufferedImage img = noise(40, 24);
    try (DpnModel model = DpnModel.create(config(0, 8))) {
      Maps unary = model.segment(img, false).probabilities();
      Segmentation s = model.segment(img, true);
      // b12-b15 as DESIGN.md chains them, built here from the config: window 50 at 512, K = 5, 9 x 9.
      DpnHead reference = new DpnHead(
          new TriplePenalty(11, TriplePenalty.Options.builder().window(Window.scaled(50, 512)).build()),
          new LabelContexts(11, 5, 9));
      assertArrayEquals(reference.refine(unary, Images.toRgb(img)).data, s.probabilities().data, 1e-6f);
      assertFalse(Arrays.equals(unary.data, s.probabilities().data), "the head changes the probabilities");

      // With w_rgb = w_xy = 0 b12 gives 0, so b15 = softmax(ln p) = p.
      model.head().b12().wRgb()[0] = 0f;
      model.head().b12().wXy()[0] = 0f;
      assertArrayEquals(unary.data, model.segment(img, true).probabilities().data, 1e-5f);
    }
  }
}
