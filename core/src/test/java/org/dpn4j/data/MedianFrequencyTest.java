package org.dpn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MedianFrequencyTest {

  @TempDir Path dir;

  /**
   * Three 2 x 2 maps over classes {a=0, b=1, c=2}, ignore 9:
   * img0 = a a a b, img1 = a b 9 9, img2 = c c c c.
   * a: 4 px in img0, img1 (8 px)  -> 1/2;  b: 2 px in img0, img1 (8 px) -> 1/4;
   * c: 4 px in img2 (4 px) -> 1.  median = 1/2: w = (1, 2, 1/2).
   */
  static final int[][] MAPS = {{0, 0, 0, 1}, {0, 1, 9, 9}, {2, 2, 2, 2}};

  @Test
  void weightsOfAHandMadeSet() {
    MedianFrequency.Counts c = MedianFrequency.Counts.of(MAPS[0], 3);
    c = c.plus(MedianFrequency.Counts.of(MAPS[1], 3)).plus(MedianFrequency.Counts.of(MAPS[2], 3));
    assertArrayEquals(new long[] {4, 2, 4}, c.classPixels());
    assertArrayEquals(new long[] {8, 8, 4}, c.imagePixels());
    assertArrayEquals(new double[] {1, 2, 0.5}, c.weights(), 1e-12);
  }

  @Test
  void evenCountTakesTheMeanOfTheMiddleAndAbsentClassesGetZero() {
    // classes 0, 1 present (freq 3/4 and 1/4), class 2 absent: median = 1/2
    MedianFrequency.Counts c = MedianFrequency.Counts.of(new int[] {0, 0, 0, 1}, 3);
    assertArrayEquals(new double[] {2.0 / 3, 2, 0}, c.weights(), 1e-12);
    assertThrows(IllegalStateException.class, () -> MedianFrequency.Counts.of(new int[] {9}, 3).weights());
  }

  @Test
  void aSplitIsScannedFromItsLabelFiles() throws IOException {
    LabelSet set = new LabelSet(List.of("a", "b", "c"), new int[] {0, 0x00FF00, 0xFF0000}, 9);
    FolderDataset ds = new FolderDataset(dir, set);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < MAPS.length; i++) {
      Path lab = TestFiles.grey(dir.resolve("l" + i + ".png"), 2, 2, MAPS[i]);
      samples.add(new Sample(dir.resolve("no-photo-needed.png"), lab, "s" + i));
    }
    assertArrayEquals(new double[] {1, 2, 0.5}, MedianFrequency.weights(ds, samples), 1e-12);

    samples.add(new Sample(dir.resolve("x.png"), dir.resolve("missing.png"), "m"));
    IOException e = assertThrows(IOException.class, () -> MedianFrequency.weights(ds, samples));
    assertTrue(e.getMessage().contains("missing.png"), e.getMessage());
  }

  @Test
  void camVidTrainWeightsFavourTheRareClasses() throws IOException {
    Dataset ds = new CamVidDataset(DatasetReadersTest.DATA.resolve("camvid"));
    double[] w = MedianFrequency.weights(ds, ds.samples("train").subList(0, 40));
    assertEquals(11, w.length);
    assertTrue(w[3] < 0.3, "Road is frequent: " + w[3]);
    assertTrue(w[2] > 2, "Pole is rare: " + w[2]);
    // all 11 classes appear, an odd count: the median class has weight exactly 1
    assertEquals(1, Arrays.stream(w).filter(v -> v == 1.0).count());
  }
}
