package org.dpn4j.eval;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The mergeable sums behind every metric of section 4, over the images added so far. */
final class Tally implements Serializable {

  private static final long serialVersionUID = 1L;

  final ConfusionMatrix confusion;
  /** Images added, and those with at least one non-ignored pixel (the ones TA counts). */
  long images;
  long labelledImages;
  /** Per class: labelled images where predicted and true presence agree. */
  final long[] tagAgreements;
  final ClassMeans boxIoU;
  final ClassMeans boundaryF;

  Tally(int numClasses) {
    confusion = new ConfusionMatrix(numClasses);
    tagAgreements = new long[numClasses];
    boxIoU = new ClassMeans(numClasses);
    boundaryF = new ClassMeans(numClasses);
  }

  void add(Tally other) {
    confusion.add(other.confusion);
    images += other.images;
    labelledImages += other.labelledImages;
    for (int c = 0; c < tagAgreements.length; c++) {
      tagAgreements[c] += other.tagAgreements[c];
    }
    boxIoU.add(other.boxIoU);
    boundaryF.add(other.boundaryF);
  }

  Tally copy() {
    Tally t = new Tally(tagAgreements.length);
    t.add(this);
    return t;
  }

  Double taggingAccuracy(int c) {
    return labelledImages == 0 ? null : (double) tagAgreements[c] / labelledImages;
  }

  MetricsResult result(List<String> classNames) {
    Map<String, Double> iou = perClass(classNames, confusion::iou);
    Map<String, Double> ta = perClass(classNames, this::taggingAccuracy);
    Map<String, Double> la = perClass(classNames, boxIoU::mean);
    Map<String, Double> ba = perClass(classNames, boundaryF::mean);
    return new MetricsResult(
        images,
        confusion.pixels(),
        confusion.meanIoU(),
        confusion.pixelAccuracy(),
        confusion.meanClassAccuracy(),
        iou,
        Averages.meanOfDefined(ta.values()),
        Averages.meanOfDefined(la.values()),
        Averages.meanOfDefined(ba.values()),
        ta,
        la,
        ba);
  }

  /** class name -> value, in class order; null values kept (a Map.copyOf would refuse them). */
  private static Map<String, Double> perClass(List<String> names, IntFunction<Double> value) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int c = 0; c < names.size(); c++) {
      map.put(names.get(c), value.apply(c));
    }
    return Collections.unmodifiableMap(map);
  }
}
