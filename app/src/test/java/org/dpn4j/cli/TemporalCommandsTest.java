package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.unary.NamedTensors;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.video.FileSequence;
import org.dpn4j.video.FlowMethod;
import org.dpn4j.model.VideoSegmenter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dpn train-video and dpn eval --temporal on a tiny CamVid-like folder: a sequence of three
 * labelled frames (a scene moving 2 pixels per frame) and a lone frame, with a random vgg-lite model.
 */
@Integration
class TemporalCommandsTest {

  private static final int H = 40;
  private static final int W = 56;
  private static final List<String> FRAMES = List.of("Seq01_f00010", "Seq01_f00020", "Seq01_f00030", "Solo_00005");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A random vgg-lite CamVid model, read only. */
  private static final Path MODEL = CommandRun.sharedModel();
  private static Path root;
  private static Path trained;
  private static Path work;
  private static CommandRun training;

  @TempDir static Path dir;

  @BeforeAll
  static void trainOnATinySequence() throws IOException {
    root = dir.resolve("camvid");
    Files.createDirectories(root.resolve("train"));
    Files.createDirectories(root.resolve("trainannot"));
    Random r = new Random(3);
    int[] colours = new int[11];
    for (int k = 0; k < colours.length; k++) {
      colours[k] = r.nextInt(1 << 24);
    }
    StringBuilder list = new StringBuilder();
    for (int f = 0; f < FRAMES.size(); f++) {
      BufferedImage photo = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
      BufferedImage labels = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int sx = x + 2 * f;
          int label = (sx / 8 + y / 10) % 11;
          photo.setRGB(x, y, colours[label] ^ (((sx * 7 + y * 13) % 5) * 0x030303));
          labels.getRaster().setSample(x, y, 0, (sx + y) % 23 == 0 ? 11 : label);
        }
      }
      ImageIO.write(photo, "png", root.resolve("train").resolve(FRAMES.get(f) + ".png").toFile());
      ImageIO.write(labels, "png", root.resolve("trainannot").resolve(FRAMES.get(f) + ".png").toFile());
      list.append("/CamVid/train/").append(FRAMES.get(f)).append(".png /CamVid/trainannot/").append(FRAMES.get(f))
          .append(".png\n");
    }
    Files.writeString(root.resolve("train.txt"), list.toString());
    trained = dir.resolve("model3d");
    work = dir.resolve("run");
    training = train(trained, "--iterations", "4", "--checkpoint-every", "2");
  }

  private static CommandRun train(Path out, String... more) {
    return train(work, out, more);
  }

  private static CommandRun train(Path workDir, Path out, String... more) {
    return trainOn("train", workDir, out, more);
  }

  /** train-video on {@code splits} (one split or several, comma-separated). */
  private static CommandRun trainOn(String splits, Path workDir, Path out, String... more) {
    return trainOn(MODEL, splits, workDir, out, more);
  }

  private static CommandRun trainOn(Path model, String splits, Path workDir, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--root", root.toString(), "--split", splits,
        "--work", workDir.toString(), "--out", out.toString(), "--context", "9", "--threads", "1"));
    args.addAll(List.of(more));
    return CommandRun.of(new TrainTemporalCommand(), args.toArray(String[]::new));
  }

  private static CommandRun eval(Path m, String... more) {
    List<String> args = new ArrayList<>(List.of("--model", m.toString(), "--dataset", "camvid", "--root", root.toString(),
        "--split", "train", "--threads", "1", "--temporal", "--json"));
    args.addAll(List.of(more));
    return CommandRun.of(new EvalCommand(), args.toArray(String[]::new));
  }

  @Test
  void trainingWritesTheModelWithItsTemporalHeadAndLeavesTheRestAsItWas() throws IOException {
    assertEquals(0, training.exitCode(), training.toString());
    try (DpnModel before = DpnModel.load(MODEL); DpnModel after = DpnModel.load(trained)) {
      assertNull(before.temporalHead());
      DpnHead3d h = after.temporalHead();
      assertNotNull(h);
      assertEquals(new ModelConfig.Temporal(9), after.config().temporal());
      Map<String, NamedTensors.Tensor> a = before.tensors();
      Map<String, NamedTensors.Tensor> b = after.tensors();
      for (String k : a.keySet()) {
        assertArrayEquals(a.get(k).values(), b.get(k).values(), k + " is frozen");
      }
      // Trained: the temporal taps (tau = +-1) moved off zero.
      float[] k = h.b13().weights();
      double temporal = 0;
      for (int i = 0; i < k.length; i++) {
        if (i / 81 % 3 != 1) {
          temporal += Math.abs(k[i]);
        }
      }
      assertTrue(temporal > 0, "temporal taps still zero");
    }
    // The cache: four frames' probabilities, both flows of the sequence's two pairs; the log: four steps.
    try (Stream<Path> probs = Files.list(work.resolve("cache/probs")); Stream<Path> flows = Files.list(work.resolve("cache/flow"))) {
      assertEquals(4, probs.count());
      assertEquals(4, flows.count());
    }
    assertEquals(5, Files.readAllLines(work.resolve("training-log.csv")).size());
  }

  @Test
  void aModelWithItsOwnInputSizeTrainsAtTheFramesSizeAndKeepsIt() throws IOException {
    Path sized = dir.resolve("sized.zip");
    try (DpnModel m = DpnModel.load(MODEL)) {
      m.setLongSide(2 * W);
      m.save(sized);
    }
    Path out = dir.resolve("model3d-sized");
    CommandRun run = trainOn(sized, "train", dir.resolve("run-sized"), out, "--iterations", "1");
    assertEquals(0, run.exitCode(), run.toString());
    try (DpnModel after = DpnModel.load(out)) {
      assertEquals(2 * W, after.config().input().longSide());
      assertNotNull(after.temporalHead());
    }
  }

  @Test
  void anExistingCheckpointNeedsResumeAndResumingTheFinishedRunGivesTheSameHead() throws IOException {
    CommandRun again = train(dir.resolve("again"), "--iterations", "4");
    assertEquals(2, again.exitCode(), again.toString());
    assertTrue(again.err().contains("--resume"), again.err());
    CommandRun other = train(dir.resolve("other"), "--iterations", "5", "--resume");
    assertEquals(2, other.exitCode(), other.toString());
    assertTrue(other.err().contains("resume with the same options"), other.err());
    Path resumed = dir.resolve("resumed");
    CommandRun run = train(resumed, "--iterations", "4", "--resume");
    assertEquals(0, run.exitCode(), run.toString());
    try (DpnModel a = DpnModel.load(trained); DpnModel b = DpnModel.load(resumed)) {
      assertArrayEquals(a.temporalHead().b13().weights(), b.temporalHead().b13().weights());
      assertArrayEquals(a.temporalHead().b12().b12().wRgb(), b.temporalHead().b12().b12().wRgb());
    }
  }

  @Test
  void twoSplitsAreOneSetWhoseSequenceCrossesThem() throws IOException {
    // The sequence's middle frame in one list, the rest in another: one sequence again, the same
    // neighbours, frames and order, so the same head as the run on train.txt.
    List<String> lines = Files.readAllLines(root.resolve("train.txt"));
    Files.write(root.resolve("middle.txt"), List.of(lines.get(1)));
    Files.write(root.resolve("rest.txt"), List.of(lines.get(0), lines.get(2), lines.get(3)));
    Path w = dir.resolve("two-splits-run");
    CommandRun run = trainOn("rest,middle", w, dir.resolve("two-splits"), "--iterations", "4", "--checkpoint-every", "2");
    assertEquals(0, run.exitCode(), run.toString());
    try (Stream<Path> flows = Files.list(w.resolve("cache/flow"))) {
      assertEquals(4, flows.count(), "both flows of the pairs 10-20 and 20-30");
    }
    try (DpnModel a = DpnModel.load(trained); DpnModel b = DpnModel.load(dir.resolve("two-splits"))) {
      assertArrayEquals(a.temporalHead().b13().weights(), b.temporalHead().b13().weights());
      assertArrayEquals(a.temporalHead().b12().b12().wRgb(), b.temporalHead().b12().b12().wRgb());
    }
    CommandRun twice = trainOn("rest,rest", dir.resolve("twice-run"), dir.resolve("twice"), "--iterations", "4");
    assertEquals(2, twice.exitCode(), twice.toString());
    assertTrue(twice.err().contains("named twice"), twice.err());
  }

  @Test
  void classWeightsAndTemporalTapsOnlyAreRecordedAndMustMatchOnResume() throws IOException {
    Path w = dir.resolve("weighted-run");
    CommandRun run = train(w, dir.resolve("weighted"), "--iterations", "2", "--class-weights", "--temporal-taps-only");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode state = JSON.readTree(work.resolveSibling("weighted-run").resolve("checkpoint/checkpoint.json").toFile());
    assertEquals(11, state.get("loss").get("classWeights").size());
    assertTrue(state.get("temporalTapsOnly").asBoolean());
    CommandRun unweighted = train(w, dir.resolve("weighted2"), "--iterations", "2", "--temporal-taps-only", "--resume");
    assertEquals(2, unweighted.exitCode(), unweighted.toString());
    assertTrue(unweighted.err().contains("--class-weights"), unweighted.err());
  }

  @Test
  void evalTemporalGivesBothHeadsAndTheirConsistency() throws IOException {
    CommandRun run = eval(trained);
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode j = JSON.readTree(run.out());
    JsonNode t = j.get("temporal");
    assertNotNull(t, run.out());
    assertEquals(4, t.get("frames").asInt());
    for (String head : List.of("dpn2d", "dpn3d")) {
      assertEquals(4, t.get(head).get("images").asInt());
      assertTrue(t.get(head).has("mIoU") && t.get(head).has("TA") && t.get(head).has("BA"), head);
      double c = t.get("consistency").get(head).asDouble();
      assertTrue(c >= 0 && c <= 1, head + " consistency " + c);
    }
    assertTrue(t.get("consistency").get("linkedPixels").asLong() > 0);
    // The 2D result of the temporal run is the plain eval's DPN on the same frames.
    assertEquals(j.get("mIoU").asDouble(), t.get("dpn2d").get("mIoU").asDouble(), 1e-4);
    assertEquals(j.get("pixelAcc").asDouble(), t.get("dpn2d").get("pixelAcc").asDouble(), 1e-4);
  }

  @Test
  void anUntrainedTemporalHeadOfTheWholeContextSizeScoresAsThe2dHead() throws IOException {
    Path m = dir.resolve("untrained3d");
    try (DpnModel x = DpnModel.load(MODEL)) {
      x.setTemporalHead(DpnHead3d.from(x.head(), x.head().b13().size()));
      x.save(m);
    }
    JsonNode t = JSON.readTree(eval(m).out()).get("temporal");
    assertEquals(t.get("dpn2d").get("mIoU").asDouble(), t.get("dpn3d").get("mIoU").asDouble(), 1e-6);
    assertEquals(t.get("consistency").get("dpn2d").asDouble(), t.get("consistency").get("dpn3d").asDouble(), 1e-6);
  }

  @Test
  void theVideoSegmenterUsesTheModelsTemporalHead() throws IOException {
    try (DpnModel m = DpnModel.load(MODEL)) {
      // A temporal head whose b13 is all zero leaves b15 = softmax(ln p): the unary's labels.
      DpnHead3d zero = DpnHead3d.from(m.head(), 9);
      Arrays.fill(zero.b13().weights(), 0f);
      m.setTemporalHead(zero);
      // A strong 2D b12, so that the 2D head's labels (what an untrained 3D head gives) are not the unary's.
      m.head().b12().wRgb()[0] = 50;
      m.head().b12().wXy()[0] = 50;
      List<Path> frames = FRAMES.subList(0, 3).stream().map(f -> root.resolve("train").resolve(f + ".png")).toList();
      List<int[]> got = new ArrayList<>();
      new VideoSegmenter(m, FlowMethod.DIS_FAST, true).run(new FileSequence("Seq01", frames),
          r -> got.add(r.segmentation().labels()));
      assertEquals(3, got.size());
      for (int i = 0; i < 3; i++) {
        BufferedImage img = ImageIO.read(frames.get(i).toFile());
        assertArrayEquals(m.segment(img, false).labels(), got.get(i), "frame " + i);
        assertFalse(Arrays.equals(m.segment(img, true).labels(), got.get(i)), "the 2D head gives other labels");
      }
    }
  }

  @Test
  void evalTemporalRefusesAModelWithoutTemporalHeadAndOtherDatasets() {
    CommandRun run = eval(MODEL);
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("no spatio-temporal head"), run.err());
    CommandRun flip = eval(trained, "--flip");
    assertEquals(2, flip.exitCode(), flip.toString());
  }
}
