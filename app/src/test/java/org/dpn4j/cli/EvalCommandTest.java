package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.dpn4j.data.LabelSet;
import org.dpn4j.eval.SegmentationMetrics;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dpn eval on the first CamVid val frames with a random vgg-lite model. */
@Integration
class EvalCommandTest {

  private static final Path CAMVID = SharedData.path("camvid");
  /** The first two frames of val.txt, as --limit 2 takes them. */
  private static final List<String> FRAMES = List.of("0016E5_07959", "0016E5_07961");
  private static final List<String> KEYS = List.of("mIoU", "pixelAcc", "meanAcc", "perClassIoU", "TA", "LA", "BA");
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Runs that compute the same probabilities in separate forward passes are compared to this: the
   * PyTorch engine was once seen to differ in the last bit between two passes of the same input.
   */
  private static final double CLOSE = 1e-4;

  /** A random vgg-lite CamVid model, read only. */
  private static final Path MODEL = CommandRun.sharedModel();

  @TempDir static Path dir;
  private static CommandRun plainRun;
  private static JsonNode plain;

  @BeforeAll
  static void evaluateTwoFrames() throws IOException {
    plainRun = eval("--json", "--save", dir.resolve("saved").toString());
    assertEquals(0, plainRun.exitCode(), plainRun.toString());
    plain = JSON.readTree(plainRun.out());
  }

  /** dpn eval --model MODEL on the first two CamVid val frames with more arguments. */
  private static CommandRun eval(String... more) {
    return eval(2, more);
  }

  /** dpn eval --model MODEL on the first {@code limit} CamVid val frames with more arguments. */
  private static CommandRun eval(int limit, String... more) {
    List<String> args = new ArrayList<>(List.of("--model", MODEL.toString(), "--dataset", "camvid", "--root",
        CAMVID.toString(), "--split", "val", "--limit", Integer.toString(limit), "--threads", "2"));
    args.addAll(List.of(more));
    return CommandRun.of(new EvalCommand(), args.toArray(String[]::new));
  }

  @Test
  void jsonHoldsThePapersMetricsForTheDpnAndUnderUnaryForTheUnary() {
    for (JsonNode m : List.of(plain, plain.get("unary"))) {
      for (String key : KEYS) {
        assertTrue(m.has(key), key + " in " + m);
      }
      assertEquals(2, m.get("images").asInt());
      long pixels = m.get("pixels").asLong();
      assertTrue(pixels > 480 * 360 && pixels < 2 * 480 * 360, "CamVid's void pixels are left out: " + pixels);
      for (String key : List.of("mIoU", "pixelAcc", "meanAcc", "TA", "LA")) {
        assertFraction(m.get(key), key);
      }
      assertEquals(LabelSet.CAMVID.names(), fieldNames(m.get("perClassIoU")));
      m.get("perClassIoU").forEach(v -> assertTrue(v.isNull() || fraction(v), "per-class IoU " + v));
      assertTrue(m.get("BA").isNull() || fraction(m.get("BA")), "BA " + m.get("BA"));
    }
    assertEquals("camvid", plain.get("dataset").asText());
    assertEquals("val", plain.get("split").asText());
    assertEquals(1.0, plain.get("scales").get(0).asDouble());
    assertTrue(plainRun.err().contains("eval 2/2  "), plainRun.err());
    assertTrue(plainRun.err().contains(" images/s  0:00:00 left ("), plainRun.err());
  }

  private static void assertFraction(JsonNode v, String what) {
    assertNotNull(v, what);
    assertTrue(fraction(v), what + " = " + v);
  }

  private static boolean fraction(JsonNode v) {
    return v.isNumber() && v.asDouble() >= 0 && v.asDouble() <= 1;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * An independent path: the frames and labels read with ImageIO, DpnModel.segment without and
   * with the head, the arg-max fed to SegmentationMetrics.
   */
  @Test
  void theMetricsAreThoseOfDpnModelSegmentsLabels() throws IOException {
    SegmentationMetrics unary = new SegmentationMetrics(LabelSet.CAMVID.names(), 11);
    SegmentationMetrics dpn = new SegmentationMetrics(LabelSet.CAMVID.names(), 11);
    try (DpnModel m = DpnModel.load(MODEL)) {
      for (String frame : FRAMES) {
        BufferedImage photo = ImageIO.read(CAMVID.resolve("val/" + frame + ".jpg").toFile());
        int[] truth = grey(CAMVID.resolve("valannot/" + frame + ".png"));
        unary.add(m.segment(photo, false).labels(), truth, 480, 360);
        dpn.add(m.segment(photo, true).labels(), truth, 480, 360);
      }
    }
    assertClose(JSON.valueToTree(unary.result()), plain.get("unary"), "unary");
    assertClose(JSON.valueToTree(dpn.result()), plain, "dpn");
  }

  private static int[] grey(Path png) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    return img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
  }

  /** Every key of {@code expected} is in {@code actual} with the same value (numbers within {@link #CLOSE}). */
  private static void assertClose(JsonNode expected, JsonNode actual, String path) {
    assertNotNull(actual, path);
    if (expected.isNumber()) {
      assertTrue(actual.isNumber(), path + ": " + actual);
      assertEquals(expected.asDouble(), actual.asDouble(), CLOSE, path);
    } else if (expected.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        assertClose(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey());
      }
    } else {
      assertEquals(expected, actual, path);
    }
  }

  /** What the metrics say and what --save wrote agree: the saved maps give exactly the reported metrics. */
  @Test
  void saveWritesTheLabelMapsTheMetricsCameFromAndAnOverlay() throws IOException {
    SegmentationMetrics unary = new SegmentationMetrics(LabelSet.CAMVID.names(), 11);
    SegmentationMetrics dpn = new SegmentationMetrics(LabelSet.CAMVID.names(), 11);
    Path saved = dir.resolve("saved");
    for (String frame : FRAMES) {
      int[] truth = grey(CAMVID.resolve("valannot/" + frame + ".png"));
      BufferedImage labels = ImageIO.read(saved.resolve(frame + ".png").toFile());
      BufferedImage unaryLabels = ImageIO.read(saved.resolve(frame + "_unary.png").toFile());
      BufferedImage overlay = ImageIO.read(saved.resolve(frame + "_overlay.png").toFile());
      for (BufferedImage img : List.of(labels, unaryLabels, overlay)) {
        assertEquals(480, img.getWidth(), frame);
        assertEquals(360, img.getHeight(), frame);
      }
      IndexColorModel palette = (IndexColorModel) labels.getColorModel();
      for (int k = 0; k < 11; k++) {
        assertEquals(LabelSet.CAMVID.colours()[k], palette.getRGB(k) & 0xFFFFFF, "palette entry " + k);
      }
      int[] d = labels.getRaster().getPixels(0, 0, 480, 360, (int[]) null);
      unary.add(unaryLabels.getRaster().getPixels(0, 0, 480, 360, (int[]) null), truth, 480, 360);
      dpn.add(d, truth, 480, 360);

      Maps photo = Images.readRgb(CAMVID.resolve("val/" + frame + ".jpg"));
      for (int[] xy : new int[][] {{0, 0}, {240, 180}, {479, 359}}) {
        int colour = LabelSet.CAMVID.colours()[d[xy[1] * 480 + xy[0]]];
        int green = Math.round(0.5f * photo.get(1, xy[1], xy[0]) * 255f + 0.5f * ((colour >> 8) & 0xFF));
        assertEquals(green, (overlay.getRGB(xy[0], xy[1]) >> 8) & 0xFF, frame + " overlay at " + xy[0] + "," + xy[1]);
      }
    }
    // As text: the tree's number nodes differ in type (long and int) where the values agree.
    assertEquals(JSON.writeValueAsString(unary.result()), plain.get("unary").toString());
    JsonNode dpnJson = JSON.valueToTree(dpn.result());
    dpnJson.fields().forEachRemaining(
        e -> assertEquals(e.getValue().toString(), plain.get(e.getKey()).toString(), e.getKey()));
  }

  @Test
  void scalesOneIsTheDefaultAndTwoCopiesOfAModelAreTheModel() throws IOException {
    Path copy = dir.resolve("copy.zip");
    try (DpnModel m = DpnModel.load(MODEL)) {
      m.save(copy);
    }
    CommandRun scaleOne = eval("--json", "--scales", "1");
    assertEquals(0, scaleOne.exitCode(), scaleOne.toString());
    assertClose(metricsOf(plain), JSON.readTree(scaleOne.out()), "--scales 1");

    CommandRun twoModels = eval("--json", "--model", copy.toString());
    assertEquals(0, twoModels.exitCode(), twoModels.toString());
    JsonNode two = JSON.readTree(twoModels.out());
    assertClose(metricsOf(plain), two, "two models");
    assertEquals(2, two.get("models").size());
  }

  /** The report without what may differ between runs (timing, arguments). */
  private static JsonNode metricsOf(JsonNode report) {
    JsonNode m = report.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) m).remove(List.of("seconds", "models", "scales", "flip", "longSide"));
    return m;
  }

  @Test
  void longSideResizesWhatTheUnarySeesAndIsReported() throws IOException {
    assertEquals(0, plain.get("longSide").asInt(), "the model's own input.longSide");
    CommandRun same = eval("--json", "--long-side", "480");
    assertEquals(0, same.exitCode(), same.toString());
    JsonNode r = JSON.readTree(same.out());
    assertEquals(480, r.get("longSide").asInt());
    assertClose(metricsOf(plain), r, "--long-side 480, CamVid's own longer side");

    CommandRun half = eval("--json", "--long-side", "240");
    assertEquals(0, half.exitCode(), half.toString());
    JsonNode h = JSON.readTree(half.out());
    assertEquals(240, h.get("longSide").asInt());
    assertEquals(plain.get("pixels").asLong(), h.get("pixels").asLong(), "scored at the labels' size");
    assertNotEquals(plain.get("unary").get("perClassIoU"), h.get("unary").get("perClassIoU"),
        "the unary at half the size labels other pixels");

    CommandRun negative = eval("--long-side", "-1");
    assertEquals(2, negative.exitCode(), negative.toString());
    assertTrue(negative.err().contains("--long-side must be 0 or more, got -1"), negative.err());
  }

  @Test
  void scalesAndFlipAverageAndReportThemselves() throws IOException {
    CommandRun run = eval(1, "--json", "--scales", "0.5,1", "--flip");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode r = JSON.readTree(run.out());
    assertEquals(1, r.get("images").asInt());
    assertEquals("[0.5,1.0]", r.get("scales").toString());
    assertTrue(r.get("flip").asBoolean());
    assertFraction(r.get("mIoU"), "mIoU");
    assertFraction(r.get("unary").get("mIoU"), "unary mIoU");
  }

  @Test
  void modelsWithOtherClassesAreRefused() throws IOException {
    Path voc = dir.resolve("voc");
    try (DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.VOC))) {
      m.save(voc);
    }
    CommandRun mixed = eval("--model", voc.toString());
    assertEquals(2, mixed.exitCode(), mixed.toString());
    assertTrue(mixed.err().startsWith("dpn eval: model 2 has the classes [background, aeroplane"), mixed.err());
    assertTrue(mixed.err().contains("averaged models need the same classes in the same order"), mixed.err());
    assertEquals("", mixed.out());

    CommandRun vocOnCamVid = CommandRun.of(new EvalCommand(), "--model", voc.toString(), "--dataset", "camvid",
        "--root", CAMVID.toString(), "--split", "val", "--limit", "1");
    assertEquals(2, vocOnCamVid.exitCode(), vocOnCamVid.toString());
    assertTrue(vocOnCamVid.err().contains("the model's classes [background, aeroplane"), vocOnCamVid.err());
    assertTrue(vocOnCamVid.err().contains("are not the dataset's [Sky, Building"), vocOnCamVid.err());
  }

  @Test
  void aMissingRootSplitOrFileIsNamed() throws IOException {
    Path nowhere = dir.resolve("no-such-camvid");
    CommandRun noRoot = CommandRun.of(new EvalCommand(), "--model", MODEL.toString(), "--dataset", "camvid",
        "--root", nowhere.toString(), "--split", "test");
    assertEquals(2, noRoot.exitCode(), noRoot.toString());
    assertEquals("dpn eval: " + nowhere + ": no such dataset folder", noRoot.err().strip());

    CommandRun noSplit = CommandRun.of(new EvalCommand(), "--model", MODEL.toString(), "--dataset", "camvid",
        "--root", CAMVID.toString(), "--split", "test");
    assertEquals(2, noSplit.exitCode(), noSplit.toString());
    assertEquals("dpn eval: " + CAMVID.resolve("test.txt") + ": no such split list", noSplit.err().strip());

    Path root = Files.createDirectories(dir.resolve("missing-frame"));
    Files.writeString(root.resolve("test.txt"), "/SegNet/CamVid/test/gone.png /SegNet/CamVid/testannot/gone.png\n");
    CommandRun noFile = CommandRun.of(new EvalCommand(), "--model", MODEL.toString(), "--dataset", "camvid",
        "--root", root.toString(), "--split", "test");
    assertEquals(2, noFile.exitCode(), noFile.toString());
    assertTrue(noFile.err().contains(root.resolve("test/gone.png") + ": no such image file"), noFile.err());
  }

  @Test
  void sequencesEvaluateOnlyTheHeldOutDrivesFrames() throws IOException {
    Path out = dir.resolve("saved-0006R0");
    CommandRun run = CommandRun.of(new EvalCommand(), "--model", MODEL.toString(), "--dataset", "camvid", "--root",
        CAMVID.toString(), "--split", "train", "--sequences", "0006R0", "--limit", "2", "--threads", "2", "--json",
        "--save", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode j = JSON.readTree(run.out());
    assertEquals("0006R0", j.get("sequences").get(0).asText());
    assertEquals(1, j.get("sequences").size());
    assertEquals(2, j.get("unary").get("images").asInt(), run.out());
    // train.txt's first frames are 0001TP's: the two evaluated are the first two of 0006R0.
    for (String frame : List.of("0006R0_f00930", "0006R0_f00960")) {
      assertTrue(Files.isRegularFile(out.resolve(frame + ".png")), frame);
    }
    try (var files = Files.list(out)) {
      assertTrue(files.allMatch(f -> f.getFileName().toString().startsWith("0006R0_")), "only 0006R0 frames");
    }
    assertTrue(plainRun.out().contains("\"split\""));
    assertTrue(!plain.has("sequences") && !plain.has("excludeSequences"), "no selection, no key");
  }

  @Test
  void anUnknownSequenceOrOneTheSplitLacksIsNamedWithTheSequencesThere() {
    CommandRun typo = CommandRun.of(new EvalCommand(), "--model", MODEL.toString(), "--dataset", "camvid", "--root",
        CAMVID.toString(), "--split", "train", "--exclude-sequences", "0006RO");
    assertEquals(2, typo.exitCode(), typo.toString());
    assertEquals("dpn eval: --exclude-sequences 0006RO: unknown sequence '0006RO': the frames here are of"
        + " [0001TP, 0006R0, 0016E5] (split train)", typo.err().strip());
    CommandRun val = CommandRun.of(new EvalCommand(), "--model", MODEL.toString(), "--dataset", "camvid", "--root",
        CAMVID.toString(), "--split", "val", "--sequences", "0006R0");
    assertEquals(2, val.exitCode(), val.toString());
    assertTrue(val.err().contains("unknown sequence '0006R0': the frames here are of [0016E5] (split val)"), val.err());
    CommandRun both = CommandRun.of(new EvalCommand(), "--model", MODEL.toString(), "--dataset", "camvid", "--root",
        CAMVID.toString(), "--split", "val", "--sequences", "0016E5", "--exclude-sequences", "0006R0");
    assertEquals(2, both.exitCode(), both.toString());
    assertTrue(both.err().contains("give --sequences or --exclude-sequences, not both"), both.err());
  }

  /**
   * SegNet's own CamVid copy: PNG frames in test/ and testannot/, test.txt with SegNet's absolute
   * paths. Our two val frames, losslessly re-encoded there, give the val run's metrics; the table
   * shows them in percent.
   */
  @Test
  void theSegNetTestSplitIsReadAndTabulated() throws IOException {
    Path root = dir.resolve("segnet");
    Files.createDirectories(root.resolve("test"));
    Files.createDirectories(root.resolve("testannot"));
    StringBuilder list = new StringBuilder();
    for (String frame : FRAMES) {
      ImageIO.write(ImageIO.read(CAMVID.resolve("val/" + frame + ".jpg").toFile()), "png",
          root.resolve("test/" + frame + ".png").toFile());
      Files.copy(CAMVID.resolve("valannot/" + frame + ".png"), root.resolve("testannot/" + frame + ".png"));
      list.append("/SegNet/CamVid/test/").append(frame).append(".png /SegNet/CamVid/testannot/").append(frame)
          .append(".png\n");
    }
    Files.writeString(root.resolve("test.txt"), list);

    CommandRun run = CommandRun.of(new EvalCommand(), "--model", MODEL.toString(), "--dataset", "camvid",
        "--root", root.toString(), "--split", "test", "--threads", "2");
    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.lines();
    assertTrue(lines.get(0).startsWith("camvid test, 2 images"), run.out());
    assertTrue(lines.get(2).matches("IoU \\(%\\) +unary +DPN"), run.out());
    for (int k = 0; k < 11; k++) {
      String name = LabelSet.CAMVID.names().get(k);
      assertTrue(lines.get(3 + k).startsWith(name + " "), lines.get(3 + k));
      assertEquals(List.of(percent(plain.get("unary").get("perClassIoU").get(name)),
          percent(plain.get("perClassIoU").get(name))), columns(lines.get(3 + k)), name);
    }
    String[] summary = {"mIoU", "pixelAcc", "meanAcc", "TA", "LA", "BA"};
    String[] shown = {"mIoU", "pixel acc", "mean acc", "TA", "LA", "BA"};
    for (int i = 0; i < summary.length; i++) {
      String line = lines.get(16 + i);
      assertTrue(line.startsWith(shown[i] + " "), line);
      assertEquals(List.of(percent(plain.get("unary").get(summary[i])), percent(plain.get(summary[i]))),
          columns(line), shown[i]);
    }
  }

  private static String percent(JsonNode v) {
    return v.isNull() ? "-" : String.format(java.util.Locale.ROOT, "%.2f", 100 * v.asDouble());
  }

  /** The last two columns of a table row. */
  private static List<String> columns(String line) {
    String[] t = line.trim().split(" +");
    return List.of(t[t.length - 2], t[t.length - 1]);
  }
}
