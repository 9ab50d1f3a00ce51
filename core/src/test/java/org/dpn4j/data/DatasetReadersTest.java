package org.dpn4j.data;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers on the shared samples (../shared/data) and on small broken files. */
class DatasetReadersTest {

  static final Path DATA = SharedData.root();

  @TempDir Path dir;

  @Test
  void camVidListsWithSegNetsAbsolutePathsResolveUnderTheRoot() throws IOException {
    Path root = DATA.resolve("camvid");
    Dataset ds = new CamVidDataset(root);
    List<Sample> train = ds.samples("train");
    List<Sample> val = ds.samples("val");
    assertEquals(367, train.size());
    assertEquals(101, val.size());
    Sample first = train.get(0);
    assertEquals(root.resolve("train/0001TP_006690.jpg"), first.image());
    assertEquals(root.resolve("trainannot/0001TP_006690.png"), first.label());
    assertEquals("0001TP_006690", first.name());
    for (Sample s : List.of(first, train.get(366), val.get(0), val.get(100))) {
      assertTrue(Files.isRegularFile(s.image()), s.image().toString());
      assertTrue(Files.isRegularFile(s.label()), s.label().toString());
    }

    LabelledImage li = ds.read(val.get(0));
    assertEquals("0016E5_07959", li.name());
    assertEquals(360, li.h());
    assertEquals(480, li.w());
    int[] hist = histogram(li.labels(), 256);
    assertEquals(15008, hist[0]); // Sky
    assertEquals(679, hist[11]); // void
    for (int v = 12; v < 256; v++) {
      assertEquals(0, hist[v], "value " + v);
    }
    assertEquals(1, li.labels()[0]); // Building at the top left
    assertEquals(38f / 255f, li.image().get(0, 0, 0), 3f / 255f); // JPEG: within a few levels
  }

  @Test
  void vocLabelsAreThePaletteIndices() throws IOException {
    Dataset ds = new VocDataset(DATA.resolve("voc"));
    List<Sample> val = ds.samples("val");
    assertEquals(List.of("2007_000129", "2011_000003", "2011_000006", "2011_000025"),
        val.stream().map(Sample::name).toList());
    LabelledImage li = ds.read(val.get(0));
    assertEquals(500, li.h());
    assertEquals(334, li.w());
    int[] hist = histogram(li.labels(), 256);
    assertEquals(54389, hist[0]); // background
    assertEquals(34183, hist[2]); // bicycle
    assertEquals(61143, hist[15]); // person
    assertEquals(17285, hist[255]); // void (object outlines)
    assertEquals(li.labels().length, hist[0] + hist[2] + hist[15] + hist[255]);

    // Independent check: the PNG's own colour at each pixel is the VOC colour of the label read.
    Maps colours = Images.readRgb(val.get(0).label());
    int[] palette = LabelMaps.vocPalette(256);
    for (int i = 0; i < li.labels().length; i += 97) {
      assertEquals(palette[li.labels()[i]], rgb(colours, i), "pixel " + i);
    }
  }

  @Test
  void vocAugmentedSplitReadsSbdLabelsFromNamesOrDeepLabPairs() throws IOException {
    Path root = dir.resolve("VOC2012");
    Path sets = Files.createDirectories(root.resolve("ImageSets/Segmentation"));
    Files.writeString(sets.resolve("train_aug.txt"), "a\n");
    Files.writeString(sets.resolve("trainval_aug.txt"), "/JPEGImages/b.jpg /SegmentationClassAug/b.png\n");
    Dataset ds = new VocDataset(root);
    assertEquals(new Sample(root.resolve("JPEGImages/a.jpg"), root.resolve("SegmentationClassAug/a.png"), "a"),
        ds.samples("train_aug").get(0));
    assertEquals(new Sample(root.resolve("JPEGImages/b.jpg"), root.resolve("SegmentationClassAug/b.png"), "b"),
        ds.samples("trainval_aug").get(0));
    IOException e = assertThrows(IOException.class, () -> ds.samples("train"));
    assertTrue(e.getMessage().contains("train.txt: no such split list"), e.getMessage());
  }

  @Test
  void cityscapesLabelIdsMapExactlyToTheShippedTrainIds() throws IOException {
    Dataset ds = new CityscapesDataset(DATA.resolve("cityscapes"));
    List<Sample> val = ds.samples("val");
    assertEquals(1, val.size());
    Sample s = val.get(0);
    assertEquals("frankfurt_000000_000294", s.name());
    LabelledImage li = ds.read(s);
    assertEquals(128, li.h());
    assertEquals(256, li.w());

    // The shipped sample's labelIds and labelTrainIds were downscaled (2048 -> 256) separately, so
    // 77 of 32768 pixels on object boundaries differ: each must have our label within one pixel.
    Path trainIds = s.label().resolveSibling(s.name() + "_gtFine_labelTrainIds.png");
    int[] shipped = LabelMapping.identity(LabelSet.CITYSCAPES).read(trainIds).labels();
    int differ = 0;
    for (int i = 0; i < shipped.length; i++) {
      if (shipped[i] != li.labels()[i]) {
        differ++;
        assertTrue(nearby(shipped, 128, 256, i, li.labels()[i]), "pixel " + i);
      }
    }
    assertEquals(77, differ);
    int[] hist = histogram(li.labels(), 256);
    assertEquals(9740, hist[0]); // road
    assertEquals(3874, hist[255]);
  }

  @Test
  void cityscapesMappingAcceptsEveryLabelIdAndRejectsOthers() {
    LabelMapping m = new CityscapesDataset(dir).mapping();
    // cityscapesScripts' labels.py, trainId by labelId 0..33 (unlabeled ... bicycle)
    int[] trainId = {
      255, 255, 255, 255, 255, 255, 255, 0, 1, 255, 255, 2, 3, 4, 255, 255, 255, 5, 255, 6, 7, 8, 9,
      10, 11, 12, 13, 14, 15, 255, 255, 16, 17, 18
    };
    for (int id = 0; id < trainId.length; id++) {
      assertEquals(trainId[id], m.label(id), "labelId " + id);
    }
    assertEquals(-1, m.label(34));
    assertEquals(-1, m.label(255));
  }

  @Test
  void folderLayoutWithItsLabelsJson() throws IOException {
    Path root = dir.resolve("mine");
    new LabelSet(List.of("ground", "plant"), new int[] {0x000000, 0x00FF00}, 255).write(Files.createDirectories(root).resolve("labels.json"));
    Files.writeString(root.resolve("train.txt"), "p1\n\nsub/p2\n");
    TestFiles.rgb(root.resolve("images/p1.png"), 2, 3, 0xFF0000);
    TestFiles.rgb(root.resolve("images/sub/p2.bmp"), 2, 3, 0x0000FF);
    TestFiles.palette(root.resolve("labels/p1.png"), 2, 3, 0, 1, 1, 255, 0, 0);
    TestFiles.grey(root.resolve("labels/sub/p2.png"), 2, 3, 1, 1, 1, 0, 0, 255);

    Dataset ds = Datasets.detect(root);
    assertInstanceOf(FolderDataset.class, ds);
    assertEquals(List.of("ground", "plant"), ds.labels().names());
    List<Sample> train = ds.samples("train");
    assertEquals(2, train.size());
    assertEquals(root.resolve("images/sub/p2.bmp"), train.get(1).image());
    LabelledImage a = ds.read(train.get(0));
    assertArrayEquals(new int[] {0, 1, 1, 255, 0, 0}, a.labels());
    assertEquals(1f, a.image().get(0, 1, 2));
    assertArrayEquals(new int[] {1, 1, 1, 0, 0, 255}, ds.read(train.get(1)).labels());

    Files.writeString(root.resolve("val.txt"), "p3\n");
    IOException e = assertThrows(IOException.class, () -> ds.samples("val"));
    assertTrue(e.getMessage().contains("p3.{jpg,jpeg,png,bmp}: no such image file"), e.getMessage());
  }

  @Test
  void layoutsAreDetectedByTheirMarkers() throws IOException {
    assertInstanceOf(VocDataset.class, Datasets.detect(DATA.resolve("voc")));
    assertInstanceOf(CityscapesDataset.class, Datasets.detect(DATA.resolve("cityscapes")));
    assertInstanceOf(CamVidDataset.class, Datasets.detect(DATA.resolve("camvid")));
    assertInstanceOf(CamVidDataset.class, Datasets.open("camvid", DATA.resolve("camvid")));
    IOException e = assertThrows(IOException.class, () -> Datasets.detect(dir));
    assertTrue(e.getMessage().contains("not a known dataset layout"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Datasets.open("kitti", dir));
  }

  // ---- errors, each naming the file(s) ----

  @Test
  void aStrayLabelValueNamesTheFileTheValueAndThePixel() throws IOException {
    Dataset ds = new FolderDataset(dir, LabelSet.CAMVID);
    Path label = TestFiles.grey(dir.resolve("l.png"), 2, 2, 0, 11, 12, 3);
    Sample s = new Sample(TestFiles.rgb(dir.resolve("i.png"), 2, 2, 0), label, "x");
    IOException e = assertThrows(IOException.class, () -> ds.read(s));
    assertEquals(label + ": label value 12 at (x=0, y=1) is not a class 0..10 or the ignore value 11", e.getMessage());

    Path voc = TestFiles.palette(dir.resolve("v.png"), 1, 3, 0, 21, 255);
    IOException p = assertThrows(IOException.class, () -> LabelMapping.identity(LabelSet.VOC).read(voc));
    assertTrue(p.getMessage().startsWith(voc + ": label value 21 at (x=1, y=0)"), p.getMessage());
  }

  @Test
  void imageAndLabelOfDifferentSizesNameBothFiles() throws IOException {
    Dataset ds = new FolderDataset(dir, LabelSet.CAMVID);
    Path image = TestFiles.rgb(dir.resolve("i.png"), 2, 3, 0);
    Path label = TestFiles.grey(dir.resolve("l.png"), 3, 2, 0, 0, 0, 0, 0, 0);
    IOException e = assertThrows(IOException.class, () -> ds.read(new Sample(image, label, "x")));
    assertTrue(e.getMessage().contains(image.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(label.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("3x2 (w x h)") && e.getMessage().contains("is 2x3"), e.getMessage());
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Dataset ds = new FolderDataset(dir, LabelSet.CAMVID);
    Path image = TestFiles.rgb(dir.resolve("i.png"), 2, 2, 0);
    Path none = dir.resolve("nope.png");
    IOException a = assertThrows(IOException.class, () -> ds.read(new Sample(image, none, "x")));
    assertTrue(a.getMessage().startsWith(none.toString()), a.getMessage());
    IOException b = assertThrows(IOException.class, () -> ds.read(new Sample(none, image, "x")));
    assertTrue(b.getMessage().startsWith(none.toString()), b.getMessage());
  }

  @Test
  void corruptAndColourLabelPngsAreNamed() throws IOException {
    Dataset ds = new FolderDataset(dir, LabelSet.CAMVID);
    Path image = TestFiles.rgb(dir.resolve("i.png"), 2, 2, 0);
    Path good = TestFiles.grey(dir.resolve("g.png"), 8, 8, new int[64]);
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length / 2));
    Path garbage = Files.writeString(dir.resolve("garbage.png"), "not a png at all");
    for (Path bad : List.of(truncated, garbage)) {
      IOException e = assertThrows(IOException.class, () -> ds.read(new Sample(image, bad, "x")));
      assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    }
    IOException c = assertThrows(IOException.class, () -> ds.read(new Sample(image, image, "x")));
    assertTrue(c.getMessage().startsWith(image + ": a label PNG must be single-channel"), c.getMessage());
  }

  /** Whether {@code value} occurs in the 3 x 3 neighbourhood of pixel {@code i}. */
  private static boolean nearby(int[] map, int h, int w, int i, int value) {
    for (int y = Math.max(0, i / w - 1); y <= Math.min(h - 1, i / w + 1); y++) {
      for (int x = Math.max(0, i % w - 1); x <= Math.min(w - 1, i % w + 1); x++) {
        if (map[y * w + x] == value) {
          return true;
        }
      }
    }
    return false;
  }

  static int[] histogram(int[] labels, int n) {
    int[] h = new int[n];
    for (int v : labels) {
      h[v]++;
    }
    return h;
  }

  private static int rgb(Maps m, int i) {
    int p = m.plane();
    int r = Math.round(m.data[i] * 255);
    int g = Math.round(m.data[p + i] * 255);
    int b = Math.round(m.data[2 * p + i] * 255);
    return (r << 16) | (g << 8) | b;
  }
}
