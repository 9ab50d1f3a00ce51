package org.dpn4j.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.dpn4j.data.FolderDataset;
import org.dpn4j.data.LabelSet;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strip on a tiny folder dataset (16 x 24 images, 3 classes) with untrained vgg-lite models. */
public class StageStripTest {

  static final int H = 16;
  static final int W = 24;
  static final LabelSet LABELS = new LabelSet(List.of("a", "b", "c"), new int[] {0xFF0000, 0x00FF00, 0x0000FF}, 255);
  static final List<String> NAMES = List.of("f0", "f1", "f2", "f3");

  @TempDir static Path dir;

  @BeforeAll
  static void writeDataset() throws IOException {
    writeDataset(dir.resolve("data"));
  }

  /** labels.json, val.txt with {@link #NAMES}, random photos, labels in stripes with a void corner. */
  public static void writeDataset(Path root) throws IOException {
    LABELS.write(root.resolve("labels.json"));
    Files.writeString(root.resolve("val.txt"), String.join("\n", NAMES) + "\n");
    Random r = new Random(1);
    for (String n : NAMES) {
      BufferedImage photo = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
      int[] labels = new int[H * W];
      for (int i = 0; i < H * W; i++) {
        photo.setRGB(i % W, i / W, r.nextInt(1 << 24));
        labels[i] = i % W < 2 && i / W < 2 ? 255 : (i % W) / 8;
      }
      Files.createDirectories(root.resolve("images"));
      ImageIO.write(photo, "png", root.resolve("images/" + n + ".png").toFile());
      LabelMaps.writePng(LabelMaps.indexed(labels, H, W, LabelMaps.vocPalette(256)), root.resolve("labels/" + n + ".png"));
    }
  }

  @Test
  void cellsHoldTheStagesLabelsAndTheGroundTruthInTheDatasetsColours() throws IOException {
    FolderDataset data = new FolderDataset(dir.resolve("data"));
    List<Sample> samples = StageStrip.pick(data.samples("val"), List.of("f2", "f0"), 0);
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("vgg-lite", LABELS))) {
      List<StageStrip.Column> columns = StageStrip.stagesOf(model);
      List<LabelledImage> images = List.of(data.read(samples.get(0)), data.read(samples.get(1)));
      BufferedImage img = StageStrip.draw(images, columns, LABELS, W);
      assertEquals(5 * (W + StageStrip.GAP) + StageStrip.GAP, img.getWidth());
      int[] palette = LABELS.palette();
      for (int row = 0; row < 2; row++) {
        BufferedImage photo = Figure.photo(images.get(row).image());
        int[] unary = model.segment(photo, false).labels();
        int[] full = model.segment(photo, true).labels();
        int top = StageStrip.TITLE_HEIGHT + row * (H + StageStrip.GAP);
        for (int i = 0; i < H * W; i++) {
          assertEquals(palette[unary[i]], pixel(img, 1, top, i), "unary, row " + row + ", pixel " + i);
          assertEquals(palette[full[i]], pixel(img, 3, top, i), "+ label contexts, row " + row + ", pixel " + i);
          assertEquals(palette[images.get(row).labels()[i]], pixel(img, 4, top, i), "ground truth " + i);
        }
        assertEquals(0, pixel(img, 4, top, 0), "void is black");
      }
    }
  }

  @Test
  void tripleAppliesTheHeadWithIdentityContextsAndLeavesTheWeights() throws IOException {
    FolderDataset data = new FolderDataset(dir.resolve("data"));
    BufferedImage photo = Figure.photo(data.read(data.samples("val").get(1)).image());
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("vgg-lite", LABELS))) {
      // A fresh model's b13 is the identity: its whole head is the triple stage.
      int[] expected = model.segment(photo, true).labels();
      float[] w = model.head().b13().weights();
      Random r = new Random(2);
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (5 * r.nextGaussian());
      }
      float[] trained = w.clone();
      int[] withContexts = model.segment(photo, true).labels();
      assertTrue(!java.util.Arrays.equals(expected, withContexts), "the test's b13 should change the labels");
      assertArrayEquals(expected, StageStrip.labels(new StageStrip.Column("t", model, StageStrip.Mode.TRIPLE), photo));
      assertArrayEquals(trained, model.head().b13().weights());
    }
  }

  @Test
  void picksNamedFramesOrSpreadsACount() throws IOException {
    List<Sample> all = new FolderDataset(dir.resolve("data")).samples("val");
    assertEquals(List.of("f0", "f2"), StageStrip.pick(all, List.of(), 2).stream().map(Sample::name).toList());
    assertEquals(List.of("f3", "f1"), StageStrip.pick(all, List.of("f3", "f1"), 9).stream().map(Sample::name).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageStrip.pick(all, List.of("x"), 0));
    assertTrue(e.getMessage().startsWith("no frame 'x' in the split"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StageStrip.pick(all, List.of(), 5));
  }

  @Test
  void refusesAModelWithOtherLabels() throws IOException {
    FolderDataset data = new FolderDataset(dir.resolve("data"));
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageStrip.write(data,
          data.samples("val"), StageStrip.stagesOf(model), W, dir.resolve("x.png")));
      assertTrue(e.getMessage().contains("are not the dataset's [a, b, c]"), e.getMessage());
    }
  }

  /** Pixel i (row-major in the image) of column c of the row starting at {@code top}, as 0xRRGGBB. */
  private static int pixel(BufferedImage img, int c, int top, int i) {
    return img.getRGB(StageStrip.GAP + c * (W + StageStrip.GAP) + i % W, top + i / W) & 0xFFFFFF;
  }
}
