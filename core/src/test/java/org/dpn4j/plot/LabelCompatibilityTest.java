package org.dpn4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.dpn4j.data.LabelSet;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.value.Maps;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelCompatibilityTest {

  @TempDir Path dir;

  @Test
  void theInitialHeadIsTheIdentity() {
    double[][] m = LabelCompatibility.matrix(DpnHead.initial(4).b13());
    for (int u = 0; u < 4; u++) {
      for (int v = 0; v < 4; v++) {
        assertEquals(u == v ? 1.0 : 0.0, m[u][v], 0.0, "(" + u + ", " + v + ")");
      }
    }
  }

  @Test
  void aKnownTapCountsForItsRowAndColumnOnly() {
    LabelContexts b13 = new LabelContexts(3, 2, 3);
    float[] w = b13.weights();
    java.util.Arrays.fill(w, 0f);
    // (K*L, L, m, m): component 0 and 1 of label u = 1, input label v = 2.
    w[((1 * 2 + 0) * 3 + 2) * 9 + 0] = 3f;
    w[((1 * 2 + 1) * 3 + 2) * 9 + 7] = 1f;
    double[][] m = LabelCompatibility.matrix(b13);
    assertEquals(2.0, m[1][2], 0.0);
    assertEquals(0.0, m[2][1], 0.0);
    assertEquals(2.0, java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).sum(), 0.0);
  }

  /**
   * What the matrix means: where only label v is present (q_v = 1 all around), b13's output for
   * label u, averaged over its components, is compatibility(u, v); for the 2D and the 3D b13.
   */
  @Test
  void isB13sMeanCostOfEachLabelAmidAnother() {
    for (int frames : new int[] {1, 3}) {
      int l = 3;
      int k = 2;
      LabelContexts b13 = new LabelContexts(l, k, 3, frames);
      Random r = new Random(frames);
      float[] w = b13.weights();
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) r.nextGaussian();
      }
      double[][] m = LabelCompatibility.matrix(b13);
      for (int v = 0; v < l; v++) {
        Maps q = new Maps(l * frames, 7, 7);
        java.util.Arrays.fill(q.data, q.offset(v * frames), q.offset((v + 1) * frames), 1f);
        Maps out = b13.forward(q);
        for (int u = 0; u < l; u++) {
          double mean = 0;
          for (int c = 0; c < k; c++) {
            mean += out.data[out.offset(u * k + c) + 3 * 7 + 3] / k;
          }
          assertEquals(mean, m[u][v], 1e-4, "frames " + frames + " (" + u + ", " + v + ")");
        }
      }
    }
  }

  @Test
  void drawsTheCellsOnTheDivergingScale() throws IOException {
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      float[] w = model.head().b13().weights();
      // Label 1 penalised next to label 0: a red cell off the diagonal, and the diagonal at half.
      int taps = 81;
      w[((1 * 5) * 11 + 0) * taps] = 2f * 5;
      Path png = dir.resolve("c.png");
      LabelCompatibility.write(model, png, false);
      BufferedImage img = ImageIO.read(png.toFile());
      int side = 11 * LabelCompatibility.CELL;
      assertEquals(LabelCompatibility.MARGIN + side + 110, img.getWidth());
      assertEquals(LabelCompatibility.MARGIN + side + 30, img.getHeight());
      // m[1][0] = 2 is the largest: the deep red end; m[u][u] = 1: half way; m[0][1] = 0: white.
      assertEquals(0xB2182B, cell(img, 1, 0));
      assertEquals(LabelCompatibility.colour(0.5).getRGB() & 0xFFFFFF, cell(img, 3, 3));
      assertEquals(0xFFFFFF, cell(img, 0, 1));
      assertNotEquals(cell(img, 1, 0), cell(img, 0, 1));
    }
  }

  @Test
  void theScaleIsBlueForFavourableRedForPenalties() {
    assertEquals(0x2166AC, LabelCompatibility.colour(-1).getRGB() & 0xFFFFFF);
    assertEquals(0xFFFFFF, LabelCompatibility.colour(0).getRGB() & 0xFFFFFF);
    assertTrue(LabelCompatibility.colour(-0.5).getBlue() > LabelCompatibility.colour(-0.5).getRed());
    assertEquals(List.of(-2.0, -1.0, 0.0, 1.0, 2.0), Figure.ticks(-2, 2, 4));
  }

  private static int cell(BufferedImage img, int u, int v) {
    int x = LabelCompatibility.MARGIN + v * LabelCompatibility.CELL + LabelCompatibility.CELL / 2;
    int y = LabelCompatibility.MARGIN + u * LabelCompatibility.CELL + LabelCompatibility.CELL / 2;
    return img.getRGB(x, y) & 0xFFFFFF;
  }
}
