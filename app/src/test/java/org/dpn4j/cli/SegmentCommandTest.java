package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import org.dpn4j.testing.SharedData;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.dpn4j.data.LabelSet;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.Npy;
import org.dpn4j.model.DpnModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dpn segment with a random vgg-lite CamVid model made by dpn init. */
@Integration
class SegmentCommandTest {

  private static final Path DATA = SharedData.root();
  private static final Path CAMVID = DATA.resolve("camvid/val/0016E5_07959.jpg");
  private static final Path VOC = DATA.resolve("voc/JPEGImages/2007_000129.jpg");
  private static final Path CITYSCAPES =
      DATA.resolve("cityscapes/leftImg8bit/val/frankfurt/frankfurt_000000_000294_leftImg8bit.png");

  /** A random vgg-lite CamVid model, read only. */
  private static final Path MODEL = CommandRun.sharedModel();

  @TempDir static Path dir;

  @Test
  void datasetSamplesAndOddImagesAreSegmentedAtTheirSize() throws IOException {
    Path grey = dir.resolve("grey.png");
    BufferedImage g = new BufferedImage(37, 23, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setPixel(5, 5, new int[] {200});
    ImageIO.write(g, "png", grey.toFile());
    Path rgba = dir.resolve("rgba.png");
    BufferedImage a = new BufferedImage(17, 41, BufferedImage.TYPE_INT_ARGB);
    a.setRGB(3, 3, 0x80FF0000);
    ImageIO.write(a, "png", rgba.toFile());
    Path broken = dir.resolve("broken.png");
    Files.writeString(broken, "not a picture");
    Path out = dir.resolve("out");
    List<Path> inputs = List.of(CAMVID, broken, VOC, CITYSCAPES, grey, rgba);

    List<String> args = new ArrayList<>(List.of("--model", MODEL.toString(), "--out", out.toString(), "--no-head",
        "--save-probs", "--threads", "2"));
    inputs.forEach(p -> args.add(p.toString()));
    CommandRun run = CommandRun.of(new SegmentCommand(), args.toArray(String[]::new));

    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains(broken + ": not an image"), run.err());
    assertTrue(run.err().contains("1 of 6 images failed"), run.err());
    assertEquals(5, run.lines().size(), run.out());
    assertTrue(run.lines().get(0).matches("0016E5_07959\\.jpg  480x360  unary \\d+ ms, no head"), run.out());
    assertFalse(Files.exists(out.resolve("broken.png")));
    for (Path input : List.of(CAMVID, VOC, CITYSCAPES, grey, rgba)) {
      checkOutputs(input, out);
    }
  }

  /** NAME.png holds the arg-max of NAME.npy with the CamVid palette; the overlay blends it half over the photo. */
  private static void checkOutputs(Path input, Path out) throws IOException {
    String name = input.getFileName().toString().replaceFirst("\\.[a-z]+$", "");
    Maps photo = Images.readRgb(input);
    BufferedImage labels = ImageIO.read(out.resolve(name + ".png").toFile());
    assertEquals(photo.w, labels.getWidth(), name);
    assertEquals(photo.h, labels.getHeight(), name);
    assertEquals(BufferedImage.TYPE_BYTE_INDEXED, labels.getType(), name);
    IndexColorModel palette = (IndexColorModel) labels.getColorModel();
    int[] colours = LabelSet.CAMVID.colours();
    for (int i = 0; i < colours.length; i++) {
      assertEquals(colours[i], palette.getRGB(i) & 0xFFFFFF, name + " palette entry " + i);
    }

    Npy.NpyArray npy = Npy.read(out.resolve(name + ".npy"));
    assertArrayEquals(new int[] {11, photo.h, photo.w}, npy.shape(), name);
    Maps p = new Maps(11, photo.h, photo.w, npy.toFloats());
    for (int i = 0; i < p.plane(); i += 97) {
      double sum = 0;
      for (int k = 0; k < 11; k++) {
        sum += p.data[p.offset(k) + i];
      }
      assertEquals(1.0, sum, 1e-4, name + " pixel " + i);
    }
    int[] expected = LabelMaps.argmax(p);
    int[] found = labels.getRaster().getPixels(0, 0, photo.w, photo.h, (int[]) null);
    assertArrayEquals(expected, found, name);

    BufferedImage overlay = ImageIO.read(out.resolve(name + "_overlay.png").toFile());
    assertEquals(photo.w, overlay.getWidth(), name);
    assertEquals(photo.h, overlay.getHeight(), name);
    int x = photo.w / 2;
    int y = photo.h / 2;
    int colour = colours[expected[y * photo.w + x]];
    int red = Math.round(0.5f * photo.get(0, y, x) * 255f + 0.5f * (colour >> 16));
    assertEquals(red, (overlay.getRGB(x, y) >> 16) & 0xFF, name);
  }

  @Test
  void aBrokenModelStopsBeforeAnyImage() throws IOException {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(bad.resolve("config.json"), "{");
    Files.writeString(bad.resolve("weights.safetensors"), "");
    CommandRun run = CommandRun.of(new SegmentCommand(), "--model", bad.toString(), "--out",
        dir.resolve("none").toString(), "--no-head", CAMVID.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains(bad.resolve("config.json") + ": not valid JSON"), run.err());
  }

  @Test
  void withTheHeadTheProbabilitiesAreRefined() throws IOException {
    Path unary = dir.resolve("unary");
    Path dpn = dir.resolve("dpn");
    for (Path out : List.of(unary, dpn)) {
      List<String> args = new ArrayList<>(List.of("--model", MODEL.toString(), "--out", out.toString(), "--save-probs",
          CITYSCAPES.toString()));
      if (out == unary) {
        args.add("--no-head");
      }
      CommandRun run = CommandRun.of(new SegmentCommand(), args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), run.toString());
    }
    String name = "frankfurt_000000_000294_leftImg8bit";
    checkOutputs(CITYSCAPES, dpn);
    float[] p = Npy.read(unary.resolve(name + ".npy")).toFloats();
    float[] refined = Npy.read(dpn.resolve(name + ".npy")).toFloats();
    double change = 0;
    for (int i = 0; i < p.length; i++) {
      change = Math.max(change, Math.abs(p[i] - refined[i]));
    }
    // Random b11 weights give nearly uniform p, so b12 penalises every label alike: small but real changes.
    assertTrue(change > 1e-5, "largest change " + change);
  }

  /**
   * --flip and --scales average the unary's probabilities as dpn eval's ensemble does: --flip's are
   * the mean of the image's and the mirrored image's; --scales 1 alone is the plain run, bit for bit.
   */
  @Test
  void flipAndScalesAverageTheUnarysPassesBeforeTheHead() throws IOException {
    String name = "0016E5_07959";
    float[] plain;
    float[] mirrored;
    Map<String, float[]> probs = new HashMap<>();
    for (String options : List.of("", "--scales 1", "--flip", "--scales 1,0.5 --flip")) {
      Path out = dir.resolve("tta" + probs.size());
      List<String> args = new ArrayList<>(List.of("--model", MODEL.toString(), "--out", out.toString(), "--save-probs",
          "--no-head", "--threads", "2", CAMVID.toString()));
      if (!options.isEmpty()) {
        args.addAll(List.of(options.split(" ")));
      }
      CommandRun run = CommandRun.of(new SegmentCommand(), args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), run.toString());
      probs.put(options, Npy.read(out.resolve(name + ".npy")).toFloats());
    }
    try (DpnModel m = DpnModel.load(MODEL)) {
      Maps rgb = Images.readRgb(CAMVID);
      plain = m.unaryProbabilities(rgb).data;
      mirrored = Images.mirror(m.unaryProbabilities(Images.mirror(rgb))).data;
    }
    assertArrayEquals(plain, probs.get(""));
    assertArrayEquals(plain, probs.get("--scales 1"));
    float[] flip = probs.get("--flip");
    double largest = 0;
    for (int i = 0; i < flip.length; i++) {
      assertEquals((plain[i] + mirrored[i]) / 2, flip[i], 1e-6, "element " + i);
      largest = Math.max(largest, Math.abs(flip[i] - plain[i]));
    }
    assertTrue(largest > 1e-4, "the mirrored pass changed nothing: " + largest);
    assertFalse(Arrays.equals(flip, probs.get("--scales 1,0.5 --flip")), "the half scale changed nothing");
    CommandRun bad = CommandRun.of(new SegmentCommand(), "--model", MODEL.toString(), "--out",
        dir.resolve("tta-bad").toString(), "--scales", "0", CAMVID.toString());
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("scales must be positive"), bad.err());
    assertFalse(Files.exists(dir.resolve("tta-bad")), "nothing written before the check");
  }

  /** Acceptance (issue 13): a folder of 100 images, one corrupt, in one run: 99 written, the bad one named, exit 2. */
  @Test
  void aFolderOfAHundredImagesWithOneCorruptIsSegmentedInOneRun() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("hundred"));
    java.util.Random random = new java.util.Random(13);
    for (int i = 0; i < 100; i++) {
      Path f = folder.resolve(String.format("img%03d.png", i));
      if (i == 42) {
        Files.write(f, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        continue;
      }
      BufferedImage img = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 24; x++) {
          img.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      ImageIO.write(img, "png", f.toFile());
    }
    Path out = dir.resolve("hundred-out");
    CommandRun run = CommandRun.of(new SegmentCommand(), "--model", MODEL.toString(), "--out", out.toString(),
        folder.toString());

    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains(folder.resolve("img042.png").toString()), run.err());
    assertTrue(run.err().contains("1 of 100 images failed"), run.err());
    assertTrue(run.err().contains("segment 100/100"), "the progress line: " + run.err());
    assertTrue(run.err().contains("left"), "time left: " + run.err());
    assertEquals(99, run.lines().size(), run.out());
    try (var files = Files.list(out)) {
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("img\\d{3}\\.png")).toList();
      assertEquals(99, names.size());
      assertFalse(names.contains("img042.png"));
    }
    assertTrue(run.err().contains("classes (11): Sky, Building, Pole"), run.err());
    BufferedImage legend = ImageIO.read(out.resolve("legend.png").toFile());
    assertEquals(LabelSet.CAMVID.colours()[3], legend.getRGB(20, 4 + 3 * 22 + 10) & 0xFFFFFF, "Road's swatch");
  }

  @Test
  void globsAreExpandedAndInputsOfOneNameAreRefusedBeforeAnyWork() throws IOException {
    Path a = Files.createDirectories(dir.resolve("names/a"));
    Path b = Files.createDirectories(dir.resolve("names/b"));
    BufferedImage img = new BufferedImage(20, 12, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(img, "png", a.resolve("x.png").toFile());
    ImageIO.write(img, "bmp", a.resolve("y.bmp").toFile());
    ImageIO.write(img, "png", b.resolve("legend.png").toFile());
    Path out = dir.resolve("names-out");
    CommandRun run = CommandRun.of(new SegmentCommand(), "--model", MODEL.toString(), "--out", out.toString(),
        "--no-head", a.resolve("*.{png,bmp}").toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, run.lines().size(), run.out());
    assertTrue(Files.exists(out.resolve("x.png")) && Files.exists(out.resolve("y.png")), run.toString());

    // An image called legend.png would write over the legend: refused, like two images of one name.
    Path refused = dir.resolve("names-refused");
    CommandRun clash = CommandRun.of(Main.commandLine(), "segment", "--model", MODEL.toString(), "--out",
        refused.toString(), a.toString(), b.toString());
    assertEquals(2, clash.exitCode(), clash.toString());
    assertTrue(clash.err().contains(refused.resolve("legend.png").toString()), clash.err());
    assertFalse(Files.exists(refused), "refused before any work");
  }
}
