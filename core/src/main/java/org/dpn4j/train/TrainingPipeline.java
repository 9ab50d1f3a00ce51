package org.dpn4j.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.MedianFrequency;
import org.dpn4j.data.Sample;
import org.dpn4j.model.DpnModel;
import org.dpn4j.plot.TrainingCurves;
import org.dpn4j.util.Progress;

/**
 * The paper's training from a configuration file ({@code dpn train --config}; docs/TRAINING.md):
 * one pipeline of stages, each from the previous stage's output ({@link StageFiles}), driven by the
 * one {@link RunConfig} read once. Stages {@code unary}, {@code finetune} and {@code joint} train on
 * batches of augmented crops ({@link UnaryStageRun}); {@code triple} and {@code contexts} train the
 * head on the frozen unary's cached logits ({@link UnaryLogitsCache}, {@link HeadStageRun}). Every
 * stage writes its model, a checkpoint ({@link Checkpoint}) and a log ({@link TrainingLog}), then
 * the run's curves are drawn again. {@link #all} runs {@link StageFiles#ORDER}, skipping a stage
 * whose output exists, so that running it again continues where it stopped.
 */
public final class TrainingPipeline {

  private final RunConfig config;
  private final Long iterations;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * @param iterations overrides the stage's iterations (a new run only), or null
   * @param out the results; {@code err}: progress
   */
  public TrainingPipeline(RunConfig config, Long iterations, PrintWriter out, PrintWriter err) {
    if (iterations != null && iterations < 1) {
      throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
    }
    this.config = config;
    this.iterations = iterations;
    this.out = out;
    this.err = err;
  }

  /** Runs stage {@code s}; {@code resume} continues its checkpoint. Then draws the run's curves. */
  public void run(Stage s, boolean resume) throws IOException {
    if (s.trainsUnary()) {
      batchStage(s, resume);
    } else {
      headStage(s, resume);
    }
    drawCurves();
  }

  /**
   * The incremental stages in turn ({@link StageFiles#ORDER}), skipping those whose output exists;
   * with {@code resume}, a stage that holds a checkpoint continues it.
   */
  public void all(boolean resume) throws IOException {
    StageFiles files = config.files();
    for (Stage s : StageFiles.ORDER) {
      Path output = files.output(s);
      if (Files.exists(output)) {
        out.printf("stage %s: %s exists, skipped%n", s.id(), output);
        continue;
      }
      // Without --resume, a stage that holds a checkpoint refuses to start over (it says: add --resume).
      run(s, resume && Checkpoint.exists(files.checkpoint(s)));
    }
  }

  /** {@link StageFiles#curves}: the loss and learning rate of every stage that has a log so far. */
  private void drawCurves() throws IOException {
    StageFiles files = config.files();
    List<Path> logs = new ArrayList<>();
    for (Stage s : StageFiles.ORDER) {
      if (Files.exists(files.log(s))) {
        logs.add(files.log(s));
      }
    }
    if (Files.exists(files.log(Stage.JOINT))) {
      logs.add(files.log(Stage.JOINT));
    }
    TrainingCurves.write(logs, files.curves());
    out.println("training curves: " + files.curves());
  }

  // ---- stages unary, finetune, joint ----

  /** What a batch stage uses, from the configuration (the stage's own object for finetune and joint). */
  private record Plan(Stage stage, Path model, Path output, Path checkpointDir, Path log, int batchSize,
      long iterations, double lr, double headLr, boolean classWeights) {}

  private Plan plan(Stage stage) {
    UnaryTrainingConfig c = config.unary();
    if (stage == Stage.UNARY) {
      return new Plan(stage, c.model(), c.output(), c.checkpointDir(), c.log(), c.batchSize(), c.iterations(),
          c.baseLr(), 0, c.classWeights());
    }
    FinetuneConfig f = stage == Stage.FINETUNE ? config.finetune() : config.joint();
    return new Plan(stage, f.model(), f.output(), f.checkpointDir(), f.log(), f.batchSize(), f.iterations(),
        f.baseLr(), f.headLr(), f.classWeights());
  }

  private void batchStage(Stage stage, boolean resume) throws IOException {
    UnaryTrainingConfig c = config.unary();
    Plan plan = plan(stage);
    if (Files.exists(plan.output())) {
      throw new IllegalArgumentException(config.file() + ": output " + plan.output() + " exists and is not overwritten");
    }
    Checkpoint.checkResume(plan.checkpointDir(), resume);
    Resources.checkBatch(c, plan.batchSize());
    Dataset dataset = Datasets.open(c.datasetKind(), c.datasetRoot());
    List<Sample> samples = config.samples(dataset);
    describe(stage, samples);
    Resources.checkCrop(c, dataset, samples);
    BatchTrainer trainer = resume ? resumed(plan) : started(plan, dataset, samples);
    try (DpnModel model = trainer.model(); trainer) {
      Augmentation aug = Augmentation.training(
          c.cropHeight(), c.cropWidth(), model.config().input().normalisation(), dataset.labels().ignore())
          .withPhotometric(c.photometric());
      CsvLog.Resume from = resume ? new CsvLog.Resume(stage.id(), trainer.iteration()) : null;
      try (TrainingLog log = new TrainingLog(plan.log(), TrainingLog.Layout.BATCH, from, plan.checkpointDir(), err)) {
        new UnaryStageRun(dataset, samples, aug, plan.batchSize(), c.workers())
            .run(trainer, Long.MAX_VALUE, plan.checkpointDir(), c.checkpointInterval(), log);
      }
      if (stage != Stage.UNARY) {
        model.setTrained(stage.trained(), stage.id());
      }
      model.save(plan.output());
      out.printf("wrote %s (%s trained, %d iterations), checkpoint %s, log %s%n",
          plan.output(), stage.id(), trainer.iteration(), plan.checkpointDir(), plan.log());
    }
  }

  /** One line on the data a stage trains on: how many images, of which splits and sequences. */
  private void describe(Stage stage, List<Sample> samples) {
    UnaryTrainingConfig c = config.unary();
    err.printf("%-8s trains on %d images of %s%s%n", stage.id(), samples.size(), String.join("+", c.splits()),
        c.sequences().all() ? "" : " (sequences: " + c.sequences() + ")");
  }

  private BatchTrainer started(Plan plan, Dataset dataset, List<Sample> samples) throws IOException {
    UnaryTrainingConfig c = config.unary();
    long n = iterations != null ? iterations : plan.iterations();
    DpnModel model = DpnModel.load(plan.model());
    try {
      checkLabels(model, plan.model(), dataset);
      if (plan.stage() == Stage.FINETUNE && !model.config().trained().equals("full")) {
        throw new IllegalArgumentException("--stage finetune starts from a model whose head is trained (head.trained"
            + " full), but " + plan.model() + " is '" + model.config().trained() + "': train stages triple and"
            + " contexts first, or train everything from the start with --joint-from-start");
      }
      double[] weights = plan.classWeights() ? MedianFrequency.weights(dataset, samples) : null;
      CrossEntropy loss = new CrossEntropy(dataset.labels().ignore(), weights);
      PolySchedule schedule = new PolySchedule(plan.lr(), n);
      if (plan.stage() == Stage.UNARY) {
        return UnaryTrainer.start(model, Sgd.defaults(), schedule, loss, c.seed());
      }
      return FinetuneTrainer.start(model, plan.stage(), Sgd.defaults(), schedule, Sgd.defaults(),
          new PolySchedule(plan.headLr(), n), loss, c.seed());
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private BatchTrainer resumed(Plan plan) throws IOException {
    BatchTrainer t;
    if (plan.stage() == Stage.UNARY) {
      t = UnaryTrainer.resume(plan.checkpointDir());
    } else {
      FinetuneTrainer f = FinetuneTrainer.resume(plan.checkpointDir());
      t = f;
      if (f.stage() != plan.stage()) {
        close(t);
        throw new IllegalArgumentException("--resume: " + plan.checkpointDir() + " holds a run of stage "
            + f.stage().id() + ", not " + plan.stage().id());
      }
    }
    long planned = t.schedule().maxIterations();
    if (iterations != null && iterations != planned) {
      close(t);
      throw new IllegalArgumentException("--iterations " + iterations + ": the run in " + plan.checkpointDir()
          + " was started for " + planned + " iterations (its schedule), which --resume keeps");
    }
    return t;
  }

  private static void close(BatchTrainer t) {
    t.close();
    t.model().close();
  }

  private void checkLabels(DpnModel model, Path file, Dataset dataset) {
    if (!model.config().labels().names().equals(dataset.labels().names())) {
      throw new IllegalArgumentException(file + " has the labels " + model.config().labels().names()
          + " but the " + config.unary().datasetKind() + " dataset " + config.unary().datasetRoot() + " has "
          + dataset.labels().names());
    }
  }

  // ---- stages triple, contexts ----

  private void headStage(Stage stage, boolean resume) throws IOException {
    UnaryTrainingConfig c = config.unary();
    HeadStagesConfig h = config.heads();
    StageFiles files = config.files();
    Path output = files.output(stage);
    Path ckpt = files.checkpoint(stage);
    if (Files.exists(output)) {
      throw new IllegalArgumentException(config.file() + ": stage " + stage.id() + "'s output " + output
          + " exists and is not overwritten");
    }
    Checkpoint.checkResume(ckpt, resume);
    HeadStagesConfig.StageSettings settings = h.of(stage);
    long n = iterations != null ? iterations : settings.iterations();
    Dataset dataset = Datasets.open(c.datasetKind(), c.datasetRoot());
    List<Sample> samples = config.samples(dataset);
    describe(stage, samples);
    Path start = files.start(stage);
    try (DpnModel model = DpnModel.load(start)) {
      checkLabels(model, start, dataset);
      if (stage == Stage.CONTEXTS && model.config().trained().equals("unary")) {
        throw new IllegalArgumentException("stage contexts starts from a model after stage triple, but "
            + files.output(Stage.TRIPLE) + " does not exist and " + start
            + " has an untrained head: run --stage triple first");
      }
      err.printf("%-8s starts from %s%n", stage.id(), start);
      UnaryLogitsCache cache = buildCache(model, dataset, samples);
      CrossEntropy loss = new CrossEntropy(dataset.labels().ignore(),
          settings.weighted(c.classWeights()) ? MedianFrequency.weights(dataset, samples) : null);
      HeadStageRun.Settings run = new HeadStageRun.Settings(List.of(stage), n, settings.lr(),
          settings.optimiserFactory(), loss, c.seed(), ckpt, c.checkpointInterval());
      HeadTrainer resumed = resume ? HeadTrainer.resume(ckpt, model.head()) : null;
      Path logFile = files.log(stage);
      CsvLog.Resume from = resumed == null ? null : new CsvLog.Resume(stage.id(), resumed.iteration());
      String summary;
      try (TrainingLog log = new TrainingLog(logFile, TrainingLog.Layout.HEAD, from, ckpt, err)) {
        new HeadStageRun(run, cache, log).run(model.head(), resumed);
        summary = log.summary();
      }
      model.setTrained(stage.trained(), stage == Stage.CONTEXTS ? stage.id() : null);
      model.save(output);
      out.printf(Locale.ROOT, "wrote %s (%s trained, %d iterations; loss %s), checkpoint %s, log %s%n",
          output, stage.id(), n, summary, ckpt, logFile);
    }
  }

  private UnaryLogitsCache buildCache(DpnModel model, Dataset dataset, List<Sample> samples) throws IOException {
    HeadStagesConfig h = config.heads();
    Path dir = h.cacheDir() != null ? h.cacheDir() : config.files().logitsCache();
    Progress progress = Progress.onStderr(err, "cache    image", samples.size(), "images");
    int[] read = {0};
    UnaryLogitsCache cache = UnaryLogitsCache.build(model, dataset, samples, h.cacheScales(), dir,
        (done, total, disk) -> {
          read[0] = disk;
          progress.step(done, disk + " read from " + dir);
        });
    err.printf(Locale.ROOT, "cache    %d images x %d scales x 2 (mirror): %.1f MB of float16 logits, %.1f s"
            + " (%d images read from %s)%n", samples.size(), h.cacheScales().size(), cache.bytes() / 1e6,
        progress.elapsedSeconds(), read[0], dir);
    return cache;
  }
}
