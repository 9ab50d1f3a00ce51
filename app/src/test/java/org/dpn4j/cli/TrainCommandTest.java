package org.dpn4j.cli;

import org.dpn4j.testing.Integration;
import org.dpn4j.testing.TestMaps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.dpn4j.data.FolderDataset;
import org.dpn4j.data.LabelSet;
import org.dpn4j.head.DpnHead;
import org.dpn4j.io.Npy;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.train.CrossEntropy;
import org.dpn4j.train.HeadOnlyTraining;
import org.dpn4j.train.HeadStageRun;
import org.dpn4j.train.HeadTrainingSet;
import org.dpn4j.train.Sgd;
import org.dpn4j.train.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dpn train --head-only} on a tiny folder dataset: 3 images of 24 x 32 with three colour
 * regions (the labels), a column of ignored pixels, and a noisy unary whose arg-max is right at
 * about 65% of the pixels.
 */
@Integration
class TrainCommandTest {

  private static final int H = 24;
  private static final int W = 32;
  private static final int LABELS = 3;
  private static final int IGNORE = 255;
  private static final int IMAGES = 3;
  private static final Pattern LOSS = Pattern.compile("training loss .*: ([0-9.]+) before, ([0-9.]+) after");
  private static final Pattern ACCURACY = Pattern.compile("pixel accuracy .*: unary ([0-9.]+), refined ([0-9.]+)");

  @TempDir static Path dir;
  private static Path data;
  private static Path probs;

  @BeforeAll
  static void writeDataset() throws IOException {
    data = dir.resolve("data");
    probs = dir.resolve("probs");
    writeDataset(data, probs);
  }

  /** Writes the dataset and the unary's probabilities (L, H, W); returns nothing but files. */
  static void writeDataset(Path root, Path probDir) throws IOException {
    Files.createDirectories(root.resolve("images"));
    Files.createDirectories(root.resolve("labels"));
    Files.createDirectories(probDir);
    new LabelSet(List.of("red", "blue", "green"), new int[] {0xC00000, 0x0000C0, 0x00C000}, IGNORE)
        .write(root.resolve("labels.json"));
    float[][] colours = {{0.8f, 0.2f, 0.2f}, {0.2f, 0.3f, 0.8f}, {0.2f, 0.7f, 0.3f}};
    List<String> names = new ArrayList<>();
    for (int n = 0; n < IMAGES; n++) {
      Random r = new Random(100 + n);
      int boundary = 8 + r.nextInt(16);
      int top = 6 + r.nextInt(8);
      BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
      BufferedImage lab = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
      float[] p = new float[LABELS * H * W];
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int truth = y < top ? 2 : x < boundary ? 0 : 1;
          int rgb = 0;
          for (int c = 0; c < 3; c++) {
            int v = (int) Math.round(255 * Math.min(1, Math.max(0, colours[truth][c] + 0.05 * r.nextGaussian())));
            rgb = rgb << 8 | v;
          }
          img.setRGB(x, y, rgb);
          lab.getRaster().setSample(x, y, 0, x == boundary && y >= top ? IGNORE : truth);
          double[] q = TestMaps.noisySoftmax(LABELS, truth, 1.1, r);
          for (int v = 0; v < LABELS; v++) {
            p[(v * H + y) * W + x] = (float) q[v];
          }
        }
      }
      String name = "img" + n;
      names.add(name);
      ImageIO.write(img, "png", root.resolve("images/" + name + ".png").toFile());
      ImageIO.write(lab, "png", root.resolve("labels/" + name + ".png").toFile());
      Npy.writeFloat32(probDir.resolve(name + ".npy"), p, LABELS, H, W);
    }
    Files.write(root.resolve("train.txt"), names);
  }

  @Test
  void trainingLowersTheLossAndBeatsTheUnaryAndRefineUsesTheModel() throws IOException {
    Path out = dir.resolve("model");
    CommandRun run = train("--data", data.toString(), "--probs", probs.toString(), "--out", out.toString(),
        "--stage", "all", "--iterations", "100");
    assertEquals(0, run.exitCode(), run.toString());
    Matcher loss = find(LOSS, run.out());
    Matcher acc = find(ACCURACY, run.out());
    double unaryAccuracy = Double.parseDouble(acc.group(1));
    assertTrue(Double.parseDouble(loss.group(2)) < 0.8 * Double.parseDouble(loss.group(1)), run.out());
    assertTrue(unaryAccuracy > 0.55 && unaryAccuracy < 0.75, "the unary is right at about 65%: " + run.out());
    assertTrue(Double.parseDouble(acc.group(2)) > unaryAccuracy + 0.1, run.out());
    assertTrue(run.err().contains("contexts iteration 100/100"), run.err());

    List<String> log = Files.readAllLines(out.resolve(HeadOnlyTraining.LOG));
    assertEquals("iteration,stage,loss,lr", log.get(0));
    assertEquals(201, log.size());
    assertTrue(log.get(1).startsWith("0,triple,") && log.get(200).startsWith("99,contexts,"), log.get(200));

    try (DpnModel m = DpnModel.load(out)) {
      assertEquals("full", m.config().trained());
      assertEquals("contexts", m.config().lastStage());
      assertEquals(org.dpn4j.head.Window.scaled(50, 512), m.config().head().window());
      assertEquals(5, m.config().head().components());
    }

    // dpn refine with the learned head beats the unary's arg-max on the first image.
    Path png = dir.resolve("refined/img0.png");
    CommandRun refine = CommandRun.of(new RefineCommand(), "--image", data.resolve("images/img0.png").toString(),
        "--probs", probs.resolve("img0.npy").toString(), "--method", "dpn", "--model", out.toString(),
        "--out", png.toString(), "--threads", "1");
    assertEquals(0, refine.exitCode(), refine.toString());
    Raster truth = ImageIO.read(data.resolve("labels/img0.png").toFile()).getRaster();
    Raster refined = ImageIO.read(png.toFile()).getRaster();
    float[] p = Npy.read(probs.resolve("img0.npy")).toFloats();
    int right = 0;
    int unaryRight = 0;
    int counted = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int t = truth.getSample(x, y, 0);
        if (t == IGNORE) {
          continue;
        }
        counted++;
        right += refined.getSample(x, y, 0) == t ? 1 : 0;
        int best = 0;
        for (int v = 1; v < LABELS; v++) {
          best = p[(v * H + y) * W + x] > p[(best * H + y) * W + x] ? v : best;
        }
        unaryRight += best == t ? 1 : 0;
      }
    }
    assertTrue(right > unaryRight + 0.1 * counted, right + " vs the unary's " + unaryRight + " of " + counted);
  }

  @Test
  void resumingAfterACrashGivesTheSameHeadBitForBit() throws IOException {
    Path whole = dir.resolve("whole");
    String[] common = {"--data", data.toString(), "--probs", probs.toString(), "--stage", "all", "--iterations", "12",
        "--seed", "7"};
    assertEquals(0, train(with(common, "--out", whole.toString())).exitCode());

    // The same run dies in the contexts stage at iteration 8; its last checkpoint is at 5.
    Path ckpt = dir.resolve("ckpt");
    HeadStageRun.Settings settings = new HeadStageRun.Settings(List.of(Stage.TRIPLE, Stage.CONTEXTS), 12, 1,
        Sgd::defaults, CrossEntropy.unweighted(IGNORE), 7, ckpt, 5);
    HeadStageRun.Listener crash = (stage, step, total) -> {
      if (stage == Stage.CONTEXTS && step.iteration() == 7) {
        throw new IllegalStateException("killed");
      }
    };
    HeadTrainingSet examples = new HeadTrainingSet(new FolderDataset(data), "train", probs, false);
    try (DpnModel m = DpnModel.create(
        ModelConfig.defaults(HeadOnlyTraining.PLACEHOLDER_UNARY, new FolderDataset(data).labels()))) {
      assertThrows(IllegalStateException.class, () -> new HeadStageRun(settings, examples, crash).run(m.head(), null));
    }
    CommandRun fresh = train(with(common, "--out", dir.resolve("fresh").toString(), "--checkpoint", ckpt.toString()));
    assertTrue(fresh.exitCode() != 0 && fresh.err().contains("already holds a checkpoint"), fresh.toString());

    Path resumed = dir.resolve("resumed");
    CommandRun run = train(with(common, "--out", resumed.toString(), "--checkpoint", ckpt.toString(), "--resume"));
    assertEquals(0, run.exitCode(), run.toString());
    List<String> log = Files.readAllLines(resumed.resolve(HeadOnlyTraining.LOG));
    assertEquals("5,contexts,", log.get(1).substring(0, 11), "resumed at contexts iteration 5");
    try (DpnModel a = DpnModel.load(whole); DpnModel b = DpnModel.load(resumed)) {
      assertHeadsEqual(a.head(), b.head());
    }
  }

  @Test
  void aFinishedTripleStageContinuesWithContextsOnResume() throws IOException {
    Path ckpt = dir.resolve("ckpt-triple");
    String[] common = {"--data", data.toString(), "--probs", probs.toString(), "--iterations", "6", "--seed", "3"};
    assertEquals(0, train(with(common, "--out", dir.resolve("t").toString(), "--stage", "triple", "--checkpoint",
        ckpt.toString())).exitCode());
    Path both = dir.resolve("both");
    Path whole = dir.resolve("both-whole");
    assertEquals(0, train(with(common, "--out", both.toString(), "--checkpoint", ckpt.toString(), "--resume"))
        .exitCode());
    assertEquals(0, train(with(common, "--out", whole.toString())).exitCode());
    try (DpnModel a = DpnModel.load(whole); DpnModel b = DpnModel.load(both);
        DpnModel t = DpnModel.load(dir.resolve("t"))) {
      assertHeadsEqual(a.head(), b.head());
      assertEquals("triple", t.config().trained());
    }
  }

  @Test
  void fromAnExistingModelKeepsTraining() throws IOException {
    Path first = dir.resolve("first");
    String[] common = {"--data", data.toString(), "--probs", probs.toString(), "--iterations", "5"};
    assertEquals(0, train(with(common, "--out", first.toString(), "--stage", "triple")).exitCode());
    Path second = dir.resolve("second");
    assertEquals(0, train(with(common, "--out", second.toString(), "--stage", "contexts", "--from", first.toString()))
        .exitCode());
    try (DpnModel a = DpnModel.load(first); DpnModel b = DpnModel.load(second)) {
      assertArrayEquals(a.head().b12().wRgb(), b.head().b12().wRgb(), "contexts leaves b12 as --from had it");
      assertNotEquals(1f, b.head().b12().wRgb()[0]);
      assertEquals("full", b.config().trained());
    }
    CommandRun again = train(with(common, "--out", second.toString()));
    assertTrue(again.exitCode() != 0 && again.err().contains("not overwritten"), again.toString());
  }

  @Test
  void badInputsAreRefusedNamingTheFile() throws IOException {
    Path root = dir.resolve("bad");
    Path p = dir.resolve("badprobs");
    writeDataset(root, p);
    String[] args = {"--data", root.toString(), "--probs", p.toString(), "--iterations", "2"};

    CommandRun noHeadOnly = CommandRun.of(configured(), with(args, "--out", dir.resolve("x0").toString()));
    assertTrue(noHeadOnly.exitCode() != 0 && noHeadOnly.err().contains("give --head-only"),
        noHeadOnly.toString());

    Path npy = p.resolve("img1.npy");
    Npy.writeFloat32(npy, uniform(4, H, W), 4, H, W);
    assertRefused(train(with(args, "--out", dir.resolve("x1").toString())), npy, "4 labels");

    Npy.writeFloat32(npy, uniform(LABELS, H - 4, W), LABELS, H - 4, W);
    assertRefused(train(with(args, "--out", dir.resolve("x2").toString())), npy, "expected (L, 24, 32)");

    Files.delete(npy);
    assertRefused(train(with(args, "--out", dir.resolve("x3").toString())), npy, "no such probabilities file");
    assertTrue(!Files.exists(dir.resolve("x3/config.json")), "no model written");
  }

  private static void assertRefused(CommandRun run, Path file, String what) {
    assertTrue(run.exitCode() != 0 && run.err().contains(file.toString()) && run.err().contains(what), run.toString());
  }

  private static float[] uniform(int l, int h, int w) {
    float[] v = new float[l * h * w];
    java.util.Arrays.fill(v, 1f / l);
    return v;
  }

  private static void assertHeadsEqual(DpnHead a, DpnHead b) {
    assertArrayEquals(a.b12().wRgb(), b.b12().wRgb());
    assertArrayEquals(a.b12().wXy(), b.b12().wXy());
    assertArrayEquals(a.b13().weights(), b.b13().weights());
  }

  private static Matcher find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertTrue(m.find(), "no '" + p + "' in:\n" + text);
    return m;
  }

  private static String[] with(String[] a, String... more) {
    String[] all = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, all, a.length, more.length);
    return all;
  }

  private static CommandRun train(String... args) {
    return CommandRun.of(configured(), with(new String[] {"--head-only", "--threads", "1"}, args));
  }

  /** As {@link Main} reports errors: one line with the message. */
  private static CommandLine configured() {
    return new CommandLine(new TrainCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("train: " + e.getMessage());
          return 2;
        });
  }
}
