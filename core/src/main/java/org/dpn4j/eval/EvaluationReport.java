package org.dpn4j.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code dpn eval} and {@code dpn spark eval} print about an {@link Evaluation}: one JSON
 * object or a table, so that both commands print the same for the same images.
 *
 * @param models the models' paths as given (the first one's head refines)
 * @param dataset the dataset's layout (camvid, voc, cityscapes, folder)
 * @param root the dataset's folder
 * @param split the split evaluated
 * @param scales the unary's input scales averaged
 * @param flip whether the mirrored image was averaged too
 * @param result the metrics and the run's seconds
 */
public record EvaluationReport(
    List<Path> models, String dataset, Path root, String split, List<Double> scales, boolean flip,
    Evaluation.Result result) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The DPN's metrics at the top level, the unary's under "unary", with what was evaluated and how. */
  public ObjectNode json() {
    ObjectNode r = JSON.createObjectNode();
    ArrayNode modelList = r.putArray("models");
    models.forEach(p -> modelList.add(p.toString()));
    r.put("dataset", dataset.toLowerCase(Locale.ROOT));
    r.put("root", root.toString());
    r.put("split", split);
    ArrayNode scaleList = r.putArray("scales");
    scales.forEach(scaleList::add);
    r.put("flip", flip);
    r.put("seconds", result.seconds());
    r.setAll((ObjectNode) JSON.valueToTree(result.dpn()));
    r.set("unary", JSON.valueToTree(result.unary()));
    return r;
  }

  /** {@code node} as indented JSON text with a final line break. */
  public static String text(JsonNode node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree did not serialise", e); // a tree of plain values always does
    }
  }

  /** Per-class IoU of the unary and the DPN side by side, then the summary; in percent, "-" where undefined. */
  public String table() {
    MetricsResult u = result.unary();
    MetricsResult d = result.dpn();
    int width = Math.max(14, u.perClassIoU().keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%s %s, %d image%s (%,d pixels), %s, scales %s%s, %.1f s%n%n",
        dataset.toLowerCase(Locale.ROOT), split, d.images(), d.images() == 1 ? "" : "s", d.pixels(),
        models.size() == 1 ? "1 model" : models.size() + " models averaged",
        scales.stream().map(EvaluationReport::number).collect(Collectors.joining(",")), flip ? " and flip" : "",
        result.seconds()));
    String row = "%-" + width + "s %8s %8s%n";
    s.append(String.format(Locale.ROOT, row, "IoU (%)", "unary", "DPN"));
    for (String c : u.perClassIoU().keySet()) {
      s.append(String.format(Locale.ROOT, row, c, percent(u.perClassIoU().get(c)), percent(d.perClassIoU().get(c))));
    }
    s.append(String.format(Locale.ROOT, "%n" + row, "(%)", "unary", "DPN"));
    summary(s, row, u, d);
    return s.toString();
  }

  /** The summary lines (mIoU, pixel and mean accuracy, TA, LA, BA) of two results side by side, in {@code row}'s format. */
  public static void summary(StringBuilder s, String row, MetricsResult a, MetricsResult b) {
    s.append(String.format(Locale.ROOT, row, "mIoU", percent(a.mIoU()), percent(b.mIoU())));
    s.append(String.format(Locale.ROOT, row, "pixel acc", percent(a.pixelAcc()), percent(b.pixelAcc())));
    s.append(String.format(Locale.ROOT, row, "mean acc", percent(a.meanAcc()), percent(b.meanAcc())));
    s.append(String.format(Locale.ROOT, row, "TA", percent(a.taggingAccuracy()), percent(b.taggingAccuracy())));
    s.append(String.format(Locale.ROOT, row, "LA", percent(a.localisationAccuracy()), percent(b.localisationAccuracy())));
    s.append(String.format(Locale.ROOT, row, "BA", percent(a.boundaryAccuracy()), percent(b.boundaryAccuracy())));
  }

  /** 1.0 as "1", 0.75 as "0.75". */
  private static String number(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** A fraction in percent with two decimals; "-" where undefined. */
  public static String percent(Double v) {
    return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v);
  }
}
