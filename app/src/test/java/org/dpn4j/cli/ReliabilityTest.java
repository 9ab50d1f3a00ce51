package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.dpn4j.io.BadFiles;
import org.dpn4j.testing.Integration;
import org.dpn4j.testing.SharedData;
import org.dpn4j.io.Npy;
import org.dpn4j.io.Safetensors;
import org.dpn4j.video.OpenCv;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/**
 * Issue 17's cases, as a hostile but realistic user tries them: each asserts the exit code (issue
 * 14's rule: 0 done, 2 bad input, 1 a failure while running), a message naming the file and the
 * cause, no stack trace, and that no input file changed. docs/RELIABILITY.md lists them.
 */
@Integration
class ReliabilityTest {

  /** A random vgg-lite CamVid model, read only. */
  private static final Path MODEL = CommandRun.sharedModel();

  @TempDir static Path dir;

  // ---- data loss ----

  @Test
  void segmentIntoTheImagesFolderRefusesToReplaceTheImage() throws IOException {
    Path d = Files.createDirectories(dir.resolve("d"));
    Path photo = png(d.resolve("photo.png"), 32, 24);
    CommandRun run = unchanged(List.of(d), () -> dpn("segment", "--model", MODEL.toString(), photo.toString(), "--out", d.toString()));
    refused(run, 2, photo + " is the input " + photo + ": refusing to overwrite it");
  }

  @Test
  void aReRunReplacesItsOwnEarlierResults() throws IOException {
    Path p = png(dir.resolve("again.png"), 16, 12);
    Path out = dir.resolve("again-out");
    for (int run = 0; run < 2; run++) {
      CommandRun r = unchanged(List.of(p), () -> dpn("segment", "--model", MODEL.toString(), p.toString(), "--out", out.toString()));
      assertEquals(0, r.exitCode(), r.toString());
    }
    assertEquals(List.of("again.png", "again_overlay.png", "legend.png"), listing(out));
  }

  @Test
  void evalSaveIntoTheGroundTruthOrImagesIsRefused() throws IOException {
    Path root = miniCamVid("camvid-mini");
    for (String folder : List.of("valannot", "val")) {
      CommandRun run = unchanged(List.of(root), () -> dpn("eval", "--model", MODEL.toString(), "--dataset", "camvid",
          "--root", root.toString(), "--split", "val", "--save", root.resolve(folder).toString()));
      refused(run, 2, "is inside the dataset's " + (folder.equals("val") ? "image" : "label") + " folder");
    }
    CommandRun beside = dpn("eval", "--model", MODEL.toString(), "--dataset", "camvid", "--root", root.toString(),
        "--split", "val", "--save", root.resolve("predictions").toString());
    assertEquals(0, beside.exitCode(), beside.toString());
  }

  @Test
  void twoImagesWithOneNameAreRefusedWithTheList() throws IOException {
    Path a = png(Files.createDirectories(dir.resolve("two/a")).resolve("x.png"), 16, 16);
    Path b = png(Files.createDirectories(dir.resolve("two/b")).resolve("x.png"), 16, 16);
    Path c = dir.resolve("two/x.jpg");
    ImageIO.write(BadFiles.photo(16, 16), "jpeg", c.toFile());
    Path out = dir.resolve("two/o");
    CommandRun run = unchanged(List.of(dir.resolve("two")),
        () -> dpn("segment", "--model", MODEL.toString(), a.toString(), b.toString(), c.toString(), "--out", out.toString()));
    refused(run, 2, out.resolve("x.png") + " would be written 3 times in one run", a.toString(), b.toString(), c.toString());
    assertFalse(Files.exists(out), "refused before any work");
  }

  @Test
  void refineOntoItsOwnInputsIsRefused() throws IOException {
    Path p = png(dir.resolve("p.png"), 16, 12);
    Path probs = uniform(dir.resolve("p.npy"), 3, 12, 16);
    CommandRun run = unchanged(List.of(p, probs), () -> refine(p, probs, "--out", p.toString(), "--probs-out", probs.toString()));
    refused(run, 2, "2 outputs refused", p + " is the input", probs + " is the input");
  }

  @Test
  void aSymbolicOrHardLinkToAnInputIsRefusedLikeTheInput() throws IOException {
    Path p = png(dir.resolve("linked.png"), 16, 12);
    Path probs = uniform(dir.resolve("linked.npy"), 3, 12, 16);
    Path soft = Files.createSymbolicLink(dir.resolve("soft.png"), p);
    Path hard = Files.createLink(dir.resolve("hard.npy"), probs);
    CommandRun run = unchanged(List.of(p, probs), () -> refine(p, probs, "--out", soft.toString(), "--probs-out", hard.toString()));
    refused(run, 2, soft + " is the input " + p, hard + " is the input " + probs);
  }

  // ---- crash or hang ----

  @Test
  void tooManyThreadsAreRefusedWithTheLimitBeforeAnythingLoads() throws IOException {
    Path p = png(dir.resolve("threads.png"), 16, 12);
    Path out = dir.resolve("threads-out");
    CommandRun run = dpn("segment", "--threads", "100000", "--model", MODEL.toString(), p.toString(), "--out", out.toString());
    int cores = Runtime.getRuntime().availableProcessors();
    refused(run, 2, "--threads must be between 1 and " + cores + " (the processors available to this process), got 100000");
    assertFalse(Files.exists(out));
  }

  @Test
  void aFullDiskNamesTheFileAndTheCauseAndLeavesNoTemporaryFile() throws IOException {
    Path p = noisy(dir.resolve("noisy.png"), 256, 256);
    Path probs = uniform(dir.resolve("noisy.npy"), 3, 256, 256);
    onTmpfs("full", "size=64k", full -> {
      CommandRun run = unchanged(List.of(p, probs), () -> refine(p, probs, "--out", full.resolve("labels.png").toString(),
          "--overlay", full.resolve("overlay.png").toString()));
      refused(run, 1, full.resolve("overlay.png") + ": cannot write it (No space left on device)");
      assertFalse(run.err().contains(".tmp"), run.err());
      assertEquals(List.of("labels.png"), listing(full), "the overlay's temporary file is removed");
    });
  }

  // ---- errors say file and cause ----

  @Test
  void aReadOnlyFileSystemNamesTheFileAndTheCause() throws IOException {
    Path p = png(dir.resolve("ro.png"), 16, 12);
    Path probs = uniform(dir.resolve("ro.npy"), 3, 12, 16);
    onTmpfs("ro", "ro,size=64k", ro -> refused(refine(p, probs, "--out", ro.resolve("labels.png").toString()), 1,
        ro.resolve("labels.png") + ": cannot write it (Read-only file system)"));
  }

  @Test
  void aFileWhereAFolderIsExpectedIsNamed() throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes");
    Path p = png(dir.resolve("nf.png"), 16, 12);
    Path probs = uniform(dir.resolve("nf.npy"), 3, 12, 16);
    CommandRun run = unchanged(List.of(notes, p, probs),
        () -> refine(p, probs, "--out", notes.resolve("labels.png").toString()));
    refused(run, 1, notes + ": cannot write it (" + notes + " exists and is not a folder)");
  }

  /**
   * As root, chmod denies nothing: the command runs in a child JVM without the capability that
   * overrides file permissions (capsh), writing into a folder with mode 555.
   */
  @Test
  void aFolderWithoutWritePermissionNamesTheFileAndTheCause() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/capsh")) || Files.isExecutable(Path.of("/sbin/capsh")),
        "capsh (libcap2-bin) is not installed: the permission-denied case cannot be tested as root here");
    Path locked = Files.createDirectories(dir.resolve("locked"));
    Path p = png(dir.resolve("perm.png"), 16, 12);
    Path probs = uniform(dir.resolve("perm.npy"), 3, 12, 16);
    Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cmd = String.join(" ", java, "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "refine", "--method", "densecrf", "--image", p.toString(), "--probs", probs.toString(),
        "--out", locked.resolve("labels.png").toString());
    Process proc = new ProcessBuilder("capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", cmd)
        .redirectErrorStream(true).start();
    String output = new String(proc.getInputStream().readAllBytes());
    int code = proc.waitFor();
    assertEquals(1, code, output);
    assertTrue(output.contains(locked.resolve("labels.png") + ": cannot write it (permission denied)"), output);
    assertFalse(output.contains("\tat "), output);
    assertEquals(List.of(), listing(locked));
  }

  // ---- silent wrong output ----

  @Test
  void aModelWithNaNWeightsIsRefusedOnLoadNamingTheTensor() throws IOException {
    Path nan = copyModel("nan-model");
    Path weights = nan.resolve("weights.safetensors");
    Safetensors st = Safetensors.open(weights);
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    String victim = st.tensors().get(st.tensors().size() / 2).name();
    for (Safetensors.Info i : st.tensors()) {
      float[] v = st.floats(i.name());
      if (i.name().equals(victim)) {
        v[1] = Float.NaN;
      }
      tensors.add(Safetensors.Tensor.ofFloats(i.name(), i.shape(), v));
    }
    Safetensors.write(weights, tensors, st.metadata());
    Path p = png(dir.resolve("nan.png"), 16, 12);
    CommandRun run = unchanged(List.of(nan, p), () -> dpn("segment", "--model", nan.toString(), p.toString(), "--out",
        dir.resolve("nan-out").toString()));
    refused(run, 2, weights + ": refusing the weights: tensor '" + victim + "' holds NaN at index 1");
  }

  @Test
  void aModelZipWithADamagedEntryIsRefusedByItsCrc() throws IOException {
    Path zip = dir.resolve("m.zip");
    assertEquals(0, dpn("init", "--unary", "vgg-lite", "--labels", "camvid", "--out", zip.toString()).exitCode());
    Path stored = storedCopy(zip, dir.resolve("stored.zip"));
    byte[] b = Files.readAllBytes(stored);
    int at = indexOf(b, "weights.safetensors".getBytes()) + 2000; // inside the stored weights' data
    b[at] ^= 0x10;
    Path badStored = Files.write(dir.resolve("bad-stored.zip"), b);
    byte[] d = Files.readAllBytes(zip);
    d[d.length / 2] ^= 0x55;
    Path badDeflated = Files.write(dir.resolve("bad-deflated.zip"), d);
    Path p = png(dir.resolve("zip.png"), 16, 12);
    for (Path bad : List.of(badStored, badDeflated)) {
      CommandRun run = unchanged(List.of(bad, p), () -> dpn("segment", "--model", bad.toString(), p.toString(), "--out",
          dir.resolve("zip-out").toString()));
      refused(run, 2, bad + "!/weights.safetensors: damaged zip entry");
    }
    assertEquals(0, dpn("segment", "--model", stored.toString(), p.toString(), "--out", dir.resolve("zip-out").toString()).exitCode(),
        "the undamaged stored copy loads");
  }

  @Test
  void aTruncatedJpegIsRefusedAndTheOtherImagesStillRun() throws IOException {
    Path whole = dir.resolve("whole.jpg");
    ImageIO.write(BadFiles.photo(64, 48), "jpeg", whole.toFile());
    Path cut = BadFiles.truncated(whole, dir.resolve("cut.jpg"), 0.6);
    Path out = dir.resolve("trunc-out");
    CommandRun run = unchanged(List.of(whole, cut), () -> dpn("segment", "--model", MODEL.toString(), cut.toString(),
        whole.toString(), "--out", out.toString()));
    refused(run, 2, cut + ": truncated or corrupt image", "1 of 2 images");
    assertTrue(Files.exists(out.resolve("whole.png")));
    assertFalse(Files.exists(out.resolve("cut.png")));
  }

  @Test
  void aCmykJpegIsSegmented() throws IOException {
    Path cmyk = BadFiles.cmykJpeg(BadFiles.photo(64, 48), dir.resolve("cmyk.jpg"));
    CommandRun run = dpn("segment", "--model", MODEL.toString(), cmyk.toString(), "--out", dir.resolve("cmyk-out").toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("cmyk.jpg  64x48"), run.out());
  }

  @Test
  void aCorruptVideoFrameIsAReportedSkipAndATruncatedAviIsCalledTruncated() throws IOException {
    Path avi = avi(dir.resolve("clip.avi"), 5);
    byte[] b = Files.readAllBytes(avi);
    List<Integer> soi = new ArrayList<>();
    for (int i = 0; i + 1 < b.length; i++) {
      if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD8) {
        soi.add(i);
      }
    }
    assertEquals(5, soi.size(), "one JPEG per frame");
    Path corrupt = BadFiles.overwritten(avi, dir.resolve("corrupt.avi"), soi.get(2) + 2, 600, (byte) 0x5A);
    Path out = dir.resolve("video-out");
    CommandRun run = unchanged(List.of(corrupt), () -> dpn("segment-video", "--model", MODEL.toString(), "--video",
        corrupt.toString(), "--out", out.toString(), "--flow", "farneback"));
    refused(run, 2, corrupt + ": skipped 1 frame(s) that could not be decoded (corrupt data): frame 3");
    for (int i : new int[] {1, 2, 4, 5}) {
      assertTrue(Files.exists(out.resolve("corrupt_00000" + i + ".png")), "frame " + i + " after the bad one is segmented");
    }
    CommandRun skip = dpn("segment-video", "--model", MODEL.toString(), "--video", corrupt.toString(), "--out",
        out.toString(), "--flow", "farneback", "--skip-bad-frames");
    assertEquals(0, skip.exitCode(), skip.toString());
    assertTrue(skip.err().contains("frame 3"), skip.err());

    Path cut = BadFiles.truncated(avi, dir.resolve("cut.avi"), 0.6);
    CommandRun truncated = unchanged(List.of(cut), () -> dpn("segment-video", "--model", MODEL.toString(), "--video",
        cut.toString(), "--out", out.toString()));
    refused(truncated, 2, cut + ": truncated AVI file: " + String.format("%,d", Files.size(cut)) + " bytes, its header announces");
  }

  @Test
  void benchFlowRefusesGroundTruthWithoutAnyKnownValue() throws IOException {
    Path data = Files.createDirectories(dir.resolve("chairs"));
    ppm(data.resolve("00001_img1.ppm"), 8, 6);
    ppm(data.resolve("00001_img2.ppm"), 8, 6);
    float[] unknown = new float[48];
    Arrays.fill(unknown, 1e9f);
    unknown[3] = Float.NaN;
    org.dpn4j.io.FloFile.write(data.resolve("00001_flow.flo"), new org.dpn4j.value.Flow(6, 8, unknown, unknown.clone()));
    CommandRun run = unchanged(List.of(data), () -> dpn("bench", "flow", "--data", data.toString(), "--runs", "1"));
    refused(run, 2, data.resolve("00001_flow.flo") + ": no known flow value");
  }

  // ---- unclear messages ----

  @Test
  void aFolderGivenAsAnImageIsCalledAFolder() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("a-folder.png"));
    CommandRun run = dpn("segment", "--model", MODEL.toString(), folder.toString(), "--out", dir.resolve("f-out").toString());
    refused(run, 2, folder + ": is a folder, not an image file");
  }

  @Test
  void zeroLabelAndNonFiniteProbabilitiesAreRefusedClearly() throws IOException {
    Path p = png(dir.resolve("zero.png"), 16, 12);
    Path none = dir.resolve("none.npy");
    Npy.writeFloat32(none, new float[0], 0, 12, 16);
    CommandRun run = unchanged(List.of(p, none), () -> refine(p, none, "--out", dir.resolve("zero-out.png").toString()));
    refused(run, 2, none + ": shape [0, 12, 16] holds no values: probabilities need at least one label");
    float[] v = new float[3 * 12 * 16];
    Arrays.fill(v, 1f / 3);
    v[7] = Float.NaN;
    Path nan = dir.resolve("nan-probs.npy");
    Npy.writeFloat32(nan, v, 3, 12, 16);
    CommandRun nanRun = refine(p, nan, "--out", dir.resolve("nan-out.png").toString());
    refused(nanRun, 2, nan + ": NaN at label 0, (x=7, y=0) (values must be finite)");
  }

  @Test
  void anImageAboveThePixelLimitIsRefusedBeforeDecoding() throws IOException {
    Path huge = BadFiles.pngHeader(20_000, 10_000, dir.resolve("huge.png"));
    CommandRun run = dpn("segment", "--model", MODEL.toString(), huge.toString(), "--out", dir.resolve("huge-out").toString());
    refused(run, 2, huge + ": 20000x10000 is 200.0 megapixels, above the limit of 50.0");
  }

  // ---- helpers ----

  static CommandRun dpn(String... args) {
    return CommandRun.of(Main.commandLine(), args);
  }

  /** Runs {@code run} and asserts that the files of {@code inputs} (folders: every file in them) did not change. */
  static CommandRun unchanged(List<Path> inputs, java.util.function.Supplier<CommandRun> run) {
    Map<Path, String> before = BadFiles.hashes(inputs);
    CommandRun r = run.get();
    assertEquals(before, BadFiles.hashes(inputs), "an input changed: " + r);
    return r;
  }

  /** The exit code, each fragment in the error output, and no stack trace. */
  static void refused(CommandRun run, int code, String... fragments) {
    assertEquals(code, run.exitCode(), run.toString());
    for (String f : fragments) {
      assertTrue(run.err().contains(f), "expected '" + f + "' in: " + run.err());
    }
    assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), "no stack trace: " + run.err());
  }

  /** {@code dpn refine --method densecrf} (no engine, no model) of {@code image} and {@code probs}, then {@code more}. */
  private static CommandRun refine(Path image, Path probs, String... more) {
    List<String> args = new ArrayList<>(List.of("refine", "--method", "densecrf", "--image", image.toString(),
        "--probs", probs.toString()));
    args.addAll(List.of(more));
    return dpn(args.toArray(String[]::new));
  }

  static Path png(Path file, int w, int h) throws IOException {
    ImageIO.write(BadFiles.photo(w, h), "png", file.toFile());
    return file;
  }

  private static Path noisy(Path file, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random rnd = new Random(17);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rnd.nextInt(1 << 24));
      }
    }
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  /** Probabilities 1/L everywhere, (L, H, W). */
  static Path uniform(Path file, int labels, int h, int w) throws IOException {
    float[] v = new float[labels * h * w];
    Arrays.fill(v, 1f / labels);
    Npy.writeFloat32(file, v, labels, h, w);
    return file;
  }

  private static void ppm(Path file, int w, int h) throws IOException {
    byte[] head = ("P6\n" + w + " " + h + "\n255\n").getBytes();
    byte[] px = new byte[3 * w * h];
    new Random(w).nextBytes(px);
    ByteBuffer b = ByteBuffer.allocate(head.length + px.length).order(ByteOrder.LITTLE_ENDIAN).put(head).put(px);
    Files.write(file, b.array());
  }

  /** A Motion-JPEG AVI of {@code frames} random 64x48 frames. */
  static Path avi(Path file, int frames) {
    OpenCv.load();
    VideoWriter w = new VideoWriter(file.toString(), Videoio.CAP_OPENCV_MJPEG, VideoWriter.fourcc('M', 'J', 'P', 'G'), 10, new Size(64, 48));
    assertTrue(w.isOpened());
    for (int i = 0; i < frames; i++) {
      Mat m = new Mat(48, 64, CvType.CV_8UC3, new Scalar(0));
      org.opencv.core.Core.randu(m, 0, 255);
      w.write(m);
      m.release();
    }
    w.release();
    return file;
  }

  /** Two CamVid val frames with their labels in CamVid's layout, in a temporary folder. */
  private static Path miniCamVid(String name) throws IOException {
    Path camvid = SharedData.path("camvid");
    Path root = dir.resolve(name);
    Files.createDirectories(root.resolve("val"));
    Files.createDirectories(root.resolve("valannot"));
    StringBuilder list = new StringBuilder();
    for (String frame : List.of("0016E5_07959", "0016E5_07961")) {
      Files.copy(camvid.resolve("val/" + frame + ".jpg"), root.resolve("val/" + frame + ".jpg"));
      Files.copy(camvid.resolve("valannot/" + frame + ".png"), root.resolve("valannot/" + frame + ".png"));
      list.append("/SegNet/CamVid/val/").append(frame).append(".jpg /SegNet/CamVid/valannot/").append(frame).append(".png\n");
    }
    Files.writeString(root.resolve("val.txt"), list);
    return root;
  }

  private static Path copyModel(String name) throws IOException {
    Path copy = Files.createDirectories(dir.resolve(name));
    try (Stream<Path> s = Files.list(MODEL)) {
      for (Path f : s.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  /** The zip's entries again, stored without compression (so that a damaged byte is caught by the CRC alone). */
  private static Path storedCopy(Path zip, Path to) throws IOException {
    try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        byte[] data = in.getInputStream(e).readAllBytes();
        ZipEntry s = new ZipEntry(e.getName());
        s.setMethod(ZipEntry.STORED);
        s.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        s.setCrc(crc.getValue());
        out.putNextEntry(s);
        out.write(data);
        out.closeEntry();
      }
    }
    return to;
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (b[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("not found");
  }

  private static List<String> listing(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** What runs on a mounted tmpfs. */
  private interface OnMount {
    void run(Path mountPoint) throws IOException;
  }

  /** Runs {@code body} on a fresh tmpfs mounted at dir/name with {@code options}, unmounted afterwards. */
  private static void onTmpfs(String name, String options, OnMount body) throws IOException {
    Path at = tmpfs(name, options);
    try {
      body.run(at);
    } finally {
      umount(at);
    }
  }

  /** A fresh tmpfs with {@code options} mounted at dir/name; the test is skipped, saying why, where mounting is not permitted. */
  private static Path tmpfs(String name, String options) throws IOException {
    Path at = Files.createDirectories(dir.resolve(name));
    String result = exec("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString());
    Assumptions.assumeTrue(result.isEmpty(), "cannot mount a small tmpfs here (" + result.trim()
        + "): this write-failure case needs root with mount permission (CAP_SYS_ADMIN)");
    return at;
  }

  private static void umount(Path at) {
    String result = exec("umount", at.toString());
    assertEquals("", result, "umount " + at);
  }

  /** Runs a system command; returns "" on success, else its exit code and output. */
  private static String exec(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      int code = p.waitFor();
      return code == 0 ? "" : "exit " + code + ": " + out;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
