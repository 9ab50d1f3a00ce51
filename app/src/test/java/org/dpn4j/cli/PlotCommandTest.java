package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.plot.StageStripTest;
import org.dpn4j.plot.TrainingCurves;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Integration
class PlotCommandTest {

  @TempDir Path dir;

  @Test
  void curvesWithValidation() throws IOException {
    Path log = Files.writeString(dir.resolve("log.csv"), "iteration,stage,loss,lr\n0,triple,0.5,1\n1,triple,0.4,0.5\n");
    Path eval = Files.writeString(dir.resolve("eval.json"), "{\"mIoU\":0.5}");
    Path out = dir.resolve("c.png");
    CommandRun run = plot("curves", log.toString(), "--val", "triple=" + eval, "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(TrainingCurves.WIDTH, ImageIO.read(out.toFile()).getWidth());
  }

  @Test
  void aBadLogIsReportedWithItsLine() throws IOException {
    Path log = Files.writeString(dir.resolve("log.csv"), "iteration,stage,loss,lr\n0,triple,x,1\n");
    CommandRun run = CommandRun.of(configured(), "plot", "curves", log.toString(), "--out", dir.resolve("c.png").toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains(log + " line 2: not a number"), run.err());
  }

  @Test
  void compatibilityAndStripOfSavedModels() throws IOException {
    Path data = dir.resolve("data");
    StageStripTest.writeDataset(data);
    Path model = dir.resolve("m");
    try (DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", org.dpn4j.data.LabelSet.read(data.resolve("labels.json"))))) {
      m.save(model);
    }
    Path heat = dir.resolve("h.png");
    CommandRun run = plot("compatibility", "--model", model.toString(), "--values", "--out", heat.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(ImageIO.read(heat.toFile()).getWidth() > 3 * 44);

    Path strip = dir.resolve("s.png");
    run = plot("strip", "--dataset", "folder", "--root", data.toString(), "--model", "unary=" + model,
        "--model", "full=" + model, "--frames", "f1,f3", "--cell-width", "48", "--out", strip.toString());
    assertEquals(0, run.exitCode(), run.toString());
    BufferedImage img = ImageIO.read(strip.toFile());
    assertEquals(4 * (48 + 6) + 6, img.getWidth());

    run = plot("strip", "--dataset", "folder", "--root", data.toString(), "--model", model.toString(), "--count", "1",
        "--out", strip.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(5 * (320 + 6) + 6, ImageIO.read(strip.toFile()).getWidth());

    run = CommandRun.of(configured(), "plot", "strip", "--dataset", "folder", "--root", data.toString(), "--model",
        "finetune=" + model, "--out", strip.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("give STAGE=M with STAGE unary, triple or full"), run.err());
  }

  private static CommandRun plot(String... args) {
    return CommandRun.of(new PlotCommand(), args);
  }

  /** The root command (with its error handler), the plot command added unless Main registers it already. */
  private static CommandLine configured() {
    CommandLine cl = Main.commandLine();
    return cl.getSubcommands().containsKey("plot") ? cl : cl.addSubcommand(new PlotCommand());
  }
}
