package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

  @TempDir Path dir;

  @Test
  void bilinearResizeMatchesPytorchHalfPixelCentres() {
    Maps in = new Maps(1, 2, 2, new float[] {0, 1, 2, 3});
    // torch.nn.functional.interpolate(x, size=(4, 4), mode="bilinear", align_corners=False)
    float[] expected = {
      0f, 0.25f, 0.75f, 1f,
      0.5f, 0.75f, 1.25f, 1.5f,
      1.5f, 1.75f, 2.25f, 2.5f,
      2f, 2.25f, 2.75f, 3f
    };
    assertArrayEquals(expected, Images.resizeBilinear(in, 4, 4).data, 1e-6f);
    // Downsampling by 2 averages the two middle source pixels of each output cell.
    Maps big = new Maps(1, 1, 4, new float[] {0, 2, 4, 6});
    assertArrayEquals(new float[] {1, 5}, Images.resizeBilinear(big, 1, 2).data, 1e-6f);
  }

  @Test
  void greyAndAlphaImagesBecomeRgb() {
    BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(1, 0, 0, 255);
    Maps g = Images.toRgb(grey);
    assertEquals(3, g.c);
    assertEquals(1f, g.get(0, 0, 1), 1e-6f);
    assertEquals(1f, g.get(2, 0, 1), 1e-6f);
    assertEquals(0f, g.get(1, 1, 2), 1e-6f);

    BufferedImage rgba = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0x80ff8000);
    Maps c = Images.toRgb(rgba);
    assertArrayEquals(new float[] {1f, 128 / 255f, 0f}, c.data, 1e-6f);
  }

  @Test
  void unreadableFilesAreNamed() throws IOException {
    Path bad = dir.resolve("broken.png");
    Files.writeString(bad, "not a png");
    IOException e = assertThrows(IOException.class, () -> Images.readRgb(bad));
    assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    Path missing = dir.resolve("missing.jpg");
    e = assertThrows(IOException.class, () -> Images.readRgb(missing));
    assertTrue(e.getMessage().contains("no such image file"), e.getMessage());
  }
}
