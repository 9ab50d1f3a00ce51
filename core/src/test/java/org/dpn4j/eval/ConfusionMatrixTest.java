package org.dpn4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

  private static final int VOID = 255;
  private static final double EPS = 1e-12;

  /** gt / prediction of 8 pixels, pixel 5 ignored (its prediction 2 must not count). */
  private static final int[] GT = {0, 0, 1, 1, 2, VOID, 0, 1};
  private static final int[] PRED = {0, 1, 1, 1, 0, 2, 0, 2};

  @Test
  void countsByHandWithAnIgnoredPixel() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    m.add(PRED, GT, VOID);
    long[][] expected = {{2, 1, 0}, {0, 2, 1}, {1, 0, 0}};
    assertArrayEquals(expected, m.toArray());
    assertEquals(7, m.pixels());
    // IoU = TP / (TP + FP + FN): 2/(3+3-2), 2/(3+3-2), 0/(1+1)
    assertEquals(Arrays.asList(0.5, 0.5, 0.0), m.perClassIoU());
    assertEquals(1.0 / 3, m.meanIoU(), EPS);
    assertEquals(4.0 / 7, m.pixelAccuracy(), EPS);
    assertEquals((2.0 / 3 + 2.0 / 3 + 0) / 3, m.meanClassAccuracy(), EPS);
  }

  @Test
  void aClassAbsentFromTheSplitIsNullAndLeftOutOfTheMeans() {
    ConfusionMatrix m = new ConfusionMatrix(4);
    m.add(PRED, GT, VOID);
    assertNull(m.iou(3));
    assertEquals(1.0 / 3, m.meanIoU(), EPS);
    assertEquals(4.0 / 9, m.meanClassAccuracy(), EPS);
  }

  @Test
  void aClassNeverPredictedHasIoUZeroAndCounts() {
    ConfusionMatrix m = new ConfusionMatrix(2);
    m.add(new int[] {0, 0, 0, 0}, new int[] {0, 1, 1, 0}, VOID);
    assertEquals(0.5, m.iou(0), EPS); // 2 / (2 + 2 FP)
    assertEquals(0.0, m.iou(1), EPS); // 0 / (2 FN)
    assertEquals(0.25, m.meanIoU(), EPS);
    assertEquals(0.5, m.pixelAccuracy(), EPS);
    assertEquals(0.5, m.meanClassAccuracy(), EPS); // (1 + 0) / 2
  }

  @Test
  void aClassOnlyPredictedCountsInMIoUButNotInMeanAccuracy() {
    ConfusionMatrix m = new ConfusionMatrix(2);
    m.add(new int[] {0, 1}, new int[] {0, 0}, VOID);
    assertEquals(0.5, m.iou(0), EPS);
    assertEquals(0.0, m.iou(1), EPS); // one FP
    assertEquals(0.25, m.meanIoU(), EPS);
    assertEquals(0.5, m.meanClassAccuracy(), EPS); // class 0 only
  }

  @Test
  void anAllIgnoreImageAddsNothing() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    m.add(new int[] {0, 1, 2}, new int[] {VOID, VOID, VOID}, VOID);
    assertEquals(0, m.pixels());
    assertNull(m.meanIoU());
    assertNull(m.pixelAccuracy());
    assertNull(m.meanClassAccuracy());
    m.add(PRED, GT, VOID);
    ConfusionMatrix plain = new ConfusionMatrix(3);
    plain.add(PRED, GT, VOID);
    assertArrayEquals(plain.toArray(), m.toArray());
  }

  @Test
  void aPredictionEqualToTheIgnoreValueIsAMiss() {
    ConfusionMatrix m = new ConfusionMatrix(2);
    m.add(new int[] {VOID, 1}, new int[] {0, 1}, VOID);
    assertEquals(1, m.predictedIgnore(0));
    assertEquals(2, m.pixels());
    assertEquals(0.0, m.iou(0), EPS); // one FN, no FP anywhere
    assertEquals(1.0, m.iou(1), EPS);
    assertEquals(0.5, m.pixelAccuracy(), EPS);
  }

  @Test
  void mergingEqualsAddingBothImages() {
    int[] gt2 = {2, 2, 1, 0};
    int[] pred2 = {2, 1, 1, 0};
    ConfusionMatrix both = new ConfusionMatrix(3);
    both.add(PRED, GT, VOID);
    both.add(pred2, gt2, VOID);
    ConfusionMatrix a = new ConfusionMatrix(3);
    a.add(PRED, GT, VOID);
    ConfusionMatrix b = new ConfusionMatrix(3);
    b.add(pred2, gt2, VOID);
    a.add(b);
    assertArrayEquals(both.toArray(), a.toArray());
    assertEquals(3, a.count(2, 2) + a.count(2, 1) + a.count(2, 0));
  }

  @Test
  void byteMapsAreUnsigned() {
    ConfusionMatrix m = new ConfusionMatrix(201);
    m.add(new byte[] {(byte) 200, 7, 0}, new byte[] {(byte) 200, (byte) 255, 0}, VOID);
    assertEquals(1, m.count(200, 200));
    assertEquals(1, m.count(0, 0));
    assertEquals(2, m.pixels());
  }

  @Test
  void strayLabelsAndSizesAreClearErrors() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.add(new int[] {0, 3}, new int[] {0, 0}, VOID));
    assertEquals(
        "predicted label 3 at pixel 1 is outside [0, 3) and is not the ignore value 255",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.add(new int[] {0, 0}, new int[] {-1, 0}, VOID));
    assertEquals(
        "ground-truth label -1 at pixel 0 is outside [0, 3) and is not the ignore value 255",
        e.getMessage());
    // also where the ground truth is ignored: a stray value is a bug upstream
    assertThrows(
        IllegalArgumentException.class,
        () -> m.add(new int[] {0, 9}, new int[] {0, VOID}, VOID));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> m.add(new int[3], new int[4], VOID));
    assertEquals("predicted map has 3 pixels but the ground truth has 4", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.add(new ConfusionMatrix(4)));
    assertEquals(0, m.pixels(), "a failed add must leave the matrix unchanged");
  }
}
