package org.dpn4j.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The metrics of DESIGN.md section 4 over a set of images (see {@link SegmentationMetrics} for the
 * definitions). Values are fractions in [0, 1]; null means undefined (no class or image to average
 * over). Per-class maps run in class order, from class name to value or null. Jackson writes it
 * with the keys given below ({@code mIoU}, {@code pixelAcc}, {@code meanAcc}, {@code perClassIoU},
 * {@code TA}, {@code LA}, {@code BA}, ...), nulls included.
 *
 * @param images images added
 * @param pixels pixels whose ground truth is not ignored
 * @param mIoU mean IoU over the classes with TP + FP + FN > 0
 * @param pixelAcc sum TP / pixels
 * @param meanAcc mean of TP / (TP + FN) over the classes present in the ground truth
 * @param perClassIoU IoU per class, null where TP + FP + FN = 0
 * @param taggingAccuracy TA: the mean of the per-class TA over all classes
 * @param localisationAccuracy LA: the mean of the defined per-class LA
 * @param boundaryAccuracy BA: the mean of the defined per-class BA
 */
@JsonPropertyOrder({
  "images", "pixels", "mIoU", "pixelAcc", "meanAcc", "perClassIoU", "TA", "LA", "BA",
  "perClassTA", "perClassLA", "perClassBA"
})
public record MetricsResult(
    @JsonProperty("images") long images,
    @JsonProperty("pixels") long pixels,
    @JsonProperty("mIoU") Double mIoU,
    @JsonProperty("pixelAcc") Double pixelAcc,
    @JsonProperty("meanAcc") Double meanAcc,
    @JsonProperty("perClassIoU") Map<String, Double> perClassIoU,
    @JsonProperty("TA") Double taggingAccuracy,
    @JsonProperty("LA") Double localisationAccuracy,
    @JsonProperty("BA") Double boundaryAccuracy,
    @JsonProperty("perClassTA") Map<String, Double> perClassTA,
    @JsonProperty("perClassLA") Map<String, Double> perClassLA,
    @JsonProperty("perClassBA") Map<String, Double> perClassBA) {}
