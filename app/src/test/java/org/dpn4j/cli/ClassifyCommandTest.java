package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dpn classify on the Coral samples gives what TensorFlow Lite gives (data README). */
@Integration
class ClassifyCommandTest {

  private static final Path DATA = SharedData.path("pretrained");
  private static final String TFLITE = DATA.resolve("mobilenet_v2_1.0_224_quant.tflite").toString();

  private static String sample(String name) {
    return DATA.resolve("imagenet-samples").resolve(name).toString();
  }

  @Test
  void samplesGetTheReferenceClasses() {
    CommandRun run = CommandRun.of(new ClassifyCommand(), "--tflite", TFLITE, "--threads", "2",
        sample("grace_hopper.bmp"), sample("cat.bmp"), sample("parrot.jpg"));
    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.lines();
    assertEquals(18, lines.size(), run.out());
    assertEquals("grace_hopper.bmp", lines.get(0));
    assertTrue(lines.get(1).matches("  1   653  military uniform +0\\.\\d{4}"), lines.get(1));
    assertEquals("cat.bmp", lines.get(6));
    assertTrue(lines.get(7).matches("  1   286  Egyptian cat +0\\.\\d{4}"), lines.get(7));
    assertEquals("parrot.jpg", lines.get(12));
    assertTrue(lines.subList(13, 18).stream().anyMatch(l -> l.matches("  \\d    89  macaw +0\\.\\d{4}")), run.out());
  }

  @Test
  void unreadableImagesAreReportedAndTheOthersClassified() {
    Path missing = Path.of("no-such-image.png");
    CommandRun run = CommandRun.of(new ClassifyCommand(), "--tflite", TFLITE, "--top", "1", missing.toString(),
        sample("cat.bmp"));
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("no-such-image.png: no such image file"), run.err());
    assertEquals(List.of("cat.bmp"), run.lines().subList(0, 1));
    assertTrue(run.lines().get(1).contains("286  Egyptian cat"), run.out());
  }

  @Test
  void aLabelsFileOfTheWrongLengthIsRefused() {
    CommandRun run = CommandRun.of(new ClassifyCommand(), "--tflite", TFLITE, "--labels-file",
        "../shared/data/camvid/val.txt", sample("cat.bmp"));
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("val.txt: 101 class names, the model has 1001 outputs"), run.err());
  }
}
