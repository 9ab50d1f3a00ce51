package org.dpn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.dpn4j.eval.EvaluationReport;
import org.dpn4j.eval.MetricsResult;
import org.dpn4j.eval.TemporalEvaluation;

/** The {@code temporal} part of {@code dpn eval --temporal}'s output: 2D and spatio-temporal DPN side by side. */
final class TemporalReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TemporalReport() {}

  /**
   * {@code report} with an object {@code temporal}: {@code dpn3d} and {@code dpn2d} (each the metrics
   * as {@code dpn eval} gives them), {@code consistency} ({@code dpn2d}, {@code dpn3d}: the fraction
   * of linked pixels whose label changes between consecutive frames, lower is steadier;
   * {@code linkedPixels}), {@code flow}, {@code frames}, {@code seconds}. Unchanged when {@code t} is null.
   */
  static ObjectNode withTemporal(ObjectNode report, TemporalEvaluation.Result t, String flow) {
    if (t == null) {
      return report;
    }
    ObjectNode o = report.putObject("temporal");
    o.put("flow", flow);
    o.put("frames", t.frames());
    o.put("seconds", t.seconds());
    o.set("dpn3d", JSON.valueToTree(t.dpn3d()));
    o.set("dpn2d", JSON.valueToTree(t.dpn2d()));
    ObjectNode c = o.putObject("consistency");
    c.put("dpn2d", t.consistency2d());
    c.put("dpn3d", t.consistency3d());
    c.put("linkedPixels", t.linkedPixels());
    return report;
  }

  /** The summary of the 2D and 3D DPN in percent, after the usual table; "" when {@code t} is null. */
  static String table(TemporalEvaluation.Result t) {
    if (t == null) {
      return "";
    }
    MetricsResult a = t.dpn2d();
    MetricsResult b = t.dpn3d();
    String row = "%-14s %8s %8s%n";
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "%nspatio-temporal DPN, %d frames with their labelled neighbours, %.1f s%n", t.frames(), t.seconds()));
    s.append(String.format(Locale.ROOT, row, "(%)", "DPN 2D", "DPN 3D"));
    EvaluationReport.summary(s, row, a, b);
    s.append(String.format(Locale.ROOT, row, "label changes", pc(t.consistency2d()), pc(t.consistency3d())));
    return s.toString();
  }

  private static String pc(Double v) {
    return EvaluationReport.percent(v);
  }
}
