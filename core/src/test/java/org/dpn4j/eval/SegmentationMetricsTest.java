package org.dpn4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertIterableEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import org.dpn4j.util.Parallel;
import org.junit.jupiter.api.Test;

/** TA, LA, BA (DESIGN.md section 4) on hand-made maps whose values are worked out in comments. */
class SegmentationMetricsTest {

  private static final int VOID = 255;
  private static final double EPS = 1e-9;
  private static final List<String> TWO = List.of("background", "object");
  private static final List<String> THREE = List.of("a", "b", "c");

  /** A row-major w x h map with label(x, y) at (x, y). */
  private static int[] map(int w, int h, IntBinaryOperator label) {
    int[] m = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        m[y * w + x] = label.applyAsInt(x, y);
      }
    }
    return m;
  }

  private static IntBinaryOperator rectangle(int x0, int y0, int x1, int y1) {
    return (x, y) -> x >= x0 && x <= x1 && y >= y0 && y <= y1 ? 1 : 0;
  }

  private static MetricsResult score(
      List<String> names, MetricsOptions options, int w, int h, int[] pred, int[] gt) {
    SegmentationMetrics m = new SegmentationMetrics(names, options);
    m.add(pred, gt, w, h);
    return m.result();
  }

  private static MetricsResult score(List<String> names, int w, int h, int[] pred, int[] gt) {
    return score(names, MetricsOptions.defaults(VOID), w, h, pred, gt);
  }

  private static double f(double precision, double recall) {
    return 2 * precision * recall / (precision + recall);
  }

  // ---- TA: presence with the threshold ----

  /** 40 x 25 = 1000 pixels of a; the truth has 1 pixel of b, the prediction 2 pixels of c. */
  private static final int[] TAG_GT = map(40, 25, (x, y) -> x == 5 && y == 5 ? 1 : 0);

  private static final int[] TAG_PRED =
      map(40, 25, (x, y) -> y == 10 && (x == 10 || x == 11) ? 2 : 0);

  private static MetricsResult tagging(double threshold) {
    MetricsOptions options = new MetricsOptions(VOID, threshold, 0.0075);
    return score(THREE, options, 40, 25, TAG_PRED, TAG_GT);
  }

  @Test
  void taggingFollowsThePresenceThreshold() {
    // 0.1% of 1000 = 1 pixel: truth {a, b}, prediction {a, c}: only a agrees
    MetricsResult r = tagging(0.001);
    assertEquals(List.of(1.0, 0.0, 0.0), List.copyOf(r.perClassTA().values()));
    assertEquals(1.0 / 3, r.taggingAccuracy(), EPS);
    // 0.2% = 2 pixels: b is absent from the truth, c is still present in the prediction
    assertEquals(2.0 / 3, tagging(0.002).taggingAccuracy(), EPS);
    // 0.21% = 2.1 pixels: c's 2 pixels are not enough either: all agree
    assertEquals(1.0, tagging(0.0021).taggingAccuracy(), EPS);
  }

  @Test
  void presenceCountsNonIgnoredPixelsAndDropsPredictionsOnIgnoredOnes() {
    // rows 0..14 (600 pixels) are void: 400 labelled pixels, 0.25% of them = 1 pixel.
    // The truth has one b pixel; the prediction has b only inside the void rows.
    int[] gt = map(40, 25, (x, y) -> y < 15 ? VOID : x == 3 && y == 20 ? 1 : 0);
    int[] pred = map(40, 25, (x, y) -> y == 0 && x < 5 ? 1 : 0);
    MetricsOptions options = new MetricsOptions(VOID, 0.0025, 0.0075);
    MetricsResult r = score(THREE, options, 40, 25, pred, gt);
    assertEquals(0.0, r.perClassTA().get("b"), EPS); // true b present, predicted b removed
    assertEquals(0.0, r.perClassLA().get("b"), EPS); // not present in the prediction: bIoU 0
    assertNull(r.perClassBA().get("b"));
    // with 0.26% (1.04 pixels) b is absent from the truth: no LA for b, and tags agree
    MetricsResult higher = score(THREE, new MetricsOptions(VOID, 0.0026, 0.0075), 40, 25, pred, gt);
    assertEquals(1.0, higher.perClassTA().get("b"), EPS);
    assertNull(higher.perClassLA().get("b"));
  }

  // ---- LA: boxes ----

  /** 10 x 8: the true object is columns 1..4 x rows 1..2, the predicted one 3..6 x 2..3. */
  private static final int[] BOX_GT = map(10, 8, rectangle(1, 1, 4, 2));

  private static final int[] BOX_PRED = map(10, 8, rectangle(3, 2, 6, 3));

  @Test
  void localisationIsTheIoUOfTheBoxes() {
    MetricsResult r = score(TWO, 10, 8, BOX_PRED, BOX_GT);
    // object: boxes of 8 pixels overlapping in columns 3..4 of row 2: 2 / (8 + 8 - 2)
    assertEquals(1.0 / 7, r.perClassLA().get("object"), EPS);
    // background: both boxes are the whole image
    assertEquals(1.0, r.perClassLA().get("background"), EPS);
    assertEquals((1 + 1.0 / 7) / 2, r.localisationAccuracy(), EPS);
  }

  @Test
  void boxesIgnoreStrayPredictionsOnIgnoredPixels() {
    // the same object, plus a predicted object pixel at (9, 7) where the truth is void
    int[] gt = BOX_GT.clone();
    gt[7 * 10 + 9] = VOID;
    int[] pred = BOX_GT.clone();
    pred[7 * 10 + 9] = 1;
    MetricsResult r = score(TWO, 10, 8, pred, gt);
    assertEquals(1.0, r.perClassLA().get("object"), EPS);
    assertEquals(1.0, r.perClassBA().get("object"), EPS);
  }

  // ---- BA: boundaries and the tolerance ----

  @Test
  void boundaryMatchesOnlyExactPixelsWithATinyTolerance() {
    // tolerance 0.0075 x sqrt(10^2 + 8^2) = 0.096 px: only coinciding pixels match.
    // The object's bIoU 1/7 < 0.5: no BA. Background (bIoU 1): its boundary is the 12 pixels
    // 4-adjacent to the object, in truth {(0,1),(0,2),(5,1),(5,2),(1..4,0),(1..4,3)} and in the
    // prediction {(2,2),(2,3),(7,2),(7,3),(3..6,1),(3..6,4)}: 2 in common, (5,1) and (2,3).
    MetricsResult r = score(TWO, 10, 8, BOX_PRED, BOX_GT);
    assertNull(r.perClassBA().get("object"));
    assertEquals(f(2.0 / 12, 2.0 / 12), r.perClassBA().get("background"), EPS);
    assertEquals(1.0 / 6, r.boundaryAccuracy(), EPS);
  }

  /** 400 x 300: diagonal 500, tolerance 3.75 px. The object fills columns 0..edge-1. */
  private static int[] leftPart(int edge) {
    return map(400, 300, (x, y) -> x < edge ? 1 : 0);
  }

  @Test
  void boundariesMatchWithinTheToleranceAndNotBeyond() {
    // the only boundaries are vertical lines (the image border is none): shifted by 3 px every
    // pixel matches, by 4 px none does
    for (int shift : new int[] {-3, 3}) {
      MetricsResult r = score(TWO, 400, 300, leftPart(100 + shift), leftPart(100));
      assertEquals(1.0, r.perClassBA().get("object"), EPS, "shift " + shift);
      assertEquals(1.0, r.perClassBA().get("background"), EPS, "shift " + shift);
    }
    for (int shift : new int[] {-4, 4}) {
      MetricsResult r = score(TWO, 400, 300, leftPart(100 + shift), leftPart(100));
      assertEquals(0.0, r.perClassBA().get("object"), EPS, "shift " + shift);
      assertEquals(0.0, r.boundaryAccuracy(), EPS, "shift " + shift);
      assertEquals(100.0 / 104, r.perClassLA().get("object"), 0.01, "shift " + shift);
    }
  }

  @Test
  void aSteppedBoundaryIsPartlyMatched() {
    // truth: object in columns 0..99. Prediction: columns 0..99 in rows 0..149, 0..109 below.
    int[] pred = map(400, 300, (x, y) -> x < (y < 150 ? 100 : 110) ? 1 : 0);
    MetricsResult r = score(TWO, 400, 300, pred, leftPart(100));
    // object, predicted boundary: (99, 0..149), (109, 150..299), (100..108, 150) = 309 pixels;
    // matched to the true column 99: (99, 0..149) and (100..102, 150) = 153.
    // True boundary (99, 0..299): rows 0..149 lie on it, rows 150..153 are within 3.75 of
    // (99, 149) or (100, 150) (row 153: sqrt(1 + 9)); row 154: sqrt(1 + 16) > 3.75. 154 matched.
    assertEquals(f(153.0 / 309, 154.0 / 300), r.perClassBA().get("object"), EPS);
    // background, predicted boundary: (100, 0..149), (101..109, 149), (110, 150..299) = 309;
    // matched to the true column 100: 150 + (101..103, 149) = 153. True (100, 0..299): rows
    // 0..149, and 150..152 within 3 of (100, 149); row 153: 4 and sqrt(17) away. 153 matched.
    assertEquals(f(153.0 / 309, 153.0 / 300), r.perClassBA().get("background"), EPS);
    assertEquals(100.0 / 110, r.perClassLA().get("object"), EPS);
  }

  @Test
  void anIgnoredNeighbourMakesABoundary() {
    // truth: object in columns 100..199, a void band 200..204, background elsewhere.
    // Prediction: object in columns 100..209; after removing the void band it is 100..199 and
    // 205..209. True object boundary: columns 100 and 199 (next to void). Predicted: 100, 199,
    // 205 (next to void), 209. Columns 205 and 209 are 6 and 10 px from 199: P = 1/2, R = 1.
    int[] gt = map(400, 300, (x, y) -> x >= 200 && x <= 204 ? VOID : x >= 100 && x < 200 ? 1 : 0);
    int[] pred = map(400, 300, (x, y) -> x >= 100 && x <= 209 ? 1 : 0);
    MetricsResult r = score(TWO, 400, 300, pred, gt);
    assertEquals(f(0.5, 1), r.perClassBA().get("object"), EPS);
    // background: true boundary columns 99 and 205 (next to void), predicted 99 and 210
    assertEquals(f(0.5, 0.5), r.perClassBA().get("background"), EPS);
    assertEquals(100.0 / 110, r.perClassLA().get("object"), EPS);
    // Prediction: object in columns 100..195, 4 px short of the true edge 199 (next to void):
    // neither edge matches, P = R = 1/2. Were a void neighbour treated like the image border,
    // column 199 would be no boundary and R would be 1.
    int[] short4 = map(400, 300, (x, y) -> x >= 100 && x <= 195 ? 1 : 0);
    assertEquals(0.5, score(TWO, 400, 300, short4, gt).perClassBA().get("object"), EPS);
  }

  @Test
  void emptyBoundaries() {
    int[] all = new int[20 * 10];
    // background fills the image in both: no boundary on either side, a perfect score
    assertEquals(1.0, score(TWO, 20, 10, all, all).perClassBA().get("background"), EPS);
    // one predicted object pixel: the prediction's background has a boundary, the truth's none
    int[] pred = all.clone();
    pred[5 * 20 + 5] = 1;
    MetricsResult r = score(TWO, 20, 10, pred, all);
    assertEquals(0.0, r.perClassBA().get("background"), EPS);
    assertNull(r.perClassLA().get("object")); // not in the truth
  }

  // ---- averaging over images ----

  @Test
  void averagesOverImagesAndClassesAsDefined() {
    SegmentationMetrics m = new SegmentationMetrics(THREE, VOID);
    m.add(BOX_PRED, BOX_GT, 10, 8); // LA a 1, b 1/7; BA a 1/6; all tags agree
    m.add(new int[80], new int[80], 10, 8); // LA a 1; BA a 1; all tags agree
    int[] allVoid = new int[80];
    Arrays.fill(allVoid, VOID);
    m.add(new int[80], allVoid, 10, 8); // no labelled pixel: left out of TA, LA and BA
    MetricsResult r = m.result();
    assertEquals(3, r.images());
    assertEquals(160, r.pixels());
    assertEquals(1.0, r.perClassLA().get("a"), EPS);
    assertEquals(1.0 / 7, r.perClassLA().get("b"), EPS);
    assertNull(r.perClassLA().get("c"));
    assertEquals((1 + 1.0 / 7) / 2, r.localisationAccuracy(), EPS);
    assertEquals((1.0 / 6 + 1) / 2, r.perClassBA().get("a"), EPS);
    assertNull(r.perClassBA().get("b"));
    assertEquals((1.0 / 6 + 1) / 2, r.boundaryAccuracy(), EPS);
    assertEquals(1.0, r.perClassTA().get("c"), EPS); // absent from truth and prediction
    assertEquals(1.0, r.taggingAccuracy(), EPS);
    // the confusion-matrix metrics equal the matrix's over the two labelled images
    ConfusionMatrix cm = new ConfusionMatrix(3);
    cm.add(BOX_PRED, BOX_GT, VOID);
    cm.add(new int[80], new int[80], VOID);
    assertEquals(cm.meanIoU(), r.mIoU());
    assertEquals(cm.pixelAccuracy(), r.pixelAcc());
    assertEquals(cm.meanClassAccuracy(), r.meanAcc());
    assertNull(r.perClassIoU().get("c"));
    // by hand: object TP 2, FP 6, FN 6; background TP 80 - 14 = 66 in the first image, 80 in
    // the second: 148 of 160 pixels
    assertEquals(2.0 / 14, r.perClassIoU().get("b"), EPS);
    assertEquals(148.0 / 160, r.pixelAcc(), EPS);
  }

  @Test
  void mergedAndParallelAccumulationGiveTheSameResult() {
    Random random = new Random(7);
    List<int[][]> images = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int w = 30 + random.nextInt(20);
      int h = 20 + random.nextInt(20);
      int cx = random.nextInt(w);
      int cy = random.nextInt(h);
      int[] gt = map(w, h, (x, y) -> (x - cx) * (x - cx) + (y - cy) * (y - cy) < 80 ? 1 : 2);
      int[] pred = gt.clone();
      for (int k = 0; k < pred.length; k++) {
        int roll = random.nextInt(20);
        pred[k] = roll == 0 ? 0 : roll == 1 ? 1 : pred[k];
        gt[k] = roll == 2 ? VOID : gt[k];
      }
      images.add(new int[][] {pred, gt, {w, h}});
    }
    SegmentationMetrics serial = new SegmentationMetrics(THREE, VOID);
    SegmentationMetrics first = new SegmentationMetrics(THREE, VOID);
    SegmentationMetrics second = new SegmentationMetrics(THREE, VOID);
    for (int i = 0; i < images.size(); i++) {
      int[][] im = images.get(i);
      serial.add(im[0], im[1], im[2][0], im[2][1]);
      (i % 2 == 0 ? first : second).add(im[0], im[1], im[2][0], im[2][1]);
    }
    second.merge(first);
    assertEquals(serial.result(), second.result());
    SegmentationMetrics parallel = new SegmentationMetrics(THREE, VOID);
    int threads = Parallel.threads();
    Parallel.setThreads(3);
    try {
      Parallel.forEach(
          images.size(),
          i -> {
            int[][] im = images.get(images.size() - 1 - i);
            parallel.add(im[0], im[1], im[2][0], im[2][1]);
          });
    } finally {
      Parallel.setThreads(threads);
    }
    assertEquals(serial.result(), parallel.result());
    assertTrue(serial.result().boundaryAccuracy() > 0);
  }

  @Test
  void byteMapsGiveTheSameResult() {
    byte[] gt = new byte[BOX_GT.length];
    byte[] pred = new byte[BOX_GT.length];
    for (int i = 0; i < gt.length; i++) {
      gt[i] = (byte) BOX_GT[i];
      pred[i] = (byte) BOX_PRED[i];
    }
    gt[0] = (byte) VOID;
    int[] gtInts = BOX_GT.clone();
    gtInts[0] = VOID;
    SegmentationMetrics fromBytes = new SegmentationMetrics(TWO, VOID);
    fromBytes.add(pred, gt, 10, 8);
    assertEquals(score(TWO, 10, 8, BOX_PRED, gtInts), fromBytes.result());
  }

  // ---- output and errors ----

  @Test
  void serialisesWithThePaperKeysAndNulls() throws Exception {
    SegmentationMetrics m = new SegmentationMetrics(THREE, VOID);
    m.add(BOX_PRED, BOX_GT, 10, 8);
    String json = new ObjectMapper().writeValueAsString(m.result());
    JsonNode node = new ObjectMapper().readTree(json);
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    assertIterableEquals(
        List.of(
            "images", "pixels", "mIoU", "pixelAcc", "meanAcc", "perClassIoU", "TA", "LA", "BA",
            "perClassTA", "perClassLA", "perClassBA"),
        keys);
    assertEquals(2.0 / 14, node.get("perClassIoU").get("b").asDouble(), EPS);
    assertTrue(node.get("perClassIoU").get("c").isNull());
    assertEquals(1.0 / 6, node.get("BA").asDouble(), EPS);
  }

  @Test
  void badInputIsAClearError() {
    SegmentationMetrics m = new SegmentationMetrics(TWO, VOID);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[80], new int[80], 9, 8));
    assertEquals(
        "a 9 x 8 image does not have the 80 pixels of its ground-truth map", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> m.add(new int[79], new int[80], 10, 8));
    assertEquals("predicted map has 79 pixels but the ground truth has 80", e.getMessage());
    int[] stray = new int[80];
    stray[13] = 2;
    e = assertThrows(IllegalArgumentException.class, () -> m.add(stray, new int[80], 10, 8));
    assertEquals(
        "predicted label 2 at pixel 13 is outside [0, 2) and is not the ignore value 255",
        e.getMessage());
    assertEquals(0, m.result().images(), "a rejected image must not count");
    assertThrows(
        IllegalArgumentException.class, () -> new SegmentationMetrics(List.of("a", "a"), VOID));
    assertThrows(
        IllegalArgumentException.class, () -> new MetricsOptions(VOID, 1.5, 0.0075));
    assertThrows(
        IllegalArgumentException.class,
        () -> m.merge(new SegmentationMetrics(TWO, new MetricsOptions(VOID, 0.002, 0.0075))));
  }
}
