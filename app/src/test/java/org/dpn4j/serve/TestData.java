package org.dpn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.dpn4j.cli.Main;
import org.dpn4j.io.Images;
import org.dpn4j.testing.SharedData;

/** The serve tests' inputs: the shipped CamVid model, CamVid val frames, servers on a free port. */
final class TestData {

  static final Path MODEL = Path.of("models/camvid");
  static final Path VAL = SharedData.ROOT.resolve("camvid/val");
  static final Path FRAME = VAL.resolve("0016E5_07959.jpg");

  private TestData() {}

  /** Fails (never skips) with the reason when the shared data are missing. */
  static void requireData() {
    SharedData.path("camvid/val/" + FRAME.getFileName());
    assertTrue(Files.isDirectory(MODEL), "these tests need the shipped model " + MODEL.toAbsolutePath());
  }

  /** The top-left {@code w x h} of {@code frame}, as a PNG file in {@code dir}: small, so the tests stay fast. */
  static Path crop(Path frame, int w, int h, Path dir) throws IOException {
    BufferedImage img = Images.read(frame).getSubimage(0, 0, w, h);
    BufferedImage copy = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    copy.getGraphics().drawImage(img, 0, 0, null);
    Path out = dir.resolve(frame.getFileName().toString().replaceAll("\\.[^.]+$", "") + "_" + w + "x" + h + ".png");
    ImageIO.write(copy, "png", out.toFile());
    return out;
  }

  /** A server for tests: the shipped model, 127.0.0.1 on a free port, 2 threads per worker. */
  static DpnServer server(int workers, int queue, long maxRequestBytes) throws IOException {
    return DpnServer.start(new ServeSettings(List.of(MODEL), "127.0.0.1", 0, workers, queue, 2, maxRequestBytes),
        System.err);
  }

  /** Runs {@code dpn ARGS} in this JVM, as the command line would; fails on a non-zero exit. */
  static void dpn(String... args) {
    assertEquals(0, Main.commandLine().execute(args), "dpn " + String.join(" ", args));
  }
}
