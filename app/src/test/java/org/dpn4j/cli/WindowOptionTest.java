package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.dpn4j.io.Npy;
import org.dpn4j.testing.Integration;
import org.dpn4j.testing.SharedData;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --window} on segment, refine, eval and bench. A 1 x 1 window has only d(j, j) = 0, so b12's
 * output is 0 and the head gives back the unary's probabilities: the override is seen by comparing
 * with {@code --no-head}.
 */
@Integration
class WindowOptionTest {

  private static Path camvid;
  private static Path frame;

  @TempDir static Path dir;
  private static Path model;

  @BeforeAll
  static void initModel() {
    camvid = SharedData.path("camvid");
    frame = SharedData.path("camvid/val/0016E5_07959.jpg");
    model = CommandRun.sharedModel();
  }

  private static Maps segmentProbabilities(String name, String... options) throws IOException {
    Path out = dir.resolve(name);
    String[] args = new String[options.length + 6];
    System.arraycopy(new String[] {"--model", model.toString(), "--save-probs", "--out", out.toString(),
        frame.toString()}, 0, args, 0, 6);
    System.arraycopy(options, 0, args, 6, options.length);
    CommandRun run = CommandRun.of(new SegmentCommand(), args);
    assertEquals(0, run.exitCode(), run.toString());
    Npy.NpyArray a = Npy.read(out.resolve("0016E5_07959.npy"));
    return new Maps(a.shape()[0], a.shape()[1], a.shape()[2], a.toFloats());
  }

  @Test
  void segmentAndRefineUseTheWindowGiven() throws IOException {
    Maps unary = segmentProbabilities("unary", "--no-head");
    Maps one = segmentProbabilities("one", "--window", "1");
    Maps model = segmentProbabilities("own-window");
    assertArrayEquals(unary.data, one.data, 1e-5f);
    assertTrue(model.maxRelativeError(unary) > 1e-3, "the model's own window (50@512) changes p");

    Path probs = dir.resolve("unary/0016E5_07959.npy");
    Path q = dir.resolve("refined.npy");
    CommandRun refine = CommandRun.of(Main.commandLine(), "refine", "--model", WindowOptionTest.model.toString(),
        "--image", frame.toString(), "--probs", probs.toString(), "--method", "dpn", "--window", "1",
        "--out", dir.resolve("refined.png").toString(), "--probs-out", q.toString());
    assertEquals(0, refine.exitCode(), refine.toString());
    assertArrayEquals(unary.data, Npy.read(q).toFloats(), 1e-5f);
  }

  @Test
  void evalWithAOnePixelWindowScoresTheDpnAsTheUnary() throws IOException {
    CommandRun run = CommandRun.of(new EvalCommand(), "--model", model.toString(), "--dataset", "camvid",
        "--root", camvid.toString(), "--split", "val", "--limit", "1", "--window", "1", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode r = new ObjectMapper().readTree(run.out());
    assertEquals(r.get("unary").get("pixelAcc").asDouble(), r.get("pixelAcc").asDouble(), 1e-9);
    assertEquals(r.get("unary").get("mIoU").asDouble(), r.get("mIoU").asDouble(), 1e-9);
  }

  @Test
  void benchTakesTheDefaultSpecScaledOrAFixedWindow() throws IOException {
    CommandRun scaled = CommandRun.of(new BenchHeadCommand(), "--size", "24x40", "--labels", "3", "--runs", "1",
        "--threads", "1", "--json");
    assertEquals(0, scaled.exitCode(), scaled.toString());
    JsonNode r = new ObjectMapper().readTree(scaled.out());
    assertEquals("window=50@512,kernel=linear,size=9,components=5", r.get("head").asText());
    // 50 at 512 on a 24 x 40 input: round(50 * 40 / 512) = 4.
    assertEquals("4x4 (dy -2..1, dx -2..1)", r.get("window").asText());
    CommandRun fixed = CommandRun.of(new BenchHeadCommand(), "--size", "24x40", "--labels", "3", "--runs", "1",
        "--threads", "1", "--window", "50", "--json");
    assertEquals("50x50 (dy -25..24, dx -25..24)", new ObjectMapper().readTree(fixed.out()).get("window").asText());
  }
}
