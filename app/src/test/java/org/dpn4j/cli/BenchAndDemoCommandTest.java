package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Integration
class BenchAndDemoCommandTest {

  @TempDir Path dir;

  @Test
  void benchHeadReportsEveryKeyAndAnExactFastB12() throws Exception {
    CommandRun run =
        CommandRun.of(new BenchHeadCommand(), "--size", "24x40", "--labels", "4", "--window", "6x9",
            "--runs", "1", "--threads", "2", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode r = new ObjectMapper().readTree(run.out());
    for (String key : new String[] {"b12_ms", "b12_reference_ms", "b12_max_rel_err", "b13_ms", "b14_ms", "b15_ms",
        "head_ms", "head_backward_ms", "threads"}) {
      assertTrue(r.has(key), key + " missing in " + run.out());
    }
    assertEquals(2, r.get("threads").asInt());
    assertTrue(r.get("b12_max_rel_err").asDouble() < 1e-6, run.out());
    assertEquals("6x9 (dy -3..2, dx -4..4)", r.get("window").asText());
  }

  @Test
  void benchRefineReportsEveryKey() throws Exception {
    CommandRun run =
        CommandRun.of(new BenchRefineCommand(), "--size", "20x30", "--labels", "3", "--runs", "1", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode r = new ObjectMapper().readTree(run.out());
    for (String key : new String[] {"densecrf_1_ms", "densecrf_5_ms", "densecrf_10_ms", "dpn_head_ms", "threads"}) {
      assertTrue(r.get(key).asDouble() > 0, key + " in " + run.out());
    }
  }

  @Test
  void badSizeIsOneClearError() {
    CommandRun run = CommandRun.of(Main.commandLine(), "bench", "head", "--size", "64");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("dpn bench head: --size must be HxW"), run.err());
  }

  @Test
  void demoWritesLabelMapsAndOverlaysOfTheFramesSize() throws Exception {
    Path frames = Files.createDirectories(dir.resolve("frames"));
    Files.copy(Path.of("demo/traffic/0001.bmp"), frames.resolve("a.bmp"));
    Files.writeString(frames.resolve("broken.png"), "not a png");
    Path out = dir.resolve("out");
    CommandRun run = CommandRun.of(new DemoCommand(), "--frames", frames.toString(), "--out", out.toString());
    assertEquals(2, run.exitCode(), "the broken frame (a refused input) makes the exit code 2: " + run);
    assertTrue(run.err().contains("broken.png"), run.err());
    for (String suffix : new String[] {"_unary.png", "_dpn.png", "_overlay.png"}) {
      BufferedImage img = ImageIO.read(out.resolve("a" + suffix).toFile());
      assertEquals(256, img.getWidth(), suffix);
      assertEquals(256, img.getHeight(), suffix);
    }
    assertTrue(run.out().contains("a.bmp  256x256"), run.out());
    assertTrue(run.out().contains("camvid"), "the shipped model is the default: " + run.out());
    // The shipped CamVid model sees the highway's lanes as Road (3) and the first car as Car (8);
    // the palette PNG stores label indices.
    java.awt.image.Raster labels = ImageIO.read(out.resolve("a_dpn.png").toFile()).getRaster();
    assertEquals(3, labels.getSample(128, 230, 0), "road below the cars");
    assertEquals(8, labels.getSample(90, 172, 0), "the car on the left");
    assertTrue(Files.exists(out.resolve("legend.png")));
  }
}
