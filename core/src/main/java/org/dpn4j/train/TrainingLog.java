package org.dpn4j.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dpn4j.util.Progress;

/**
 * The one log of a training run: a CSV line per step ({@link CsvLog}; a resumed run's log has no
 * duplicate rows), the {@link Progress} line on standard error, and the guard that stops a run whose
 * loss is not finite, naming the iteration and the last good checkpoint. It listens to every stage's
 * loop ({@link HeadStageRun}, {@link UnaryStageRun}, {@link TemporalHeadTrainer}).
 */
public final class TrainingLog implements HeadStageRun.Listener, TemporalHeadTrainer.Listener, AutoCloseable {

  /** The CSV columns of each kind of stage (as runs before this class wrote them, so that they continue). */
  public enum Layout {
    /** Stages triple and contexts: one image per step. */
    HEAD("iteration,stage,loss,lr", "images"),
    /** Stages unary, finetune and joint: batches of crops. */
    BATCH("iteration,stage,lr,loss,images_per_s", "batches"),
    /** The spatio-temporal head: one frame per step. */
    TEMPORAL("iteration,loss,lr", "frames");

    final String header;
    final String unit;

    Layout(String header, String unit) {
      this.header = header;
      this.unit = unit;
    }
  }

  private final Layout layout;
  private final BufferedWriter csv;
  private final PrintWriter err;
  private final List<Double> losses = new ArrayList<>();
  private Progress progress;
  private String progressStage;
  private Path checkpoint;
  private long lastEvent = System.nanoTime();

  /**
   * Opens {@code csv}; {@code resumed} (or null for a new run) is where a resumed run continues,
   * {@code checkpoint} the run's checkpoint directory (or null), which a message about a diverged loss
   * names with its iteration.
   */
  public TrainingLog(Path csv, Layout layout, CsvLog.Resume resumed, Path checkpoint, PrintWriter err)
      throws IOException {
    this.layout = layout;
    this.csv = CsvLog.open(csv, layout.header, resumed);
    this.err = err;
    this.checkpoint = checkpoint;
  }

  /** A log without progress lines (tests, library use). */
  public static TrainingLog quiet(Path csv, Layout layout, CsvLog.Resume resumed) throws IOException {
    return new TrainingLog(csv, layout, resumed, null, new PrintWriter(PrintWriter.nullWriter()));
  }

  /**
   * Step {@code iteration} (0-based) of {@code total} of {@code stage} took place: its line in the
   * CSV and on the progress display. A loss that is not finite stops the run ({@link TrainingDiverged}).
   */
  public void step(String stage, long iteration, long total, double loss, double lr, double imagesPerSecond) {
    TrainingDiverged.checkLoss(loss, stage, iteration, checkpoint);
    losses.add(loss);
    try {
      csv.write(switch (layout) {
        case HEAD -> String.format(Locale.ROOT, "%d,%s,%.6g,%.6g%n", iteration, stage, loss, lr);
        case BATCH -> String.format(Locale.ROOT, "%d,%s,%.9g,%.9g,%.4g%n", iteration, stage, lr, loss, imagesPerSecond);
        case TEMPORAL -> String.format(Locale.ROOT, "%d,%.6g,%.6g%n", iteration, loss, lr);
      });
      if (layout == Layout.BATCH) {
        csv.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!stage.equals(progressStage)) {
      // The stage's first step began when the previous event ended: its rate counts from there.
      progressStage = stage;
      progress = Progress.onStderr(err, String.format(Locale.ROOT, "%-8s iteration", stage), total, layout.unit,
          lastEvent);
    }
    progress.step(iteration + 1, String.format(Locale.ROOT, "loss %.4f  lr %.4g", loss, lr));
    lastEvent = System.nanoTime();
  }

  @Override
  public void step(Stage stage, HeadTrainer.Step step, long total) {
    step(stage.id(), step.iteration(), total, step.loss(), step.lr(), 0);
  }

  @Override
  public void step(TemporalHeadTrainer.Step step, long total) {
    step("temporal", step.iteration(), total, step.loss(), step.lr(), 0);
  }

  /** A checkpoint of {@code iteration} was written to {@code dir}: the CSV so far is flushed with it. */
  public void checkpoint(Path dir, long iteration) {
    checkpoint = dir;
    lastEvent = System.nanoTime();
    try {
      csv.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void checkpoint(Path dir, Stage stage, long iteration) {
    checkpoint(dir, iteration);
  }

  /** The mean loss of the first and of the last quarter of this run's steps. */
  public String summary() {
    int k = Math.max(1, losses.size() / 4);
    if (losses.isEmpty()) {
      return "no step taken";
    }
    double a = losses.subList(0, k).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double b = losses.subList(losses.size() - k, losses.size()).stream().mapToDouble(Double::doubleValue)
        .average().orElseThrow();
    return String.format(Locale.ROOT, "mean of the first %d steps %.4f, of the last %d %.4f", k, a, k, b);
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }
}
