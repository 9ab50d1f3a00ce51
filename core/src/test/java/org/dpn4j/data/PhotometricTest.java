package org.dpn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;

class PhotometricTest {

  private static final float EPS = 1e-6f;

  /** One pixel per column: (R, G, B) given. */
  private static Maps pixels(float[]... rgb) {
    Maps m = new Maps(3, 1, rgb.length);
    for (int x = 0; x < rgb.length; x++) {
      for (int k = 0; k < 3; k++) {
        m.set(k, 0, x, rgb[x][k]);
      }
    }
    return m;
  }

  private static float[] pixel(Maps m, int x) {
    return new float[] {m.get(0, 0, x), m.get(1, 0, x), m.get(2, 0, x)};
  }

  private static float grey(float[] p) {
    return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }

  @Test
  void noneReturnsThePairItselfAndZeroRangesDrawTheIdentity() {
    LabelledImage in = AugmentationTest.random(9, 7, 1);
    assertSame(in, Photometric.NONE.apply(in, new SplittableRandom(3)));
    assertEquals(Photometric.Draw.IDENTITY, Photometric.NONE.draw(new SplittableRandom(3)));
    // Brightness 0 with everything else on: the brightness factor is exactly 1.
    Photometric p = new Photometric(0, 0.3, 0.3, 0.02, 1);
    for (long seed = 0; seed < 20; seed++) {
      assertEquals(1.0, p.draw(new SplittableRandom(seed)).brightness());
    }
  }

  @Test
  void theIdentityDrawChangesNoPixel() {
    LabelledImage in = AugmentationTest.random(9, 7, 2);
    Maps out = Photometric.apply(in.image(), Photometric.Draw.IDENTITY);
    assertArrayEquals(in.image().data, out.data);
  }

  @Test
  void aKnownBrightnessFactorGivesKnownPixelsClampedToOne() {
    Maps in = pixels(new float[] {0.5f, 0.25f, 0.9f}, new float[] {0f, 1f, 0.1f});
    Maps out = Photometric.apply(in, new Photometric.Draw(1.2, 1, 1, 0, 0));
    assertArrayEquals(new float[] {0.6f, 0.3f, 1f}, pixel(out, 0), EPS);
    assertArrayEquals(new float[] {0f, 1f, 0.12f}, pixel(out, 1), EPS);
    out = Photometric.apply(in, new Photometric.Draw(0.5, 1, 1, 0, 0));
    assertArrayEquals(new float[] {0.25f, 0.125f, 0.45f}, pixel(out, 0), EPS);
  }

  @Test
  void contrastZeroGivesTheMeanGreyAndContrastTwoDoublesTheDistanceFromIt() {
    float[] a = {0.5f, 0.25f, 0.75f};
    float[] b = {0.1f, 0.2f, 0.3f};
    Maps in = pixels(a, b);
    float mean = (grey(a) + grey(b)) / 2;
    Maps flat = Photometric.apply(in, new Photometric.Draw(1, 0, 1, 0, 0));
    for (int x = 0; x < 2; x++) {
      assertArrayEquals(new float[] {mean, mean, mean}, pixel(flat, x), EPS);
    }
    Maps sharp = Photometric.apply(in, new Photometric.Draw(1, 1.5, 1, 0, 0));
    for (int k = 0; k < 3; k++) {
      assertEquals(mean + 1.5f * (b[k] - mean), pixel(sharp, 1)[k], EPS);
    }
  }

  @Test
  void saturationZeroGivesEachPixelsGreyAndHueKeepsGreyAndLuma() {
    float[] a = {0.6f, 0.3f, 0.2f};
    Maps in = pixels(a, new float[] {0.4f, 0.4f, 0.4f});
    Maps grey = Photometric.apply(in, new Photometric.Draw(1, 1, 0, 0, 0));
    float g = grey(a);
    assertArrayEquals(new float[] {g, g, g}, pixel(grey, 0), EPS);
    Maps turned = Photometric.apply(in, new Photometric.Draw(1, 1, 1, 0.1, 0));
    assertArrayEquals(new float[] {0.4f, 0.4f, 0.4f}, pixel(turned, 1), 1e-5f);
    assertEquals(g, grey(pixel(turned, 0)), 1e-5f);
    assertNotEquals(a[0], pixel(turned, 0)[0], 0.01f, "a tenth of a turn changes the colour");
    // Half a turn and back: the hue shift of -h undoes +h (no clamping here).
    Maps back = Photometric.apply(Photometric.apply(in, new Photometric.Draw(1, 1, 1, 0.05, 0)),
        new Photometric.Draw(1, 1, 1, -0.05, 0));
    assertArrayEquals(a, pixel(back, 0), 1e-5f);
  }

  @Test
  void blurKeepsAConstantImageAndTheSumOfAnImpulseSpreadingItSymmetrically() {
    Maps flat = new Maps(3, 5, 6);
    java.util.Arrays.fill(flat.data, 0.4f);
    assertArrayEquals(flat.data, Photometric.blur(flat, 1.0).data, EPS);
    Maps impulse = new Maps(3, 11, 11);
    impulse.set(1, 5, 5, 1f);
    Maps b = Photometric.blur(impulse, 1.0);
    float sum = 0;
    for (int i = b.offset(1); i < b.offset(2); i++) {
      sum += b.data[i];
    }
    assertEquals(1f, sum, 1e-5f);
    // Separable Gaussian, sigma 1: the centre weighs (1 / sum_i exp(-i^2/2))^2 over i in [-3, 3].
    double norm = 0;
    for (int i = -3; i <= 3; i++) {
      norm += Math.exp(-0.5 * i * i);
    }
    assertEquals(1 / (norm * norm), b.get(1, 5, 5), 1e-6);
    assertEquals(b.get(1, 5, 4), b.get(1, 5, 6), EPS);
    assertEquals(b.get(1, 4, 5), b.get(1, 6, 5), EPS);
    assertEquals(b.get(1, 5, 4), b.get(1, 4, 5), EPS);
    assertEquals(0f, b.get(0, 5, 5));
  }

  @Test
  void theSameSeedGivesTheSameOutputAndAnotherSeedAnother() {
    LabelledImage in = AugmentationTest.random(16, 12, 3);
    Photometric p = Photometric.MODERATE;
    LabelledImage a = p.apply(in, new SplittableRandom(7));
    LabelledImage b = p.apply(in, new SplittableRandom(7));
    assertEquals(a.image(), b.image());
    assertNotEquals(a.image(), p.apply(in, new SplittableRandom(8)).image());
    assertArrayEquals(in.labels(), a.labels());
    for (float v : a.image().data) {
      assertTrue(v >= 0 && v <= 1, "clamped to [0, 1]: " + v);
    }
  }

  @Test
  void drawsStayInTheirRanges() {
    Photometric p = new Photometric(0.3, 0.2, 0.1, 0.05, 1.5);
    int blurred = 0;
    for (long seed = 0; seed < 400; seed++) {
      Photometric.Draw d = p.draw(new SplittableRandom(seed));
      assertTrue(d.brightness() >= 0.7 && d.brightness() <= 1.3, d.toString());
      assertTrue(d.contrast() >= 0.8 && d.contrast() <= 1.2, d.toString());
      assertTrue(d.saturation() >= 0.9 && d.saturation() <= 1.1, d.toString());
      assertTrue(Math.abs(d.hue()) <= 0.05, d.toString());
      assertTrue(d.sigma() == 0 || (d.sigma() >= Photometric.MIN_SIGMA && d.sigma() <= 1.5), d.toString());
      blurred += d.sigma() > 0 ? 1 : 0;
    }
    // Half the samples are blurred, less those whose sigma falls under MIN_SIGMA (0.3 / 1.5 of them).
    assertTrue(blurred > 120 && blurred < 200, "blurred " + blurred + " of 400");
  }

  @Test
  void rangesOutsideTheirLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Photometric(-0.1, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Photometric(0, 1.1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Photometric(0, 0, 0, 0.6, 0));
    assertThrows(IllegalArgumentException.class, () -> new Photometric(0, 0, 0, 0, 3.5));
    assertThrows(IllegalArgumentException.class, () -> new Photometric(Double.NaN, 0, 0, 0, 0));
  }

  @Test
  void augmentationWithoutPhotometricIsTheOldOneAndWithItKeepsTheGeometry() {
    LabelledImage in = AugmentationTest.random(37, 53, 4);
    Augmentation old = new Augmentation(0.5, 2, 32, 40, true, Normalisation.IMAGENET, AugmentationTest.IGNORE);
    Augmentation none = old.withPhotometric(Photometric.NONE);
    Augmentation jitter = old.withPhotometric(Photometric.MODERATE);
    for (long seed = 0; seed < 10; seed++) {
      LabelledImage a = old.apply(in, seed);
      LabelledImage b = none.apply(in, seed);
      LabelledImage c = jitter.apply(in, seed);
      assertEquals(a.image(), b.image());
      assertArrayEquals(a.labels(), b.labels());
      // The same scale, crop and flip: the labels (which photometric changes leave alone) are equal.
      assertArrayEquals(a.labels(), c.labels());
      assertNotEquals(a.image(), c.image());
    }
  }
}
