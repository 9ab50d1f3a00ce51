package org.dpn4j.cli;

import org.dpn4j.testing.Integration;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.video.OpenCv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/** dpn segment-video on the three 256 x 256 traffic frames with a random vgg-lite CamVid model. */
@Integration
class SegmentVideoCommandTest {

  private static final Path TRAFFIC = SharedData.path("video/traffic");
  private static final List<String> NAMES = List.of("0001", "0002", "0003");

  /** A random vgg-lite CamVid model, read only. */
  private static final Path MODEL = CommandRun.sharedModel();

  @TempDir static Path dir;

  private static CommandRun segment(String... extra) {
    String[] args = new String[extra.length + 4];
    args[0] = "--model";
    args[1] = MODEL.toString();
    args[2] = "--threads";
    args[3] = "2";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return CommandRun.of(new SegmentVideoCommand(), args);
  }

  private static int[] labels(Path png) throws IOException {
    return Images.read(png).getRaster().getPixels(0, 0, 256, 256, (int[]) null);
  }

  @Test
  void writesLabelsOverlaysAndALoopingGifAndTheUntrained3dHeadEqualsThe2dHead() throws IOException {
    Path out = dir.resolve("temporal");
    CommandRun run = segment("--frames", TRAFFIC.toString(), "--out", out.toString(), "--gif-delay", "150");
    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.lines();
    for (int i = 0; i < 3; i++) {
      assertTrue(lines.get(i).matches(NAMES.get(i) + "  256x256  unary \\d+ ms, flows \\d+ ms, head \\d+ ms"), run.out());
      BufferedImage label = Images.read(out.resolve(NAMES.get(i) + ".png"));
      assertEquals(256, label.getWidth());
      assertEquals(BufferedImage.TYPE_BYTE_INDEXED, label.getType());
      assertEquals(256, Images.read(out.resolve(NAMES.get(i) + "_overlay.png")).getHeight());
    }
    assertTrue(lines.get(3).matches("3 frames, 3D head, flow dis-fast: median \\d+ ms per frame"), run.out());
    assertTrue(lines.get(4).matches("temporal consistency: \\d+\\.\\d\\d% of \\d+ linked pixels change label .*"), run.out());
    assertGif(out.resolve("sequence.gif"), 3, 15);

    Path flat = dir.resolve("flat");
    CommandRun run2d = segment("--frames", TRAFFIC.toString(), "--out", flat.toString(), "--no-temporal");
    assertEquals(0, run2d.exitCode(), run2d.toString());
    assertTrue(run2d.lines().get(3).contains("2D head"), run2d.out());
    // No trained temporal weights: the neighbours' terms get zero b13 kernels (see --help).
    for (String name : NAMES) {
      assertArrayEquals(labels(out.resolve(name + ".png")), labels(flat.resolve(name + ".png")), name);
    }
    assertEquals(lines.get(4), run2d.lines().get(4));
  }

  private static void assertGif(Path gif, int frames, int delayCentis) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      assertEquals(frames, reader.getNumImages(true));
      for (int i = 0; i < frames; i++) {
        IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        IIOMetadataNode control = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
        assertEquals(Integer.toString(delayCentis), control.getAttribute("delayTime"));
        if (i == 0) {
          IIOMetadataNode app = (IIOMetadataNode) root.getElementsByTagName("ApplicationExtension").item(0);
          assertEquals("NETSCAPE", app.getAttribute("applicationID"));
          assertArrayEquals(new byte[] {1, 0, 0}, (byte[]) app.getUserObject());
        }
      }
      reader.dispose();
    }
  }

  @Test
  void aMotionJpegAviIsDecodedAndOtherVideosAreRefused() throws IOException {
    Path avi = dir.resolve("traffic.avi");
    OpenCv.load();
    VideoWriter writer = new VideoWriter(avi.toString(), Videoio.CAP_OPENCV_MJPEG, VideoWriter.fourcc('M', 'J', 'P', 'G'), 10, new Size(256, 256));
    assertTrue(writer.isOpened());
    for (String name : NAMES) {
      writer.write(bgr(Images.readRgb(TRAFFIC.resolve(name + ".bmp"))));
    }
    writer.release();
    Path out = dir.resolve("avi");
    CommandRun run = segment("--video", avi.toString(), "--out", out.toString(), "--flow", "farneback");
    assertEquals(0, run.exitCode(), run.toString());
    for (int i = 1; i <= 3; i++) {
      assertTrue(Files.isRegularFile(out.resolve("traffic_00000" + i + ".png")), run.out());
    }
    assertFalse(Files.exists(out.resolve("traffic_000004.png")));
    assertTrue(run.out().contains("flow farneback"), run.out());

    Path mp4 = dir.resolve("clip.mp4");
    Files.write(mp4, new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'});
    CommandRun bad = segment("--video", mp4.toString(), "--out", dir.resolve("mp4").toString());
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains(mp4 + ": ") && bad.err().contains("Motion-JPEG AVI only"), bad.err());
  }

  private static Mat bgr(Maps rgb) {
    int n = rgb.plane();
    byte[] b = new byte[3 * n];
    for (int j = 0; j < n; j++) {
      for (int c = 0; c < 3; c++) {
        b[3 * j + 2 - c] = (byte) Math.round(rgb.data[c * n + j] * 255f);
      }
    }
    Mat m = new Mat(rgb.h, rgb.w, CvType.CV_8UC3);
    m.put(0, 0, b);
    return m;
  }

  @Test
  void framesOfAnotherSizeAndUnreadableFramesAreRefusedByName() throws IOException {
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    Files.copy(TRAFFIC.resolve("0001.bmp"), mixed.resolve("0001.bmp"));
    ImageIO.write(new BufferedImage(128, 96, BufferedImage.TYPE_INT_RGB), "png", mixed.resolve("0002.png").toFile());
    CommandRun run = segment("--frames", mixed.toString(), "--out", dir.resolve("mixed-out").toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("0002: frame of 128x96, but the sequence's frames are 256x256 (as 0001)"), run.err());

    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.copy(TRAFFIC.resolve("0001.bmp"), broken.resolve("0001.bmp"));
    Files.writeString(broken.resolve("0002.jpg"), "not a picture");
    CommandRun run2 = segment("--frames", broken.toString(), "--out", dir.resolve("broken-out").toString());
    assertEquals(2, run2.exitCode(), run2.toString());
    assertTrue(run2.err().contains(broken.resolve("0002.jpg") + ": "), run2.err());
    assertFalse(Files.exists(dir.resolve("broken-out/sequence.gif")));
  }

  @Test
  void camVidFramesAreSegmentedPerSequence() throws IOException {
    Path camvid = Files.createDirectories(dir.resolve("camvid"));
    Path train = SharedData.path("camvid/train");
    for (String name : List.of("0001TP_006720", "0001TP_006690", "0006R0_f01800")) {
      Files.copy(train.resolve(name + ".jpg"), camvid.resolve(name + ".jpg"));
    }
    Path out = dir.resolve("camvid-out");
    CommandRun run = segment("--camvid", camvid.toString(), "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    // Sequence by sequence, in frame order.
    assertTrue(run.lines().get(0).startsWith("0001TP_006690  480x360"), run.out());
    assertTrue(run.lines().get(1).startsWith("0001TP_006720  480x360"), run.out());
    assertTrue(run.lines().get(2).startsWith("0006R0_f01800  480x360"), run.out());
    assertTrue(Files.isRegularFile(out.resolve("0006R0_f01800_overlay.png")));
    assertGif(out.resolve("sequence.gif"), 3, 20);
  }

  @Test
  void withoutModelTheShippedCamVidModelSegments() {
    Path out = dir.resolve("x");
    CommandRun run = CommandRun.of(new SegmentVideoCommand(), "--frames", TRAFFIC.toString(), "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.err().contains("model: ") && run.err().contains("camvid"), run.err());
    assertTrue(Files.isRegularFile(out.resolve("0003_overlay.png")));
  }
}
