package org.dpn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleLoaderTest {

  static final Duration NO_HANG = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static List<SampleLoader.Item> drain(SampleLoader loader) {
    List<SampleLoader.Item> out = new ArrayList<>();
    while (loader.hasNext()) {
      out.add(loader.next());
    }
    return out;
  }

  @Test
  void evaluationPassGivesTheSerialReadInListOrder() throws IOException {
    Dataset ds = new CamVidDataset(DatasetReadersTest.DATA.resolve("camvid"));
    List<Sample> val = ds.samples("val").subList(0, 6);
    List<SampleLoader.Item> items =
        assertTimeoutPreemptively(NO_HANG, () -> {
          try (SampleLoader l = new SampleLoader(ds, val, Normalisation.IMAGENET, new SampleLoader.Options(0, false, 1, 3, 2))) {
            return drain(l);
          }
        });
    assertEquals(6, items.size());
    for (int i = 0; i < 6; i++) {
      LabelledImage serial = Normalisation.IMAGENET.apply(ds.read(val.get(i)), 0);
      SampleLoader.Item it = items.get(i);
      assertEquals(i, it.index());
      assertEquals(0, it.epoch());
      assertEquals(serial.name(), it.sample().name());
      assertEquals(serial.image(), it.sample().image());
      assertArrayEquals(serial.labels(), it.sample().labels());
    }
  }

  @Test
  void shuffledAugmentedEpochsDoNotDependOnTheNumberOfWorkers() throws IOException {
    Dataset ds = new CamVidDataset(DatasetReadersTest.DATA.resolve("camvid"));
    List<Sample> train = ds.samples("train").subList(0, 5);
    Augmentation aug = Augmentation.training(64, 96, Normalisation.IMAGENET, 11);
    List<SampleLoader.Item> one = assertTimeoutPreemptively(NO_HANG, () -> {
      try (SampleLoader l = new SampleLoader(ds, train, aug, new SampleLoader.Options(7, true, 2, 1, 1))) {
        return drain(l);
      }
    });
    List<SampleLoader.Item> three = assertTimeoutPreemptively(NO_HANG, () -> {
      try (SampleLoader l = new SampleLoader(ds, train, aug, SampleLoader.Options.training(7, 2, 3))) {
        return drain(l);
      }
    });
    assertEquals(10, one.size());
    assertEquals(10, three.size());
    for (int p = 0; p < 10; p++) {
      SampleLoader.Item a = one.get(p);
      SampleLoader.Item b = three.get(p);
      assertEquals(p / 5, a.epoch());
      assertEquals(a.epoch(), b.epoch());
      assertEquals(a.index(), b.index());
      assertEquals(a.sample().image(), b.sample().image());
      assertArrayEquals(a.sample().labels(), b.sample().labels());
      // and the content is the transform of the serial read with the sample's seed
      LabelledImage direct = aug.apply(ds.read(train.get(a.index())), SampleLoader.sampleSeed(7, a.epoch(), a.index()));
      assertEquals(direct.image(), a.sample().image());
    }
    int[] e0 = one.subList(0, 5).stream().mapToInt(SampleLoader.Item::index).toArray();
    int[] e1 = one.subList(5, 10).stream().mapToInt(SampleLoader.Item::index).toArray();
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted(e0));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted(e1));
    assertFalse(Arrays.equals(e0, e1), "each epoch has its own order");
  }

  @Test
  void aWorkersErrorSurfacesNamingTheFileAndStopsTheLoader() throws IOException {
    Dataset ds = new FolderDataset(dir, LabelSet.CAMVID);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Path img = TestFiles.rgb(dir.resolve("i" + i + ".png"), 4, 4, 0x123456);
      int bad = i == 2 ? 40 : 3;
      Path lab = TestFiles.grey(dir.resolve("l" + i + ".png"), 4, 4, 0, 1, 2, bad, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      samples.add(new Sample(img, lab, "s" + i));
    }
    assertTimeoutPreemptively(NO_HANG, () -> {
      try (SampleLoader l = new SampleLoader(ds, samples, Normalisation.NONE, new SampleLoader.Options(0, false, 3, 2, 4))) {
        assertEquals("s0", l.next().sample().name());
        assertEquals("s1", l.next().sample().name());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, l::next);
        assertTrue(e.getMessage().startsWith(dir.resolve("l2.png") + ": label value 40"), e.getMessage());
        assertFalse(l.hasNext());
        assertThrows(IllegalStateException.class, l::next);
      }
    });
    assertNoLoaderThreads();
  }

  @Test
  void aTransformsRuntimeErrorNamesThePhoto() throws IOException {
    Dataset ds = new FolderDataset(dir, LabelSet.CAMVID);
    Path img = TestFiles.rgb(dir.resolve("a.png"), 2, 2, 0);
    Path lab = TestFiles.grey(dir.resolve("a_l.png"), 2, 2, 0, 0, 0, 0);
    PairTransform broken = (in, seed) -> {
      throw new IllegalArgumentException("crop larger than the moon");
    };
    assertTimeoutPreemptively(NO_HANG, () -> {
      try (SampleLoader l = new SampleLoader(ds, List.of(new Sample(img, lab, "a")), broken, SampleLoader.Options.evaluation(2))) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, l::next);
        assertEquals(img + ": crop larger than the moon", e.getMessage());
      }
    });
  }

  @Test
  void closingEarlyDoesNotHangAndStopsTheThreads() throws IOException {
    Dataset ds = new CamVidDataset(DatasetReadersTest.DATA.resolve("camvid"));
    List<Sample> val = ds.samples("val");
    assertTimeoutPreemptively(NO_HANG, () -> {
      try (SampleLoader l = new SampleLoader(ds, val, Normalisation.NONE, new SampleLoader.Options(1, true, 1000, 2, 8))) {
        assertTrue(l.hasNext());
        assertNotEquals(null, l.next().sample());
      }
    });
    assertNoLoaderThreads();
  }

  private static int[] sorted(int[] a) {
    int[] s = a.clone();
    Arrays.sort(s);
    return s;
  }

  private static void assertNoLoaderThreads() {
    long alive = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("dpn-loader-") && t.isAlive())
        .count();
    assertEquals(0, alive, "loader threads still running after close");
  }

  @Test
  void badOptionsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SampleLoader.Options(0, false, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SampleLoader.Options(0, false, 0, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new SampleLoader(new CamVidDataset(dir), List.of(), Normalisation.NONE, SampleLoader.Options.evaluation(1)));
    assertTrue(Files.isDirectory(dir));
  }
}
