package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: outputs that are inputs (by any name), inside protected folders, or written twice, are refused. */
class OutputGuardTest {

  @TempDir Path dir;

  @Test
  void anOutputThatIsAnInputByPathLinkOrHardLinkIsRefused() throws IOException {
    Path photo = Files.writeString(dir.resolve("photo.png"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link.png"), photo);
    Path hard = Files.createLink(dir.resolve("hard.png"), photo);
    for (Path out : List.of(photo, dir.resolve("sub/../photo.png"), link, hard)) {
      OutputGuard g = new OutputGuard().input(photo);
      g.output(out);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::check, out.toString());
      assertEquals(out + " is the input " + photo + ": refusing to overwrite it (choose another output)", e.getMessage());
    }
  }

  @Test
  void outputsInsideAProtectedFolderAreRefusedAndBesideItAllowed() throws IOException {
    Path labels = Files.createDirectories(dir.resolve("valannot"));
    OutputGuard g = new OutputGuard().folder(labels, "the dataset's label folder " + labels);
    g.output(labels.resolve("x.png"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::check);
    assertTrue(e.getMessage().contains("is inside the dataset's label folder " + labels), e.getMessage());
    OutputGuard beside = new OutputGuard().folder(labels, "labels");
    beside.output(dir.resolve("valannot-pred/x.png"));
    assertDoesNotThrow(beside::check);
  }

  @Test
  void twoInputsWritingOneNameAreListedTogether() throws IOException {
    OutputGuard g = new OutputGuard();
    for (String input : List.of("a/x.png", "b/x.png", "x.jpg")) {
      g.output(dir.resolve("o/x.png"), input);
    }
    g.output(dir.resolve("o/y.png"), "y.png");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::check);
    assertEquals(dir.resolve("o/x.png") + " would be written 3 times in one run, each replacing the last, for:"
        + " a/x.png, b/x.png, x.jpg (rename the inputs or use separate output folders)", e.getMessage());
  }

  @Test
  void anEarlierResultIsReplacedButADeviceOrFolderIsNot() throws IOException {
    Path earlier = Files.writeString(dir.resolve("x.png"), "old result");
    OutputGuard g = new OutputGuard().input(dir.resolve("x.jpg"));
    g.output(earlier);
    assertDoesNotThrow(g::check);
    OutputGuard device = new OutputGuard();
    device.output(Path.of("/dev/null"));
    device.output(dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, device::check);
    assertTrue(e.getMessage().startsWith("2 outputs refused:"), e.getMessage());
    assertTrue(e.getMessage().contains("/dev/null exists and is not a regular file"), e.getMessage());
    assertFalse(Files.notExists(Path.of("/dev/null")));
  }
}
