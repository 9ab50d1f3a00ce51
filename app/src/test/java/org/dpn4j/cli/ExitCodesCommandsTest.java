package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.dpn4j.io.Npy;
import org.dpn4j.testing.Integration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit-code rule (README "Exit codes", {@link ExitCodes}) in the real commands, one test per kind
 * of error, each across several commands: 0 done, 2 bad usage or bad input (a batch after the rest
 * ran), 1 a failure while running; always one line on standard error and no stack trace.
 */
@Integration
class ExitCodesCommandsTest {

  /** A random vgg-lite CamVid model, read only. */
  private static final Path MODEL = CommandRun.sharedModel();

  @TempDir static Path dir;
  private static Path image;

  @BeforeAll
  static void setUp() throws IOException {
    image = dir.resolve("small.png");
    ImageIO.write(new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
  }

  private static CommandRun dpn(String... args) {
    return CommandRun.of(Main.commandLine(), args);
  }

  private static void assertNoStackTrace(CommandRun run) {
    assertFalse(run.err().contains("\tat ") || run.err().contains("Exception in thread"), run.toString());
  }

  @Test
  void badUsageExitsTwoInEveryCommand() {
    List<String[]> runs = List.of(
        new String[] {"segment", "--no-such-option", image.toString(), "--out", "o"},
        new String[] {"segment", "--model", "a", "--model", "b", image.toString(), "--out", "o"},
        new String[] {"eval", "--dataset", "camvid", "--root", "r", "--split", "val", "--limit", "x"},
        new String[] {"refine", "--image", image.toString()},
        new String[] {"init", "--unary", "vgg-lite"},
        new String[] {"inspect"},
        new String[] {"classify", "--top", "many", image.toString()},
        new String[] {"segment-video", "--out", "o"},
        new String[] {"train-video", "--root", "r"},
        new String[] {"bench", "head", "--runs", "two"},
        new String[] {"no-such-command"});
    for (String[] args : runs) {
      CommandRun run = dpn(args);
      assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), String.join(" ", args) + "\n" + run);
      assertNoStackTrace(run);
    }
  }

  @Test
  void aBadWindowIsAUsageErrorNamingTheForms() {
    for (String[] args : List.of(
        new String[] {"segment", "--window", "5O", image.toString(), "--out", dir.resolve("w").toString()},
        new String[] {"eval", "--window", "0@512", "--dataset", "camvid", "--root", "r", "--split", "val"},
        new String[] {"refine", "--window", "x3", "--image", "i", "--probs", "p", "--method", "dpn", "--out", "o"},
        new String[] {"bench", "head", "--window", "-1"})) {
      CommandRun run = dpn(args);
      assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.toString());
      assertTrue(run.err().contains("'M@S' (M at reference size S), 'M', 'MxN' or 'all'"), run.err());
      assertNoStackTrace(run);
    }
  }

  @Test
  void badInputExitsTwoWithOneLineNamingTheFile() throws IOException {
    Path missing = dir.resolve("missing.png");
    Path notModel = Files.createDirectories(dir.resolve("not-a-model"));
    Path probs = dir.resolve("p.npy");
    Npy.writeFloat32(probs, new float[11 * 16 * 24], 11, 16, 24);
    List<String[]> runs = List.of(
        new String[] {"segment", "--model", notModel.toString(), image.toString(), "--out", dir.resolve("s").toString()},
        new String[] {"refine", "--model", MODEL.toString(), "--image", missing.toString(), "--probs", probs.toString(),
            "--method", "dpn", "--out", dir.resolve("r.png").toString()},
        new String[] {"init", "--unary", "vgg-lite", "--labels", "camvid", "--out", MODEL.toString()},
        new String[] {"inspect", missing.toString()},
        new String[] {"eval", "--model", MODEL.toString(), "--dataset", "camvid", "--root", missing.toString(),
            "--split", "val"},
        new String[] {"segment-video", "--model", MODEL.toString(), "--frames", missing.toString(), "--out",
            dir.resolve("v").toString()},
        new String[] {"demo", "--model", MODEL.toString(), "--frames", missing.toString(), "--out",
            dir.resolve("d").toString()});
    for (String[] args : runs) {
      CommandRun run = dpn(args);
      assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), String.join(" ", args) + "\n" + run);
      String path = args[0].equals("segment") ? notModel.toString() : args[0].equals("init") ? MODEL.toString()
          : missing.toString();
      assertTrue(run.err().contains("dpn " + args[0] + ": ") && run.err().contains(path), run.toString());
      assertNoStackTrace(run);
    }
  }

  @Test
  void aBatchWithARefusedInputExitsTwoAfterTheRest() throws IOException {
    Path broken = dir.resolve("broken.png");
    Files.writeString(broken, "not a picture");
    Path out = dir.resolve("batch");
    CommandRun run = dpn("segment", "--model", MODEL.toString(), "--no-head", broken.toString(), image.toString(),
        "--out", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.toString());
    assertTrue(Files.isRegularFile(out.resolve("small.png")), "the image after the refused one is segmented");
    assertTrue(run.err().contains(broken + ": not an image") && run.err().contains("1 of 2 images failed"), run.err());
    assertNoStackTrace(run);

    CommandRun fine = dpn("segment", "--model", MODEL.toString(), "--no-head", image.toString(), "--out", out.toString());
    assertEquals(ExitCodes.OK, fine.exitCode(), fine.toString());
  }

  @Test
  void anOutputThatCannotBeWrittenIsAFailureWhileRunning() throws IOException {
    // /proc/self exists but takes no new files: the write itself fails.
    Path probs = dir.resolve("q.npy");
    fillUniform(probs);
    CommandRun refine = dpn("refine", "--model", MODEL.toString(), "--image", image.toString(), "--probs",
        probs.toString(), "--method", "dpn", "--out", "/proc/self/labels.png");
    assertEquals(ExitCodes.FAILURE, refine.exitCode(), refine.toString());
    assertTrue(refine.err().contains("dpn refine: /proc/self/labels.png: cannot write it"), refine.err());
    assertNoStackTrace(refine);

    Path second = dir.resolve("second.png");
    Files.copy(image, second, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CommandRun segment = dpn("segment", "--model", MODEL.toString(), "--no-head", image.toString(), second.toString(),
        "--out", "/proc/self");
    assertEquals(ExitCodes.FAILURE, segment.exitCode(), segment.toString());
    assertTrue(segment.err().contains("dpn segment: /proc/self/") && segment.err().contains(": cannot write it"),
        segment.err());
    assertEquals(1, segment.err().lines().filter(l -> l.startsWith("dpn segment:")).count(),
        "the batch stops at the first failure: " + segment.err());
  }

  private static void fillUniform(Path probs) throws IOException {
    float[] p = new float[11 * 16 * 24];
    java.util.Arrays.fill(p, 1f / 11);
    Npy.writeFloat32(probs, p, 11, 16, 24);
  }

}
