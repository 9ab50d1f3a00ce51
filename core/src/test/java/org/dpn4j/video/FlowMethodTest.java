package org.dpn4j.video;

import org.dpn4j.testing.Integration;

import org.dpn4j.testing.SharedData;

import org.dpn4j.value.Flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.dpn4j.value.Maps;
import org.dpn4j.io.FloFile;
import org.dpn4j.io.Ppm;
import org.junit.jupiter.api.Test;

@Integration
class FlowMethodTest {

  private static final Path CHAIRS = SharedData.path("flow/flyingchairs");

  @Test
  void openCvLoadsOfflineFromTheJar() {
    assertTrue(OpenCv.version().startsWith("4."), OpenCv.version());
  }

  @Test
  void everyMethodFindsAShiftOfThreeTwoPixels() {
    int h = 120;
    int w = 160;
    Maps t = texture(h + 2, w + 3, 7);
    Maps frameT = crop(t, 2, 3, h, w);
    Maps frameS = crop(t, 0, 0, h, w); // frameS(y, x) = frameT(y - 2, x - 3): content moves by (+3, +2)
    for (FlowMethod m : FlowMethod.values()) {
      Flow fts = m.compute(frameT, frameS);
      NodeLinks links = NodeLinks.between(fts, m.compute(frameS, frameT));
      boolean[] interior = new boolean[h * w];
      for (int y = 10; y < h - 10; y++) {
        for (int x = 10; x < w - 10; x++) {
          interior[y * w + x] = true;
        }
      }
      double[] mean = fts.mean(interior);
      assertEquals(3, mean[0], 0.2, m + " mean u");
      assertEquals(2, mean[1], 0.2, m + " mean v");
      // Only the strip that leaves the frame (about 4 %) and a little more may be dropped.
      assertTrue(links.droppedFraction() < 0.10, m + " dropped " + links.droppedFraction());
    }
  }

  @Test
  void disMediumOnAFlyingChairsPair() throws IOException {
    Maps a = Ppm.readRgb(CHAIRS.resolve("00001_img1.ppm"));
    Maps b = Ppm.readRgb(CHAIRS.resolve("00001_img2.ppm"));
    Flow truth = FloFile.read(CHAIRS.resolve("00001_flow.flo"));
    double epe = FlowMethod.DIS_MEDIUM.compute(a, b).meanEndPointError(truth);
    double zero = Flow.zeros(truth.h(), truth.w()).meanEndPointError(truth);
    // Measured 1.60 px (OpenCV 4.9.0); a zero flow scores 4.51 px.
    assertTrue(epe < 2.5, "DIS medium EPE " + epe);
    assertTrue(zero > 4, "zero-flow EPE " + zero);
  }

  @Test
  void namesAndShapesAreChecked() {
    assertEquals(FlowMethod.DIS_FAST, FlowMethod.parse("DIS-fast"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlowMethod.parse("lk"));
    assertTrue(e.getMessage().contains("dis-medium"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FlowMethod.FARNEBACK.compute(new Maps(3, 4, 4), new Maps(3, 4, 5)));
    assertThrows(IllegalArgumentException.class, () -> FlowMethod.FARNEBACK.compute(new Maps(1, 4, 4), new Maps(1, 4, 4)));
  }

  /** Smooth random RGB texture: box-blurred noise, contrast-stretched to [0, 1]. */
  private static Maps texture(int h, int w, long seed) {
    Random r = new Random(seed);
    Maps m = new Maps(3, h, w);
    float[] noise = new float[h * w];
    for (int j = 0; j < noise.length; j++) {
      noise[j] = r.nextFloat();
    }
    float[] blurred = new float[h * w];
    int rad = 2;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float s = 0;
        int n = 0;
        for (int dy = -rad; dy <= rad; dy++) {
          for (int dx = -rad; dx <= rad; dx++) {
            int yy = Math.min(h - 1, Math.max(0, y + dy));
            int xx = Math.min(w - 1, Math.max(0, x + dx));
            s += noise[yy * w + xx];
            n++;
          }
        }
        blurred[y * w + x] = Math.min(1f, Math.max(0f, (s / n - 0.5f) * 4 + 0.5f));
      }
    }
    for (int k = 0; k < 3; k++) {
      System.arraycopy(blurred, 0, m.data, m.offset(k), h * w);
    }
    return m;
  }

  private static Maps crop(Maps m, int y0, int x0, int h, int w) {
    Maps out = new Maps(m.c, h, w);
    for (int k = 0; k < m.c; k++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(m.data, m.offset(k) + (y0 + y) * m.w + x0, out.data, out.offset(k) + y * w, w);
      }
    }
    return out;
  }
}
