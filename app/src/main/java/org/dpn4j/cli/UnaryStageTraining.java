package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.MedianFrequency;
import org.dpn4j.data.Sample;
import org.dpn4j.model.DpnModel;
import org.dpn4j.train.BatchTrainer;
import org.dpn4j.train.Checkpoint;
import org.dpn4j.train.CrossEntropy;
import org.dpn4j.train.FinetuneCheckpoint;
import org.dpn4j.train.FinetuneConfig;
import org.dpn4j.train.FinetuneTrainer;
import org.dpn4j.train.PolySchedule;
import org.dpn4j.train.Sgd;
import org.dpn4j.train.Stage;
import org.dpn4j.train.UnaryCheckpoint;
import org.dpn4j.train.UnaryStageRun;
import org.dpn4j.train.UnaryTrainer;
import org.dpn4j.train.UnaryTrainingConfig;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dpn train --config CFG.json --stage unary|finetune [--iterations N] [--resume]} and
 * {@code dpn train --config CFG.json --joint-from-start}: the stages of the paper's Sec. 4.3 that
 * train the unary on batches of augmented crops (docs/TRAINING.md), as the configuration file says:
 * {@code unary} (b1-b11 with the loss on softmax(b11)), {@code finetune} (everything, from a model
 * whose head is trained) and {@code joint} (everything from the starting model as it is);
 * {@link ConfigTraining} runs it for these stages and for {@code all}.
 */
final class UnaryStageTraining {

  private static final long PROGRESS_MS = 2000;

  /** What a run of one stage uses, from the configuration (the stage's own object for finetune and joint). */
  private record Plan(Stage stage, Path model, Path output, Path checkpointDir, Path log, int batchSize,
      long iterations, double lr, double headLr, boolean classWeights) {}

  private final CommandSpec spec;
  private final Path configFile;
  private final Stage stage;
  private final Long iterations;
  private final boolean resume;
  private final ThreadsOption threads;

  /** {@code stage}: unary, finetune or joint. */
  UnaryStageTraining(CommandSpec spec, Path configFile, Stage stage, Long iterations, boolean resume,
      ThreadsOption threads) {
    if (!stage.trainsUnary()) {
      throw new IllegalArgumentException("stage " + stage.id() + " does not train the unary");
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
    Plan plan = plan(c, stage);
    if (Files.exists(plan.output())) {
      throw new IllegalArgumentException(configFile + ": output " + plan.output() + " exists and is not overwritten");
    }
    Checkpoint.checkResume(plan.checkpointDir(), resume);
    threads.apply();
    Dataset dataset = Datasets.open(c.datasetKind(), c.datasetRoot());
    List<Sample> samples = c.samplesOf(dataset);
    BatchTrainer trainer = resume ? resumed(plan) : started(c, plan, dataset, samples);
    try (DpnModel model = trainer.model(); trainer) {
      Augmentation aug = Augmentation.training(
          c.cropHeight(), c.cropWidth(), model.config().input().normalisation(), dataset.labels().ignore());
      long[] lastPrint = {0};
      long t0 = System.nanoTime();
      new UnaryStageRun(dataset, samples, aug, plan.batchSize(), c.workers())
          .run(trainer, Long.MAX_VALUE, plan.checkpointDir(), c.checkpointInterval(), plan.log(), p -> {
            long now = System.nanoTime();
            boolean last = p.step().iteration() + 1 == trainer.schedule().maxIterations();
            if (last || (now - lastPrint[0]) / 1_000_000 >= PROGRESS_MS) {
              lastPrint[0] = now;
              spec.commandLine().getErr().printf(Locale.ROOT,
                  "%-8s iteration %d/%d  loss %.4f  lr %.4g  %.2f images/s  %s left (%s elapsed)%n",
                  stage.id(), p.step().iteration() + 1, trainer.schedule().maxIterations(), p.step().loss(),
                  p.step().lr(), p.imagesPerSecond(), TrainCommand.time(p.secondsLeft()),
                  TrainCommand.time((now - t0) / 1e9));
            }
          });
      if (stage != Stage.UNARY) {
        model.setTrained(stage.trained(), stage.id());
      }
      model.save(plan.output());
      spec.commandLine().getOut().printf("wrote %s (%s trained, %d iterations), checkpoint %s, log %s%n",
          plan.output(), stage.id(), trainer.iteration(), plan.checkpointDir(), plan.log());
    }
    return 0;
  }

  private Plan plan(UnaryTrainingConfig c, Stage stage) throws IOException {
    if (stage == Stage.UNARY) {
      return new Plan(stage, c.model(), c.output(), c.checkpointDir(), c.log(), c.batchSize(), c.iterations(),
          c.baseLr(), 0, c.classWeights());
    }
    FinetuneConfig f = FinetuneConfig.read(configFile, c, stage);
    return new Plan(stage, f.model(), f.output(), f.checkpointDir(), f.log(), f.batchSize(), f.iterations(),
        f.baseLr(), f.headLr(), f.classWeights());
  }

  private BatchTrainer started(UnaryTrainingConfig c, Plan plan, Dataset dataset, List<Sample> samples)
      throws IOException {
    long n = iterations != null ? iterations : plan.iterations();
    if (n < 1) {
      throw new IllegalArgumentException("--iterations must be >= 1, got " + n);
    }
    DpnModel model = DpnModel.load(plan.model());
    try {
      if (!model.config().labels().names().equals(dataset.labels().names())) {
        throw new IllegalArgumentException(plan.model() + " has the labels " + model.config().labels().names()
            + " but the " + c.datasetKind() + " dataset " + c.datasetRoot() + " has " + dataset.labels().names());
      }
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
      t = UnaryCheckpoint.load(plan.checkpointDir());
    } else {
      FinetuneTrainer f = FinetuneCheckpoint.load(plan.checkpointDir());
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
}
