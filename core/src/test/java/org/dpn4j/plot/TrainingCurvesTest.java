package org.dpn4j.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {

  @TempDir Path dir;

  /** A unary log (100 iterations, loss 2) and a head log (triple: 0.5, contexts: 1), lr decreasing. */
  private List<Path> logs() throws IOException {
    StringBuilder unary = new StringBuilder("iteration,lr,loss,images_per_s\n");
    for (int i = 0; i < 100; i++) {
      unary.append(String.format(Locale.ROOT, "%d,%.6g,2.0,3.1%n", i, 0.01 * (1 - i / 100.0)));
    }
    StringBuilder head = new StringBuilder("iteration,stage,loss,lr\n");
    for (String[] s : new String[][] {{"triple", "0.5"}, {"contexts", "1.0"}}) {
      for (int i = 0; i < 50; i++) {
        head.append(String.format(Locale.ROOT, "%d,%s,%s,%.6g%n", i, s[0], s[1], 1 - i / 50.0));
      }
    }
    return List.of(Files.writeString(dir.resolve("unary.csv"), unary), Files.writeString(dir.resolve("head.csv"), head));
  }

  @Test
  void logsWithAndWithoutAStageColumnNameTheirStage() throws IOException {
    Path withColumn = dir.resolve("run-finetune-training-log.csv");
    Files.writeString(withColumn, "iteration,stage,lr,loss,images_per_s\n0,joint,0.1,2.0,3\n1,joint,0.1,1.5,3\n");
    assertEquals("joint", TrainingCurves.read(withColumn).get(0).name(), "the column wins over the file name");
    Path oldFinetune = dir.resolve("run-finetune-training-log.csv.old");
    Files.writeString(oldFinetune, "iteration,lr,loss,images_per_s\n0,0.1,2.0,3\n");
    assertEquals("unary", TrainingCurves.read(oldFinetune).get(0).name(), "not a StageFiles name");
    Path named = dir.resolve("out-finetune-training-log.csv");
    Files.writeString(named, "iteration,lr,loss,images_per_s\n0,0.1,2.0,3\n");
    assertEquals("finetune", TrainingCurves.read(named).get(0).name());
  }

  @Test
  void readsBothLogFormatsAsStagesInOrder() throws IOException {
    List<TrainingCurves.Stage> stages = TrainingCurves.readAll(logs());
    assertEquals(List.of("unary", "triple", "contexts"), stages.stream().map(TrainingCurves.Stage::name).toList());
    assertEquals(100, stages.get(0).iterations().length);
    assertEquals(2.0, stages.get(0).loss()[7]);
    assertEquals(0.01 * 0.93, stages.get(0).lr()[7], 1e-9);
    assertEquals(0.98, stages.get(2).lr()[1], 1e-9);
    assertArrayEquals(new long[] {0, 100, 150, 200}, TrainingCurves.offsets(stages));
  }

  @Test
  void aRepeatedIterationKeepsTheLaterLineAndARepeatedStageTheFirstLog() throws IOException {
    Path a = Files.writeString(dir.resolve("a.csv"), "iteration,stage,loss,lr\n0,triple,1,1\n1,triple,2,1\n1,triple,3,1\n");
    Path b = Files.writeString(dir.resolve("b.csv"), "iteration,stage,loss,lr\n0,triple,9,1\n0,contexts,4,1\n");
    List<TrainingCurves.Stage> stages = TrainingCurves.readAll(List.of(a, b));
    assertEquals(2, stages.size());
    assertArrayEquals(new double[] {1, 3}, stages.get(0).loss());
    assertEquals(a, stages.get(0).file());
    assertEquals("contexts", stages.get(1).name());
  }

  @Test
  void drawsTheLossAndLearningRateWhereTheyBelong() throws IOException {
    Path png = dir.resolve("out/curves.png");
    TrainingCurves.write(logs(), png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(TrainingCurves.WIDTH, img.getWidth());
    assertEquals(TrainingCurves.LR_TOP + TrainingCurves.LR_HEIGHT + 60, img.getHeight());
    List<TrainingCurves.Stage> stages = TrainingCurves.readAll(logs());
    Figure.Panel loss = TrainingCurves.lossPanel(stages);
    Figure.Panel lr = TrainingCurves.lrPanel(stages);
    // Constant losses: the moving average is a flat line at the loss, in the stage's colour.
    assertNear(img, Figure.series(0), loss.px(50), loss.py(2.0));
    assertNear(img, Figure.series(1), loss.px(125), loss.py(0.5));
    assertNear(img, Figure.series(2), loss.px(175), loss.py(1.0));
    assertNear(img, Figure.series(1), lr.px(100 + 25), lr.py(0.5));
    assertNear(img, Figure.series(0), lr.px(50), lr.py(0.005));
    // Away from the lines the panel is background (white or grid), not a series colour.
    assertTrue(distance(new Color(img.getRGB((int) loss.px(125), (int) loss.py(1.3))), Color.WHITE) < 40);
    assertTrue(distance(new Color(img.getRGB((int) loss.px(50), (int) loss.py(1.2))), Color.WHITE) < 40);
  }

  @Test
  void validationAddsAPanel() throws IOException {
    Path val = Files.writeString(dir.resolve("val.json"), "[{\"stage\":\"unary\",\"mIoU\":0.5},{\"stage\":\"full\",\"mIoU\":0.55}]");
    Path eval = Files.writeString(dir.resolve("eval.json"), "{\"models\":[\"m\"],\"mIoU\":0.52,\"pixelAcc\":0.8}");
    List<TrainingCurves.Validation> v = TrainingCurves.readValidation(val.toString());
    assertEquals(List.of(new TrainingCurves.Validation("unary", 0.5), new TrainingCurves.Validation("full", 0.55)), v);
    assertEquals(List.of(new TrainingCurves.Validation("triple", 0.52)),
        TrainingCurves.readValidation("triple=" + eval));
    Path png = dir.resolve("curves.png");
    TrainingCurves.write(logs(), v, png);
    assertEquals(TrainingCurves.VAL_TOP + TrainingCurves.VAL_HEIGHT + 50, ImageIO.read(png.toFile()).getHeight());
  }

  @Test
  void badInputNamesTheFileAndLine() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.csv"), "iteration,stage,loss,lr\n0,triple,0.5,1\n1,triple,abc,1\n");
    IOException e = assertThrows(IOException.class, () -> TrainingCurves.read(bad));
    assertTrue(e.getMessage().contains(bad + " line 3"), e.getMessage());
    Path fields = Files.writeString(dir.resolve("fields.csv"), "iteration,stage,loss,lr\n0,triple,0.5\n");
    e = assertThrows(IOException.class, () -> TrainingCurves.read(fields));
    assertTrue(e.getMessage().contains(fields + " line 2: 3 fields"), e.getMessage());
    Path header = Files.writeString(dir.resolve("header.csv"), "step,stage,loss,lr\n0,triple,0.5,1\n");
    e = assertThrows(IOException.class, () -> TrainingCurves.read(header));
    assertTrue(e.getMessage().contains(header + " line 1: no column 'iteration'"), e.getMessage());
    Path val = Files.writeString(dir.resolve("v.json"), "[{\"stage\":\"unary\",\"mIoU\":51.9}]");
    e = assertThrows(IOException.class, () -> TrainingCurves.readValidation(val.toString()));
    assertTrue(e.getMessage().startsWith(val + ": \"mIoU\" must be a number in [0, 1]"), e.getMessage());
  }

  @Test
  void movingAverageIsCentredAndShrinksAtTheEnds() {
    double[] m = TrainingCurves.movingAverage(new double[] {0, 3, 6, Double.NaN, 12}, 3);
    assertArrayEquals(new double[] {1.5, 3, 4.5, 9, 12}, m, 1e-12);
    assertEquals(3, TrainingCurves.window(100));
  }

  /** Some pixel within 2 of (x, y) has colour {@code c} (the line's anti-aliased edges blend it). */
  private static void assertNear(BufferedImage img, Color c, double x, double y) {
    double best = Double.MAX_VALUE;
    for (int dy = -2; dy <= 2; dy++) {
      for (int dx = -2; dx <= 2; dx++) {
        best = Math.min(best, distance(new Color(img.getRGB((int) Math.round(x) + dx, (int) Math.round(y) + dy)), c));
      }
    }
    assertTrue(best < 20, "no pixel of colour " + c + " near (" + x + ", " + y + "): closest " + best);
  }

  private static double distance(Color a, Color b) {
    return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen())
        + Math.abs(a.getBlue() - b.getBlue());
  }
}
