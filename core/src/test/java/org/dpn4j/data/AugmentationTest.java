package org.dpn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  static final int IGNORE = 11;

  /** A random pair: RGB in [0, 1], labels in 0..10 and some 11. */
  static LabelledImage random(int h, int w, long seed) {
    Random r = new Random(seed);
    Maps img = new Maps(3, h, w);
    for (int i = 0; i < img.data.length; i++) {
      img.data[i] = r.nextFloat();
    }
    int[] labels = new int[h * w];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(12);
    }
    return new LabelledImage("r", img, labels);
  }

  @Test
  void theSameSeedGivesTheSameSampleAndAnotherSeedAnother() {
    LabelledImage in = random(37, 53, 1);
    Augmentation aug = Augmentation.training(32, 40, Normalisation.IMAGENET, IGNORE);
    LabelledImage a = aug.apply(in, 42);
    LabelledImage b = aug.apply(in, 42);
    assertEquals(a.image(), b.image());
    assertArrayEquals(a.labels(), b.labels());
    LabelledImage c = aug.apply(in, 43);
    assertNotEquals(a.image(), c.image());
  }

  @Test
  void outputHasTheCropSizeAndOnlyInputLabelsOrIgnore() {
    LabelledImage in = random(30, 20, 2);
    int[] hist = DatasetReadersTest.histogram(in.labels(), 12);
    Augmentation aug = Augmentation.training(24, 24, Normalisation.NONE, 255);
    Set<Integer> seen = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      LabelledImage out = aug.apply(in, seed);
      assertEquals(24, out.h());
      assertEquals(24, out.w());
      for (int v : out.labels()) {
        assertTrue(v == 255 || hist[v] > 0, "label " + v);
        seen.add(v);
      }
    }
    assertTrue(seen.contains(255), "some crops need padding (scale < 0.8 makes 20 px < 24)");
  }

  @Test
  void flipTwiceIsTheIdentityAndFlipMirrorsRows() {
    LabelledImage in = random(5, 7, 3);
    LabelledImage once = Augmentation.flip(in);
    assertEquals(in.image().get(2, 3, 0), once.image().get(2, 3, 6));
    assertEquals(in.labels()[4 * 7 + 1], once.labels()[4 * 7 + 5]);
    LabelledImage twice = Augmentation.flip(once);
    assertEquals(in.image(), twice.image());
    assertArrayEquals(in.labels(), twice.labels());
  }

  @Test
  void cropPadsLabelsWithIgnoreAndThePhotoWithThePadValue() {
    LabelledImage in = random(4, 5, 4);
    float[] pad = {0.1f, 0.2f, 0.3f};
    LabelledImage out = Augmentation.crop(in, 2, 3, 4, 4, pad, IGNORE); // rows 2..5, cols 3..6
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        boolean inside = y + 2 < 4 && x + 3 < 5;
        int label = out.labels()[y * 4 + x];
        assertEquals(inside ? in.labels()[(y + 2) * 5 + x + 3] : IGNORE, label, y + "," + x);
        for (int k = 0; k < 3; k++) {
          assertEquals(inside ? in.image().get(k, y + 2, x + 3) : pad[k], out.image().get(k, y, x));
        }
      }
    }
  }

  @Test
  void paddingBecomesZeroAfterNormalisation() {
    LabelledImage in = random(8, 8, 5);
    // scale fixed at 1, crop larger than the photo: 8x8 photo at the top left, the rest padded
    Augmentation aug = new Augmentation(1, 1, 12, 10, false, Normalisation.IMAGENET, IGNORE);
    LabelledImage out = aug.apply(in, 7);
    for (int k = 0; k < 3; k++) {
      assertEquals(0f, out.image().get(k, 11, 9), 1e-6f);
      assertEquals(0f, out.image().get(k, 3, 8), 1e-6f);
      float expect = (in.image().get(k, 3, 4) - Normalisation.IMAGENET.mean()[k]) / Normalisation.IMAGENET.std()[k];
      assertEquals(expect, out.image().get(k, 3, 4), 1e-6f);
    }
    assertEquals(IGNORE, out.labels()[11 * 10 + 9]);
    assertEquals(in.labels()[3 * 8 + 4], out.labels()[3 * 10 + 4]);
  }

  /**
   * apply computes only the crop's window of the scaled pair; it must give exactly what scaling the
   * whole pair, cropping (with padding) and flipping gave, with the same four draws.
   */
  @Test
  void applyIsExactlyScaleThenCropThenFlipOfTheSameDraws() {
    LabelledImage in = random(36, 48, 8);
    Augmentation aug = new Augmentation(0.5, 2.0, 30, 40, true, Normalisation.IMAGENET, IGNORE);
    for (long seed = 0; seed < 60; seed++) {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
      LabelledImage scaled = Augmentation.scale(in, 0.5 + 1.5 * rnd.nextDouble());
      int y0 = rnd.nextInt(Math.max(0, scaled.h() - 30) + 1);
      int x0 = rnd.nextInt(Math.max(0, scaled.w() - 40) + 1);
      LabelledImage expected = Augmentation.crop(scaled, y0, x0, 30, 40, Normalisation.IMAGENET.mean(), IGNORE);
      if (rnd.nextBoolean()) {
        expected = Augmentation.flip(expected);
      }
      expected = Normalisation.IMAGENET.apply(expected, seed);
      LabelledImage out = aug.apply(in, seed);
      assertEquals(expected.image(), out.image(), "seed " + seed);
      assertArrayEquals(expected.labels(), out.labels(), "seed " + seed);
    }
  }

  /**
   * Digests of the crops main's code gave (before photometric augmentation and the crop-window
   * resize existed) for a fixed pair: old configurations must train on exactly the same crops.
   */
  @Test
  void theCropsAreThoseOfTheCodeBeforeIssue12() {
    java.util.Random r = new java.util.Random(11);
    Maps img = new Maps(3, 36, 48);
    for (int i = 0; i < img.data.length; i++) {
      img.data[i] = r.nextFloat();
    }
    int[] labels = new int[36 * 48];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(12);
    }
    LabelledImage in = new LabelledImage("g", img, labels);
    Augmentation aug = Augmentation.training(30, 40, Normalisation.IMAGENET, 11);
    long[] imageBits = {4658233620218400512L, 4658695492731517504L, 4658537626129280448L, 4655704937317490392L,
        4657475595765779104L, 4658178477516423232L};
    long[] labelSums = {46167, 46188, 47277, 64753, 47655, 46516};
    for (int seed = 0; seed < 6; seed++) {
      LabelledImage out = aug.apply(in, seed);
      double sum = 0;
      for (int i = 0; i < out.image().data.length; i++) {
        sum += out.image().data[i] * (1 + i % 7);
      }
      long l = 0;
      for (int i = 0; i < out.labels().length; i++) {
        l += (long) out.labels()[i] * (1 + i % 13);
      }
      assertEquals(imageBits[seed], Double.doubleToLongBits(sum), "seed " + seed);
      assertEquals(labelSums[seed], l, "seed " + seed);
    }
  }

  @Test
  void aWindowOfTheResizeIsThatPartOfTheWholeResize() {
    Maps img = random(13, 17, 9).image();
    Maps whole = org.dpn4j.io.Images.resizeBilinear(img, 29, 23);
    Maps part = org.dpn4j.io.Images.resizeBilinear(img, 29, 23, 5, 7, 11, 9);
    for (int k = 0; k < 3; k++) {
      for (int y = 0; y < 11; y++) {
        for (int x = 0; x < 9; x++) {
          assertEquals(whole.get(k, y + 5, x + 7), part.get(k, y, x));
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> org.dpn4j.io.Images.resizeBilinear(img, 29, 23, 20, 0, 10, 5));
  }

  @Test
  void scaleOneIsTheIdentity() {
    LabelledImage in = random(9, 6, 6);
    assertSame(in, Augmentation.scale(in, 1.0));
    Augmentation id = new Augmentation(1, 1, 9, 6, false, Normalisation.NONE, IGNORE);
    LabelledImage out = id.apply(in, 99);
    assertEquals(in.image(), out.image());
    assertArrayEquals(in.labels(), out.labels());
  }

  @Test
  void scaleTwoRepeatsLabelsNearestAndInterpolatesThePhoto() {
    Maps img = new Maps(3, 2, 2, new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1});
    LabelledImage in = new LabelledImage("s", img, new int[] {0, 3, 7, 11});
    LabelledImage out = Augmentation.scale(in, 2.0);
    assertEquals(4, out.h());
    assertArrayEquals(new int[] {0, 0, 3, 3, 0, 0, 3, 3, 7, 7, 11, 11, 7, 7, 11, 11}, out.labels());
    // red row 0 is (0, 1): bilinear with half-pixel centres gives 0, 0.25, 0.75, 1
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f},
        Arrays.copyOfRange(out.image().data, 0, 4), 1e-6f);
    LabelledImage half = Augmentation.scale(random(10, 6, 7), 0.5);
    assertEquals(5, half.h());
    assertEquals(3, half.w());
  }

  @Test
  void normalisationSubtractsTheMeanAndDividesByTheStd() {
    Normalisation n = new Normalisation(new float[] {0.5f, 0f, 1f}, new float[] {0.5f, 2f, 0.25f});
    Maps out = n.apply(new Maps(3, 1, 1, new float[] {1f, 1f, 0.5f}));
    assertArrayEquals(new float[] {1f, 0.5f, -2f}, out.data, 1e-6f);
    assertThrows(IllegalArgumentException.class,
        () -> new Normalisation(new float[] {0, 0, 0}, new float[] {1, 0, 1}));
  }
}
