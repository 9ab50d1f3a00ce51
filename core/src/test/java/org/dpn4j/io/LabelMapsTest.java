package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelMapsTest {

  @TempDir Path dir;

  @Test
  void vocPaletteHasTheKnownColours() {
    int[] pal = LabelMaps.vocPalette(21);
    assertEquals(0x000000, pal[0]);
    assertEquals(0x800000, pal[1]); // aeroplane
    assertEquals(0x008000, pal[2]); // bicycle
    assertEquals(0xc08080, pal[15]); // person
    assertEquals(0x004080, pal[20]); // tv/monitor (0, 64, 128)
  }

  @Test
  void argmaxTakesTheFirstOfTies() {
    Maps p = new Maps(3, 1, 3, new float[] {0.2f, 0.5f, 0.1f, 0.7f, 0.5f, 0.1f, 0.1f, 0f, 0.8f});
    assertArrayEquals(new int[] {1, 0, 2}, LabelMaps.argmax(p));
  }

  @Test
  void indexedPngRoundTripsLabelsAndPalette() throws Exception {
    int[] labels = {0, 1, 2, 20, 5, 7};
    Path f = dir.resolve("labels.png");
    LabelMaps.writePng(LabelMaps.indexed(labels, 2, 3, LabelMaps.vocPalette(21)), f);
    BufferedImage back = ImageIO.read(f.toFile());
    assertEquals(BufferedImage.TYPE_BYTE_INDEXED, back.getType());
    assertArrayEquals(labels, back.getRaster().getPixels(0, 0, 3, 2, (int[]) null));
    IndexColorModel cm = (IndexColorModel) back.getColorModel();
    assertEquals(0x800000, cm.getRGB(1) & 0xffffff);
  }
}
