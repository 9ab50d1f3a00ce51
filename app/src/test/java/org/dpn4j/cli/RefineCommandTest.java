package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.dpn4j.crf.DenseCrf;
import org.dpn4j.data.LabelSet;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.Npy;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dpn refine end to end on a 16 x 12 image with 4 labels, through Main's error handling. */
@Integration
class RefineCommandTest {
  private static final int H = 12;
  private static final int W = 16;
  private static final int L = 4;
  private static final LabelSet LABELS =
      new LabelSet(List.of("a", "b", "c", "d"), new int[] {0x102030, 0xA00000, 0x00B000, 0x0000C0}, 255);

  @TempDir static Path dir;
  private static Path image;
  private static Path model;
  private static Maps rgb;
  private static Maps p;

  @BeforeAll
  static void inputs() throws IOException {
    image = dir.resolve("photo.png");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Random rnd = new Random(5);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int base = x < W / 2 ? 40 : 200;
        img.setRGB(x, y, (base + rnd.nextInt(20)) << 16 | (base + rnd.nextInt(20)) << 8 | base);
      }
    }
    ImageIO.write(img, "png", image.toFile());
    rgb = Images.readRgb(image);
    p = noisyProbabilities(rnd);
    model = dir.resolve("model");
    try (DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", LABELS))) {
      m.save(model);
    }
  }

  /** Label 1 on the left half and 2 on the right, a third of the pixels favouring another label. */
  private static Maps noisyProbabilities(Random rnd) {
    Maps q = new Maps(L, H, W);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int favoured = rnd.nextInt(3) == 0 ? rnd.nextInt(L) : x < W / 2 ? 1 : 2;
        for (int l = 0; l < L; l++) {
          q.set(l, y, x, l == favoured ? 0.55f : 0.15f);
        }
      }
    }
    return q;
  }

  // ---- both methods, both layouts, logits ------------------------------------------------

  @Test
  void denseCrfOutputIsDenseCrfItself() throws IOException {
    Path probs = lhw("p.npy", p);
    Path out = dir.resolve("crf/labels.png");
    Path q = dir.resolve("crf/q.npy");
    Path overlay = dir.resolve("crf/overlay.png");
    CommandRun run = refine("--image", image, "--probs", probs, "--method", "densecrf", "--out", out, "--probs-out", q,
        "--overlay", overlay, "--threads", "1");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().startsWith("photo.png  16x12  4 labels  densecrf, 5 iterations"), run.out());

    DenseCrf crf = new DenseCrf(W, H, L);
    crf.setUnaryFromProbabilities(p);
    crf.addPairwiseGaussian(3, 3);
    crf.addPairwiseBilateral(80, 13, rgb, 10);
    Maps expected = crf.inference(5);
    Npy.NpyArray written = Npy.read(q);
    assertArrayEquals(new int[] {L, H, W}, written.shape());
    assertArrayEquals(expected.data, written.toFloats());
    int[] labels = LabelMaps.argmax(expected);
    assertFalse(java.util.Arrays.equals(labels, LabelMaps.argmax(p)), "the CRF changed no label: a weak test");
    assertLabelPng(out, labels, LabelMaps.vocPalette(L));
    BufferedImage o = ImageIO.read(overlay.toFile());
    assertEquals(W, o.getWidth());
    assertEquals(H, o.getHeight());
  }

  @Test
  void heightWidthLabelLayoutAndLogitsGiveTheSameResult() throws IOException {
    Maps reference = refinedProbabilities("--probs", lhw("ref.npy", p), "--method", "densecrf", "--iterations", "2");
    Maps hwl = refinedProbabilities("--probs", hwl("hwl.npy", p), "--method", "densecrf", "--iterations", "2");
    assertArrayEquals(reference.data, hwl.data);

    Maps logits = p.copy();
    for (int i = 0; i < logits.data.length; i++) {
      logits.data[i] = (float) Math.log(p.data[i]) + 2.5f * (i % W);   // any per-pixel shift
    }
    Maps fromLogits = refinedProbabilities("--probs", hwl("logits.npy", logits), "--logits", "--method", "densecrf",
        "--iterations", "2");
    assertTrue(fromLogits.maxRelativeError(reference) < 1e-5, "logits: " + fromLogits.maxRelativeError(reference));
  }

  @Test
  void dpnOutputIsTheModelsHead() throws IOException {
    Path out = dir.resolve("dpn/labels.png");
    Path q = dir.resolve("dpn/q.npy");
    CommandRun run = refine("--image", image, "--probs", hwl("p_hwl.npy", p), "--method", "dpn", "--model", model,
        "--out", out, "--probs-out", q);
    assertEquals(0, run.exitCode(), run.toString());
    Maps expected;
    try (DpnModel m = DpnModel.load(model)) {
      expected = m.head().refine(p, rgb);
    }
    assertArrayEquals(expected.data, Npy.read(q).toFloats());
    assertLabelPng(out, LabelMaps.argmax(expected), LABELS.colours());
  }

  @Test
  void float16IsConvertedAndAccepted() throws IOException {
    Path f16 = dir.resolve("p16.npy");
    Npy.writeFloat16(f16, p.data, L, H, W);
    Maps fromHalf = refinedProbabilities("--probs", f16, "--method", "densecrf");
    Maps fromFloat = refinedProbabilities("--probs", lhw("p32.npy", p), "--method", "densecrf");
    // 0.55 and 0.15 are rounded by float16 to ~2.4e-4 relative.
    assertTrue(fromHalf.maxRelativeError(fromFloat) < 1e-2, "float16: " + fromHalf.maxRelativeError(fromFloat));
  }

  @Test
  void whenBothLayoutsFitTheFileIsReadAsLabelsHeightWidth() throws IOException {
    Path square = dir.resolve("square.png");
    BufferedImage img = new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xFFFFFF);
    ImageIO.write(img, "png", square.toFile());
    Maps q = new Maps(3, 3, 3);
    for (int i = 0; i < 9; i++) {
      q.data[i % 3 * 9 + i] = 0.5f;         // label i % 3 of pixel i gets 0.5, the others 0.25
      q.data[(i + 1) % 3 * 9 + i] = 0.25f;
      q.data[(i + 2) % 3 * 9 + i] = 0.25f;
    }
    Path probs = lhw("square.npy", q);
    Path out = dir.resolve("square_q.npy");
    CommandRun run = refine("--image", square, "--probs", probs, "--method", "densecrf", "--iterations", "0", "--out",
        dir.resolve("square_labels.png"), "--probs-out", out);
    assertEquals(0, run.exitCode(), run.toString());
    assertArrayEquals(q.data, Npy.read(out).toFloats(), 1e-6f);
    assertTrue(refine("--help").out().replaceAll("\\s+", " ").contains("(L = H = W) it is read as (L, H, W)."));
  }

  // ---- bad input ------------------------------------------------------------------------------

  @Test
  void sizesThatDifferFromTheImageAreRefusedNamingBothFiles() throws IOException {
    Path probs = dir.resolve("small.npy");
    Npy.writeFloat32(probs, new Maps(L, 10, 12).data, L, 10, 12);
    assertRefused(probs, List.of(), probs + " has shape [4, 10, 12] but " + image + " is 16x12 (W x H)");
  }

  @Test
  void nonFiniteNegativeAndUnnormalisedValuesAreRefused() throws IOException {
    assertRefused(changed("nan.npy", 5, Float.NaN), List.of(), "NaN at label 0, (x=5, y=0) (values must be finite)");
    assertRefused(changed("inf.npy", W + 1, Float.POSITIVE_INFINITY), List.of("--logits"), "Infinity at label 0, (x=1, y=1)");
    assertRefused(changed("neg.npy", 3, -0.1f), List.of(), "negative probability -0.1 at label 0, (x=3, y=0)");
    Path sums = changed("sum.npy", 2, 0.3f);
    assertRefused(sums, List.of(), sums + ": the probabilities at (x=2, y=0) sum to");
    assertRefused(sums, List.of(), "add --logits");
  }

  @Test
  void integerTypesAndOtherRanksAreRefused() throws IOException {
    Path u8 = dir.resolve("u8.npy");
    Npy.writeUint8(u8, new int[L * H * W], L, H, W);
    assertRefused(u8, List.of(), u8 + ": dtype uint8 holds labels, not probabilities: they must be float64, float32 or float16");
    Path i32 = dir.resolve("i32.npy");
    Npy.writeInt32(i32, new int[L * H * W], L, H, W);
    assertRefused(i32, List.of(), i32 + ": dtype int32 holds labels, not probabilities");
    Path rank2 = dir.resolve("rank2.npy");
    Npy.writeFloat32(rank2, new float[H * W], H, W);
    assertRefused(rank2, List.of(), rank2 + ": shape [12, 16] has rank 2, expected 3");
    Path rank4 = dir.resolve("rank4.npy");
    Npy.writeFloat32(rank4, p.data, 1, L, H, W);
    assertRefused(rank4, List.of(), "has rank 4");
  }

  @Test
  void optionsThatDoNotFitTheMethodAreRefused() throws IOException {
    Path probs = lhw("ok.npy", p);
    // Without --model the shipped CamVid model (11 labels) refines, and these are 4-label probabilities.
    assertRefused(probs, List.of("--method", "dpn"), "holds 4 labels but the model ");
    assertRefused(probs, List.of("--method", "dpn"), "camvid has 11");
    assertRefused(probs, List.of("--method", "densecrf", "--model", model.toString()), "--model and --window are for --method dpn");
    assertRefused(probs, List.of("--method", "dpn", "--model", model.toString(), "--iterations", "3"),
        "the DPN head computes one mean-field step");
    Maps three = new Maps(3, H, W);
    java.util.Arrays.fill(three.data, 1f / 3);
    Path wrongCount = lhw("three.npy", three);
    assertRefused(wrongCount, List.of("--method", "dpn", "--model", model.toString()),
        wrongCount + " holds 3 labels but the model " + model + " has 4");
  }

  // ---- NumPy's files and folders (issue 13) ------------------------------------------------------

  /** The probabilities NumPy saved every way (core/src/test/resources/npy/make_fixtures.py): 11 labels, 6 x 8. */
  private static final Path NUMPY = Path.of("core/src/test/resources/npy");

  /** An 8 x 6 photo for the fixtures: two colour halves. */
  private static Path fixturePhoto() throws IOException {
    Path photo = dir.resolve("fixture.png");
    if (!Files.exists(photo)) {
      BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 8; x++) {
          img.setRGB(x, y, x < 4 ? 0x304050 : 0xC0B0A0);
        }
      }
      ImageIO.write(img, "png", photo.toFile());
    }
    return photo;
  }

  /** Acceptance (issue 13): the same probabilities in every layout NumPy writes refine to identical labels. */
  @Test
  void theSameProbabilitiesSavedEveryWayGiveIdenticalLabels() throws IOException {
    Path photo = fixturePhoto();
    int[] reference = null;
    for (String f : List.of("p_f32.npy", "p_f64.npy", "p_fortran.npy", "p_be.npy", "p_f64_fortran_be.npy", "p.npz",
        "p_compressed.npz", "p_hwl.npy", "p_hwl_fortran.npy")) {
      Path out = dir.resolve("numpy-" + f + ".png");
      // The shipped CamVid model's head (11 labels), as a user refines another network's output.
      CommandRun run = refine("--image", photo, "--probs", NUMPY.resolve(f), "--method", "dpn", "--out", out);
      assertEquals(0, run.exitCode(), f + ": " + run);
      int[] labels = ImageIO.read(out.toFile()).getRaster().getPixels(0, 0, 8, 6, (int[]) null);
      if (reference == null) {
        reference = labels;
        assertTrue(java.util.Arrays.stream(labels).distinct().count() > 1, "not a trivial label map");
      }
      assertArrayEquals(reference, labels, f);
    }
    CommandRun keyed = refine("--image", photo, "--probs", NUMPY.resolve("p_two.npz"), "--key", "probs",
        "--method", "densecrf", "--out", dir.resolve("keyed.png"));
    assertEquals(0, keyed.exitCode(), keyed.toString());
    assertRefused(NUMPY.resolve("p_two.npz"), List.of(), "2 arrays [probs, logits] in this .npz");
    Path absent = dir.resolve("absent.npy");
    assertRefused(absent, List.of(), absent + ": no such file");
  }

  @Test
  void foldersAreRefinedInOneRunMatchedByName() throws IOException {
    Path images = Files.createDirectories(dir.resolve("batch-images"));
    Path arrays = Files.createDirectories(dir.resolve("batch-probs"));
    for (String n : List.of("a", "b", "c")) {
      Files.copy(image, images.resolve(n + ".png"));
    }
    Npy.writeFloat32(arrays.resolve("a.npy"), p.data, L, H, W);
    Npy.writeFloat32(arrays.resolve("b.npy"), new Maps(L, 3, 3).data, L, 3, 3); // the wrong size
    Npy.writeFloat32(arrays.resolve("orphan.npy"), p.data, L, H, W);
    Path out = dir.resolve("batch-out");
    Path probsOut = dir.resolve("batch-q");
    CommandRun run = refine("--image", images, "--probs", arrays, "--method", "densecrf", "--out", out,
        "--probs-out", probsOut);

    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(Files.exists(out.resolve("a.png")) && Files.exists(probsOut.resolve("a.npy")), run.toString());
    assertFalse(Files.exists(out.resolve("b.png")) || Files.exists(out.resolve("c.png")), run.toString());
    assertTrue(run.err().contains(arrays.resolve("b.npy") + " has shape [4, 3, 3]"), run.err());
    assertTrue(run.err().contains(images.resolve("c.png") + ": no probability file of its name"), run.err());
    assertTrue(run.err().contains(arrays.resolve("orphan.npy") + ": no image of its name"), run.err());
    assertTrue(run.err().contains("2 of 3 images failed"), run.err());
    assertEquals(1, run.lines().size(), run.out());
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Runs {@code dpn refine ARGS} through Main (its error handling included). */
  private static CommandRun refine(Object... args) {
    List<String> a = new ArrayList<>(List.of("refine"));
    for (Object o : args) {
      a.add(o.toString());
    }
    return CommandRun.of(Main.commandLine(), a.toArray(String[]::new));
  }


  /** The refined probabilities of {@code image} with the given options. */
  private static Maps refinedProbabilities(Object... options) throws IOException {
    Path q = Files.createTempFile(dir, "q", ".npy");
    List<Object> args = new ArrayList<>(List.of(options));
    args.addAll(List.of("--image", image, "--out", dir.resolve("unused.png"), "--probs-out", q));
    CommandRun run = refine(args.toArray());
    assertEquals(0, run.exitCode(), run.toString());
    Npy.NpyArray a = Npy.read(q);
    assertArrayEquals(new int[] {L, H, W}, a.shape());
    return new Maps(L, H, W, a.toFloats());
  }

  private static void assertRefused(Path probs, List<String> options, String message) {
    Path out = dir.resolve("refused.png");
    List<Object> args = new ArrayList<>(List.of("--image", image, "--probs", probs, "--out", out));
    if (!options.contains("--method")) {
      args.addAll(List.of("--method", "densecrf"));
    }
    args.addAll(options);
    CommandRun run = refine(args.toArray());
    assertEquals(2, run.exitCode(), run.toString());
    // The error is the last line; a default model is said on the line before.
    assertTrue(run.err().lines().reduce((a, b) -> b).orElse("").startsWith("dpn refine: "), run.err());
    assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
    assertFalse(Files.exists(out), "a refused run wrote " + out);
  }

  private static Path lhw(String name, Maps m) throws IOException {
    Path f = dir.resolve(name);
    Npy.writeFloat32(f, m.data, m.c, m.h, m.w);
    return f;
  }

  private static Path hwl(String name, Maps m) throws IOException {
    float[] t = new float[m.data.length];
    for (int i = 0; i < m.plane(); i++) {
      for (int l = 0; l < m.c; l++) {
        t[i * m.c + l] = m.data[l * m.plane() + i];
      }
    }
    Path f = dir.resolve(name);
    Npy.writeFloat32(f, t, m.h, m.w, m.c);
    return f;
  }

  /** {@link #p} with value {@code i} (label 0 of a pixel) replaced. */
  private static Path changed(String name, int i, float v) throws IOException {
    Maps m = p.copy();
    m.data[i] = v;
    return lhw(name, m);
  }

  private static void assertLabelPng(Path png, int[] labels, int[] palette) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(W, img.getWidth());
    assertEquals(H, img.getHeight());
    int[] read = img.getRaster().getPixels(0, 0, W, H, (int[]) null);
    assertArrayEquals(labels, read);
    IndexColorModel cm = (IndexColorModel) img.getColorModel();
    for (int l = 0; l < palette.length; l++) {
      assertEquals(palette[l], cm.getRGB(l) & 0xFFFFFF, "palette entry " + l);
    }
  }
}
