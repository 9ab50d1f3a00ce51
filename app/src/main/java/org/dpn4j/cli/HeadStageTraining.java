package org.dpn4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.MedianFrequency;
import org.dpn4j.data.Sample;
import org.dpn4j.model.DpnModel;
import org.dpn4j.train.Checkpoint;
import org.dpn4j.train.CrossEntropy;
import org.dpn4j.train.CsvLog;
import org.dpn4j.train.HeadStageRun;
import org.dpn4j.train.HeadStagesConfig;
import org.dpn4j.train.HeadTrainer;
import org.dpn4j.train.Stage;
import org.dpn4j.train.StageFiles;
import org.dpn4j.train.UnaryLogitsCache;
import org.dpn4j.train.UnaryTrainingConfig;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dpn train --config CFG.json --stage triple|contexts [--iterations N] [--resume]}: one head
 * stage of the paper's Sec. 4.3 on the frozen unary of the stage's starting model
 * ({@link StageFiles#start}): the unary's stride-8 logits are cached once
 * ({@link UnaryLogitsCache}), then {@link HeadStageRun} trains the stage's head parameters, one
 * whole (scaled) training image per step. Writes the stage's model, marked trained {@code triple} or
 * {@code full} (last stage {@code contexts}), a checkpoint and a CSV log (docs/TRAINING.md).
 */
final class HeadStageTraining {

  private static final long PROGRESS_MS = 2000;

  private final CommandSpec spec;
  private final Path configFile;
  private final Stage stage;
  private final Long iterations;
  private final boolean resume;
  private final ThreadsOption threads;

  HeadStageTraining(CommandSpec spec, Path configFile, Stage stage, Long iterations, boolean resume,
      ThreadsOption threads) {
    if (stage != Stage.TRIPLE && stage != Stage.CONTEXTS) {
      throw new IllegalArgumentException("stage " + stage.id() + " is not a head stage (triple, contexts)");
    }
    this.spec = spec;
    this.configFile = configFile;
    this.stage = stage;
    this.iterations = iterations;
    this.resume = resume;
    this.threads = threads;
  }

  int call() throws IOException {
    UnaryTrainingConfig c = UnaryTrainingConfig.read(configFile);
    HeadStagesConfig h = HeadStagesConfig.read(configFile);
    StageFiles files = new StageFiles(c);
    Path out = files.output(stage);
    Path ckpt = files.checkpoint(stage);
    if (Files.exists(out)) {
      throw new IllegalArgumentException(configFile + ": stage " + stage.id() + "'s output " + out
          + " exists and is not overwritten");
    }
    Checkpoint.checkResume(ckpt, resume);
    HeadStagesConfig.StageSettings settings = h.of(stage);
    long n = iterations != null ? iterations : settings.iterations();
    threads.apply();
    Dataset dataset = Datasets.open(c.datasetKind(), c.datasetRoot());
    List<Sample> samples = c.samplesOf(dataset);
    Path start = files.start(stage);
    PrintWriter err = spec.commandLine().getErr();
    try (DpnModel model = DpnModel.load(start)) {
      checkStart(model, start, c, dataset, files);
      err.printf("%-8s starts from %s%n", stage.id(), start);
      UnaryLogitsCache cache = buildCache(model, dataset, samples, h, files, err);
      CrossEntropy loss = new CrossEntropy(
          dataset.labels().ignore(), settings.weighted(c.classWeights()) ? MedianFrequency.weights(dataset, samples) : null);
      HeadStageRun.Settings run = new HeadStageRun.Settings(List.of(stage), n, settings.lr(),
          settings.optimiserFactory(), loss, c.seed(), ckpt, c.checkpointInterval());
      HeadTrainer resumed = resume ? Checkpoint.load(ckpt, model.head()) : null;
      Path log = files.log(stage);
      Progress progress = new Progress(log, resume, err);
      try (progress) {
        new HeadStageRun(run, cache, progress).run(model.head(), resumed);
      }
      if (stage == Stage.TRIPLE) {
        model.setTrained(Stage.TRIPLE.trained(), null);
      } else {
        model.setTrained(Stage.CONTEXTS.trained(), Stage.CONTEXTS.id());
      }
      model.save(out);
      spec.commandLine().getOut().printf(Locale.ROOT,
          "wrote %s (%s trained, %d iterations; loss %s), checkpoint %s, log %s%n",
          out, stage.id(), n, progress.summary(), ckpt, log);
    }
    return 0;
  }

  /** The starting model must have the dataset's labels, and {@code contexts} one after {@code triple}. */
  private void checkStart(DpnModel model, Path start, UnaryTrainingConfig c, Dataset dataset, StageFiles files) {
    if (!model.config().labels().names().equals(dataset.labels().names())) {
      throw new IllegalArgumentException(start + " has the labels " + model.config().labels().names()
          + " but the " + c.datasetKind() + " dataset " + c.datasetRoot() + " has " + dataset.labels().names());
    }
    if (stage == Stage.CONTEXTS && model.config().trained().equals("unary")) {
      throw new IllegalArgumentException("stage contexts starts from a model after stage triple, but "
          + files.output(Stage.TRIPLE) + " does not exist and " + start
          + " has an untrained head: run --stage triple first");
    }
  }

  private UnaryLogitsCache buildCache(DpnModel model, Dataset dataset, List<Sample> samples, HeadStagesConfig h,
      StageFiles files, PrintWriter err) throws IOException {
    Path dir = h.cacheDir() != null ? h.cacheDir() : files.logitsCache();
    long t0 = System.nanoTime();
    int[] read = {0};
    org.dpn4j.util.Progress progress = org.dpn4j.util.Progress.onStderr(err, "cache", samples.size(), "images");
    UnaryLogitsCache cache = UnaryLogitsCache.build(model, dataset, samples, h.cacheScales(), dir, (done, total, disk) -> {
      read[0] = disk;
      progress.step(done, disk + " read from " + dir);
    });
    err.printf(Locale.ROOT, "cache    %d images x %d scales x 2 (mirror): %.1f MB of float16 logits, %.1f s"
            + " (%d images read from %s)%n", samples.size(), h.cacheScales().size(), cache.bytes() / 1e6,
        (System.nanoTime() - t0) / 1e9, read[0], dir);
    return cache;
  }

  /** Progress on standard error (every few seconds and at the end), one CSV line per step. */
  private static final class Progress implements HeadStageRun.Listener, AutoCloseable {
    private final BufferedWriter csv;
    private final PrintWriter err;
    private final List<Double> losses = new ArrayList<>();
    private final ProgressLine line = new ProgressLine(PROGRESS_MS);

    Progress(Path log, boolean append, PrintWriter err) throws IOException {
      this.err = err;
      csv = CsvLog.open(log, append, TrainCommand.HEAD_LOG_HEADER);
    }

    @Override
    public void step(Stage s, HeadTrainer.Step step, long total) {
      losses.add(step.loss());
      try {
        csv.write(String.format(Locale.ROOT, "%d,%s,%.6g,%.6g%n", step.iteration(), s.id(), step.loss(), step.lr()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String speed = line.after(step.iteration(), total, "images");
      if (speed != null) {
        err.printf(Locale.ROOT, "%-8s iteration %d/%d  loss %.4f  lr %.4g  %s%n",
            s.id(), step.iteration() + 1, total, step.loss(), step.lr(), speed);
      }
    }

    @Override
    public void checkpoint(Path dir, Stage s, long iteration) {
      try {
        csv.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The mean loss of the first and of the last quarter of this run's steps. */
    String summary() {
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
}
