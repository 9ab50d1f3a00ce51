package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dpn4j.io.BadFiles;
import org.dpn4j.testing.Integration;
import org.dpn4j.testing.SharedData;
import org.dpn4j.io.FloFile;
import org.dpn4j.io.Safetensors;
import org.dpn4j.value.Flow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's fuzz suite: each file format dpn reads, made valid by the test, then damaged in
 * seeded ways (emptied, cut at several lengths, bytes overwritten in the header and in the body),
 * and given to the command that reads it. Every run must end with exit code 0 (the damage happened
 * to leave a readable file) or 2 with a message naming the file, never a stack trace or exit 1,
 * and no input file may change. A cut file (empty, 5%, 30%, 70%) must be refused (2), except where
 * the format cannot tell (noted per format).
 */
@Integration
class FuzzTest {

  /** The valid files that are damaged: a random vgg-lite CamVid model (read only), probabilities, an image. */
  private static final Path MODEL = CommandRun.sharedModel();
  private static Path probs;
  private static Path image;

  @TempDir static Path dir;

  @BeforeAll
  static void seeds() throws IOException {
    probs = ReliabilityTest.uniform(dir.resolve("probs.npy"), 3, 12, 16);
    image = ReliabilityTest.png(dir.resolve("image.png"), 16, 12);
  }

  /** One format: a valid file, whether a cut copy must be refused, and the command that reads a file of it. */
  private record Format(String name, Path seed, boolean cutIsRefused, Function<Path, String[]> command) {}

  @TestFactory
  Stream<DynamicTest> damagedFilesAreRefusedWithTheirNameOrRead() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Format f : formats()) {
      List<Path> variants = variants(f);
      for (Path v : variants) {
        // A cut at 97% may take only a trailer that holds no data (PNG's IEND): read or refused, both honest.
        String n = v.getFileName().toString();
        boolean cut = (n.contains("-cut") && !n.contains("-cut97")) || n.contains("-empty");
        tests.add(DynamicTest.dynamicTest(f.name + " " + v.getFileName(), () -> check(f, v, cut && f.cutIsRefused)));
      }
    }
    return tests.stream();
  }

  private static void check(Format f, Path variant, boolean mustRefuse) {
    List<Path> inputs = List.of(variant, MODEL, probs, image);
    Map<Path, String> before = BadFiles.hashes(inputs);
    CommandRun run = ReliabilityTest.dpn(f.command.apply(variant));
    assertEquals(before, BadFiles.hashes(inputs), "an input changed: " + run);
    assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), "a stack trace: " + run);
    if (mustRefuse) {
      assertEquals(2, run.exitCode(), "a damaged file must be refused: " + run);
    } else {
      assertTrue(run.exitCode() == 0 || run.exitCode() == 2, "exit 0 or 2 expected: " + run);
    }
    if (run.exitCode() == 2) {
      String file = variant.toString();
      assertTrue(run.err().contains(file) || run.err().contains(variant.getFileName().toString()),
          "the message names " + file + ": " + run.err());
    }
  }

  private List<Format> formats() throws IOException {
    Path work = Files.createDirectories(dir.resolve("seeds"));
    List<Format> out = new ArrayList<>();
    for (String type : List.of("png", "jpg", "bmp", "gif")) {
      Path seed = work.resolve("photo." + type);
      ImageIO.write(BadFiles.photo(16, 12), type.equals("jpg") ? "jpeg" : type, seed.toFile());
      // BMP and GIF decoders fill a cut file's missing rows without a warning: only the size check can catch it.
      out.add(new Format(type, seed, !type.equals("bmp") && !type.equals("gif"), f -> refine(f, probs)));
    }
    out.add(new Format("npy", probs, true, f -> refine(image, f)));
    Path st = work.resolve("small.safetensors");
    Safetensors.write(st, List.of(Safetensors.Tensor.ofFloats("a.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
        Safetensors.Tensor.ofFloats("b.bias", new long[] {4}, new float[] {0, 1, 2, 3})), Map.of("format", "test"));
    out.add(new Format("safetensors", st, true, f -> new String[] {"inspect", f.toString()}));
    Path tflite = SharedData.path("pretrained/mobilenet_v2_1.0_224_quant.tflite");
    out.add(new Format("tflite", Files.copy(tflite, work.resolve("mobilenet.tflite")), true,
        f -> new String[] {"inspect", f.toString()}));
    Path zip = work.resolve("model.zip");
    assertEquals(0, ReliabilityTest.dpn("init", "--unary", "vgg-lite", "--labels", "camvid", "--out", zip.toString()).exitCode());
    out.add(new Format("zip", zip, true, f -> segmentWith(f)));
    out.add(new Format("config", Files.copy(MODEL.resolve("config.json"), work.resolve("config.json")), true, f -> {
      Path m = modelWithConfig(f);
      return segmentWith(m);
    }));
    Path train = Files.writeString(work.resolve("train.json"), "{\"model\": \"/nonexistent/init\", \"dataset\": {\"kind\": \"camvid\","
        + " \"root\": \"/nonexistent/camvid\", \"split\": \"train\"}, \"crop\": {\"height\": 64, \"width\": 64},"
        + " \"batchSize\": 1, \"baseLr\": 0.001, \"iterations\": 1, \"seed\": 1, \"output\": \"" + dir.resolve("never") + "\"}\n");
    out.add(new Format("train-config", train, true, f -> new String[] {"train", "--config", f.toString(), "--stage", "unary"}));
    out.add(new Format("avi", ReliabilityTest.avi(work.resolve("clip.avi"), 3), true, f -> new String[] {"segment-video",
        "--model", MODEL.toString(), "--video", f.toString(), "--out", dir.resolve("avi-out").toString(), "--flow", "farneback"}));
    out.add(new Format("flo", flowPair(work), true, f -> new String[] {"bench", "flow", "--data", f.getParent().toString(),
        "--methods", "farneback", "--runs", "1"}));
    return out;
  }

  /** Empty, cut at four lengths, and five seeded overwrites (two in the header, three anywhere) of a format's seed. */
  private static List<Path> variants(Format f) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("variants").resolve(f.name));
    String name = f.seed.getFileName().toString();
    String stem = name.substring(0, name.lastIndexOf('.'));
    String ext = name.substring(name.lastIndexOf('.'));
    byte[] b = Files.readAllBytes(f.seed);
    List<Path> out = new ArrayList<>();
    out.add(variantFile(folder, f, stem + "-empty", ext, new byte[0]));
    for (double frac : new double[] {0.05, 0.3, 0.7, 0.97}) {
      int n = Math.min(b.length - 1, (int) (b.length * frac));
      out.add(variantFile(folder, f, stem + "-cut" + Math.round(frac * 100), ext, Arrays.copyOf(b, n)));
    }
    Random rnd = new Random(name.hashCode());
    for (int i = 0; i < 5; i++) {
      byte[] d = b.clone();
      int at = i < 2 ? rnd.nextInt(Math.min(32, d.length)) : rnd.nextInt(d.length);
      for (int k = at; k < Math.min(d.length, at + 8); k++) {
        d[k] = (byte) rnd.nextInt(256);
      }
      out.add(variantFile(folder, f, stem + "-bytes" + i, ext, d));
    }
    return out;
  }

  /** A variant keeps the seed's name inside its own folder where a format needs it (a .flo beside its images). */
  private static Path variantFile(Path folder, Format f, String stem, String ext, byte[] data) throws IOException {
    if (f.name.equals("flo")) {
      Path pair = Files.createDirectories(folder.resolve(stem));
      for (String img : List.of("00001_img1.ppm", "00001_img2.ppm")) {
        Files.copy(f.seed.resolveSibling(img), pair.resolve(img));
      }
      return Files.write(pair.resolve("00001_flow.flo"), data);
    }
    return Files.write(folder.resolve(stem + ext), data);
  }

  private static String[] refine(Path img, Path p) {
    return new String[] {"refine", "--method", "densecrf", "--image", img.toString(), "--probs", p.toString(),
        "--out", dir.resolve("refined").resolve(img.getFileName() + "-" + p.getFileName() + ".png").toString()};
  }

  private static String[] segmentWith(Path m) {
    return new String[] {"segment", "--no-head", "--model", m.toString(), image.toString(), "--out",
        dir.resolve("segmented").toString()};
  }

  /** A copy of the model whose config.json is {@code config}. */
  private static Path modelWithConfig(Path config) {
    try {
      Path m = Files.createDirectories(config.resolveSibling(config.getFileName() + ".model"));
      Files.copy(config, m.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Path w = m.resolve("weights.safetensors");
      if (!Files.exists(w)) {
        Files.createLink(w, MODEL.resolve("weights.safetensors"));
      }
      return m;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A FlyingChairs-like pair (8x6) with a random ground-truth flow; returns the .flo file. */
  private static Path flowPair(Path work) throws IOException {
    Path pair = Files.createDirectories(work.resolve("chairs"));
    Random rnd = new Random(3);
    for (String img : List.of("00001_img1.ppm", "00001_img2.ppm")) {
      byte[] head = "P6\n8 6\n255\n".getBytes();
      byte[] px = new byte[3 * 8 * 6];
      rnd.nextBytes(px);
      byte[] all = Arrays.copyOf(head, head.length + px.length);
      System.arraycopy(px, 0, all, head.length, px.length);
      Files.write(pair.resolve(img), all);
    }
    float[] u = new float[48];
    float[] v = new float[48];
    for (int j = 0; j < 48; j++) {
      u[j] = rnd.nextFloat() * 4 - 2;
      v[j] = rnd.nextFloat() * 4 - 2;
    }
    Path flo = pair.resolve("00001_flow.flo");
    FloFile.write(flo, new Flow(6, 8, u, v));
    return flo;
  }
}
