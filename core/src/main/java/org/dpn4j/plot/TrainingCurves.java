package org.dpn4j.plot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Training curves (issue 4): the loss of every iteration (dots) with its moving average (line),
 * one colour per stage, the stages one after another on the x axis; the learning rate below on a
 * log axis; optionally each stage's validation mIoU in a third panel.
 *
 * <p>Reads both logs training writes: the head stages' {@code iteration,stage,loss,lr}
 * ({@code dpn train --head-only}) and stage unary's {@code iteration,lr,loss,images_per_s} (no
 * stage column: the stage is {@code unary}). Columns are found by name, so their order does not
 * matter. A resumed run may log an iteration twice: the later line counts. A stage already read
 * from an earlier log is not drawn again (a full model's log repeats stage triple).
 */
public final class TrainingCurves {

  public static final int WIDTH = 1000;
  static final int LEFT = 90;
  static final int RIGHT = 20;
  static final int LOSS_TOP = 40;
  static final int LOSS_HEIGHT = 380;
  static final int LR_TOP = LOSS_TOP + LOSS_HEIGHT + 80;
  static final int LR_HEIGHT = 140;
  static final int VAL_TOP = LR_TOP + LR_HEIGHT + 80;
  static final int VAL_HEIGHT = 180;
  /** The moving average spans this fraction of a stage's iterations (at least one). */
  static final double SMOOTHING = 0.03;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingCurves() {}

  /** One stage's log: iterations ascending, with their loss and learning rate. */
  public record Stage(String name, Path file, long[] iterations, double[] loss, double[] lr) {}

  /** A stage's mean IoU on the validation images, a fraction in [0, 1]. */
  public record Validation(String stage, double mIoU) {}

  /** The curves of {@code csvLogs} as a PNG (atomically). */
  public static void write(List<Path> csvLogs, Path png) throws IOException {
    write(csvLogs, List.of(), png);
  }

  /** The curves of {@code csvLogs} and, if not empty, the validation mIoU per stage, as a PNG. */
  public static void write(List<Path> csvLogs, List<Validation> validation, Path png) throws IOException {
    Figure.write(draw(readAll(csvLogs), validation), png);
  }

  /** The stages of all logs in order, each stage once (the first log that has it). */
  public static List<Stage> readAll(List<Path> csvLogs) throws IOException {
    Map<String, Stage> stages = new LinkedHashMap<>();
    for (Path p : csvLogs) {
      for (Stage s : read(p)) {
        stages.putIfAbsent(s.name(), s);
      }
    }
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("no training log given");
    }
    return List.copyOf(stages.values());
  }

  /** The stages of one log, in the order they first appear. */
  public static List<Stage> read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(csv + ": empty, expected a header such as iteration,stage,loss,lr");
    }
    List<String> header = Arrays.asList(lines.get(0).trim().split(",", -1));
    int it = column(csv, header, "iteration");
    int loss = column(csv, header, "loss");
    int lr = column(csv, header, "lr");
    int stage = header.indexOf("stage");
    Map<String, TreeMap<Long, double[]>> byStage = new LinkedHashMap<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != header.size()) {
        throw new IOException(csv + " line " + (n + 1) + ": " + f.length + " fields, the header has " + header.size()
            + " (" + line + ")");
      }
      try {
        String name = stage < 0 ? stageOfName(csv) : f[stage];
        byStage.computeIfAbsent(name, k -> new TreeMap<>())
            .put(Long.parseLong(f[it]), new double[] {Double.parseDouble(f[loss]), Double.parseDouble(f[lr])});
      } catch (NumberFormatException e) {
        throw new IOException(csv + " line " + (n + 1) + ": not a number in '" + line + "'");
      }
    }
    if (byStage.isEmpty()) {
      throw new IOException(csv + ": no iterations after the header");
    }
    List<Stage> out = new ArrayList<>();
    byStage.forEach((name, m) -> out.add(new Stage(name, csv,
        m.keySet().stream().mapToLong(Long::longValue).toArray(),
        m.values().stream().mapToDouble(v -> v[0]).toArray(),
        m.values().stream().mapToDouble(v -> v[1]).toArray())));
    return out;
  }

  /**
   * The stage of a log without a stage column (logs of stage unary before it had one, and of
   * finetune / joint of the same time): the one its name says, {@code OUTPUT-S-training-log.csv}
   * as {@code StageFiles} names it, else {@code unary}.
   */
  static String stageOfName(Path csv) {
    String name = csv.getFileName().toString();
    for (String s : List.of("finetune", "joint")) {
      if (name.endsWith("-" + s + "-training-log.csv")) {
        return s;
      }
    }
    return "unary";
  }

  private static int column(Path csv, List<String> header, String name) throws IOException {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IOException(csv + " line 1: no column '" + name + "' in the header " + String.join(",", header)
          + " (expected iteration,stage,loss,lr or iteration,lr,loss,images_per_s)");
    }
    return i;
  }

  /**
   * Validation results from {@code spec}: {@code STAGE=EVAL.json} (the output of {@code dpn eval
   * --json} prints, its {@code mIoU}) or a JSON file holding a list of {@code {"stage": S, "mIoU": X}}.
   */
  public static List<Validation> readValidation(String spec) throws IOException {
    int eq = spec.indexOf('=');
    Path file = Path.of(eq < 0 ? spec : spec.substring(eq + 1));
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not readable JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    if (eq >= 0) {
      return List.of(new Validation(spec.substring(0, eq), miou(file, root)));
    }
    if (!root.isArray()) {
      throw new IOException(file + ": expected a list of {\"stage\": S, \"mIoU\": X} (or give STAGE=EVAL.json)");
    }
    List<Validation> out = new ArrayList<>();
    for (JsonNode e : root) {
      if (!e.path("stage").isTextual()) {
        throw new IOException(file + ": an entry without a \"stage\" name: " + e);
      }
      out.add(new Validation(e.get("stage").asText(), miou(file, e)));
    }
    return out;
  }

  private static double miou(Path file, JsonNode n) throws IOException {
    JsonNode v = n.path("mIoU");
    if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
      throw new IOException(file + ": \"mIoU\" must be a number in [0, 1] (a fraction, as dpn eval writes it), got " + v);
    }
    return v.asDouble();
  }

  /** The figure: loss and learning-rate panels, and the validation panel when there are results. */
  static BufferedImage draw(List<Stage> stages, List<Validation> validation) {
    int height = validation.isEmpty() ? LR_TOP + LR_HEIGHT + 60 : VAL_TOP + VAL_HEIGHT + 50;
    BufferedImage img = Figure.canvas(WIDTH, height);
    Graphics2D g = Figure.graphics(img);
    Figure.Panel loss = lossPanel(stages);
    Figure.Panel lr = lrPanel(stages);
    long[] offsets = offsets(stages);
    loss.xAxis(g, null);
    loss.yAxis(g, "loss");
    lr.xAxis(g, "iteration (the stages one after another)");
    lr.yAxis(g, "learning rate");
    for (int i = 0; i < stages.size(); i++) {
      drawStage(g, loss, lr, stages.get(i), offsets[i], Figure.series(i));
    }
    loss.frame(g, "training loss per iteration (dots) and its moving average (line)");
    lr.frame(g, "learning rate");
    Figure.legend(g, loss.left() + loss.width() - 170, loss.top() + 8,
        stages.stream().map(s -> s.name() + " (" + s.iterations().length + " it.)").toList(),
        colours(stages.size()));
    if (!validation.isEmpty()) {
      drawValidation(g, validation, stages);
    }
    g.dispose();
    return img;
  }

  /** The loss panel: from 0 to a little above the largest loss. */
  static Figure.Panel lossPanel(List<Stage> stages) {
    return new Figure.Panel(LEFT, LOSS_TOP, WIDTH - LEFT - RIGHT, LOSS_HEIGHT, 0, lastX(stages), 0,
        1.05 * max(stages, Stage::loss), false);
  }

  /** The learning-rate panel, on a log axis over whole decades. */
  static Figure.Panel lrPanel(List<Stage> stages) {
    double[] range = logRange(stages);
    return new Figure.Panel(LEFT, LR_TOP, WIDTH - LEFT - RIGHT, LR_HEIGHT, 0, lastX(stages), range[0], range[1], true);
  }

  private static double lastX(List<Stage> stages) {
    return Math.max(1, offsets(stages)[stages.size()] - 1);
  }

  /** Where each stage starts on the shared x axis (and, last, where the last one ends). */
  static long[] offsets(List<Stage> stages) {
    long[] o = new long[stages.size() + 1];
    for (int i = 0; i < stages.size(); i++) {
      long[] it = stages.get(i).iterations();
      o[i + 1] = o[i] + it[it.length - 1] + 1;
    }
    return o;
  }

  private static void drawStage(Graphics2D g, Figure.Panel loss, Figure.Panel lr, Stage s, long offset, Color c) {
    if (offset > 0) {
      g.setColor(Figure.AXIS);
      g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
      for (Figure.Panel p : List.of(loss, lr)) {
        g.drawLine((int) Math.round(p.px(offset)), p.top(), (int) Math.round(p.px(offset)), p.top() + p.height());
      }
    }
    g.setColor(Figure.AXIS);
    Figure.text(g, s.name(), loss.px(offset) + 4, loss.top() + 4, 0, 0);
    g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 70));
    for (int i = 0; i < s.iterations().length; i++) {
      if (Double.isFinite(s.loss()[i])) {
        double x = loss.px(offset + s.iterations()[i]);
        g.fill(new Ellipse2D.Double(x - 1.5, loss.py(s.loss()[i]) - 1.5, 3, 3));
      }
    }
    g.setColor(c);
    g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(line(loss, s.iterations(), offset, movingAverage(s.loss(), window(s.loss().length))));
    g.setStroke(new BasicStroke(2f));
    g.draw(line(lr, s.iterations(), offset, s.lr()));
  }

  /** The polyline through the finite (and, on a log axis, positive) values; gaps where there are none. */
  private static Path2D line(Figure.Panel p, long[] iterations, long offset, double[] y) {
    Path2D path = new Path2D.Double();
    boolean pen = false;
    for (int i = 0; i < y.length; i++) {
      if (!Double.isFinite(y[i]) || (p.logY() && y[i] <= 0)) {
        pen = false;
        continue;
      }
      double px = p.px(offset + iterations[i]);
      double py = p.py(y[i]);
      if (pen) {
        path.lineTo(px, py);
      } else {
        path.moveTo(px, py);
        pen = true;
      }
    }
    return path;
  }

  static int window(int n) {
    return Math.max(1, (int) Math.round(n * SMOOTHING));
  }

  /** The mean of the finite values among the {@code window} centred on each point (fewer at the ends). */
  static double[] movingAverage(double[] v, int window) {
    double[] out = new double[v.length];
    int half = window / 2;
    for (int i = 0; i < v.length; i++) {
      double sum = 0;
      int n = 0;
      for (int j = Math.max(0, i - half); j <= Math.min(v.length - 1, i - half + window - 1); j++) {
        if (Double.isFinite(v[j])) {
          sum += v[j];
          n++;
        }
      }
      out[i] = n == 0 ? Double.NaN : sum / n;
    }
    return out;
  }

  private static void drawValidation(Graphics2D g, List<Validation> val, List<Stage> stages) {
    double lo = val.stream().mapToDouble(Validation::mIoU).min().orElseThrow() * 100;
    double hi = val.stream().mapToDouble(Validation::mIoU).max().orElseThrow() * 100;
    Figure.Panel p = new Figure.Panel(LEFT, VAL_TOP, WIDTH - LEFT - RIGHT, VAL_HEIGHT, -0.5, val.size() - 0.5,
        Math.max(0, Math.floor(lo / 5) * 5 - 5), Math.min(100, Math.ceil(hi / 5) * 5 + 5), false);
    p.yAxis(g, "val mIoU (%)");
    List<String> names = stages.stream().map(Stage::name).toList();
    Path2D path = new Path2D.Double();
    for (int i = 0; i < val.size(); i++) {
      Validation v = val.get(i);
      double x = p.px(i);
      double y = p.py(v.mIoU() * 100);
      if (i == 0) {
        path.moveTo(x, y);
      } else {
        path.lineTo(x, y);
      }
      g.setColor(Figure.AXIS);
      Figure.text(g, v.stage(), x, p.top() + p.height() + 6, 0.5, 0);
      Figure.text(g, String.format(Locale.ROOT, "%.1f", v.mIoU() * 100), x, y - 8, 0.5, 1);
    }
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1.5f));
    g.draw(path);
    for (int i = 0; i < val.size(); i++) {
      // A full model's stage is contexts in the log.
      String stage = val.get(i).stage().equals("full") ? "contexts" : val.get(i).stage();
      int k = names.indexOf(stage);
      g.setColor(k < 0 ? Color.GRAY : Figure.series(k));
      g.fill(new Ellipse2D.Double(p.px(i) - 6, p.py(val.get(i).mIoU() * 100) - 6, 12, 12));
    }
    p.frame(g, "mean IoU on the validation images, per stage");
  }

  private static List<Color> colours(int n) {
    List<Color> c = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      c.add(Figure.series(i));
    }
    return c;
  }

  private static double max(List<Stage> stages, Function<Stage, double[]> f) {
    double m = 0;
    for (Stage s : stages) {
      for (double v : f.apply(s)) {
        if (Double.isFinite(v)) {
          m = Math.max(m, v);
        }
      }
    }
    return m > 0 ? m : 1;
  }

  /** Whole decades around the positive learning rates. */
  private static double[] logRange(List<Stage> stages) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (Stage s : stages) {
      for (double v : s.lr()) {
        if (v > 0 && Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (hi == 0) {
      return new double[] {0.1, 1};
    }
    double top = Math.pow(10, Math.ceil(Math.log10(hi) - 1e-9));
    return new double[] {Math.min(top / 10, Math.pow(10, Math.floor(Math.log10(lo)))), top};
  }
}
