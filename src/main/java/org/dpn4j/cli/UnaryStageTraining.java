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
import org.dpn4j.train.Checkpoint;
import org.dpn4j.train.CrossEntropy;
import org.dpn4j.train.PolySchedule;
import org.dpn4j.train.Sgd;
import org.dpn4j.train.UnaryCheckpoint;
import org.dpn4j.train.UnaryStageRun;
import org.dpn4j.train.UnaryTrainer;
import org.dpn4j.train.UnaryTrainingConfig;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dpn train --config CFG.json --stage unary [--iterations N] [--resume]}: stage unary of
 * the paper's Sec. 4.3 (b1-b11 with the loss on softmax(b11)) as the configuration file says
 * (docs/TRAINING.md); {@link ConfigTraining} runs it for {@code --stage unary} and {@code all}.
 */
final class UnaryStageTraining {

  private static final long PROGRESS_MS = 2000;

  private final CommandSpec spec;
  private final Path configFile;
  private final TrainCommand.StageOption stage;
  private final Long iterations;
  private final boolean resume;
  private final ThreadsOption threads;

  UnaryStageTraining(CommandSpec spec, Path configFile, TrainCommand.StageOption stage, Long iterations, boolean resume,
      ThreadsOption threads) {
    this.spec = spec;
    this.configFile = configFile;
    this.stage = stage;
    this.iterations = iterations;
    this.resume = resume;
    this.threads = threads;
  }

  int call() throws IOException {
    if (stage != TrainCommand.StageOption.unary) {
      throw new IllegalArgumentException("--config trains --stage unary only; stage "
          + (stage == null ? "(none given)" : stage.name()) + " from a configuration is not available yet"
          + " (the head alone: --head-only)");
    }
    UnaryTrainingConfig c = UnaryTrainingConfig.read(configFile);
    if (Files.exists(c.output())) {
      throw new IllegalArgumentException(configFile + ": output " + c.output() + " exists and is not overwritten");
    }
    boolean saved = Files.exists(c.checkpointDir().resolve(Checkpoint.STATE_FILE));
    if (resume != saved) {
      throw new IllegalArgumentException(resume
          ? "--resume: " + c.checkpointDir() + " holds no checkpoint"
          : c.checkpointDir() + " already holds a checkpoint: add --resume to continue it, or remove it");
    }
    threads.apply();
    Dataset dataset = Datasets.open(c.datasetKind(), c.datasetRoot());
    List<Sample> samples = dataset.samples(c.split());
    if (c.samples() > 0) {
      samples = samples.subList(0, Math.min(c.samples(), samples.size()));
    }
    UnaryTrainer trainer = resume ? resumed(c) : started(c, dataset, samples);
    try (DpnModel model = trainer.model(); trainer) {
      Augmentation aug = Augmentation.training(
          c.cropHeight(), c.cropWidth(), model.config().input().normalisation(), dataset.labels().ignore());
      long[] lastPrint = {0};
      long t0 = System.nanoTime();
      new UnaryStageRun(dataset, samples, aug, c.batchSize(), c.workers())
          .run(trainer, Long.MAX_VALUE, c.checkpointDir(), c.checkpointInterval(), c.log(), p -> {
            long now = System.nanoTime();
            boolean last = p.step().iteration() + 1 == trainer.schedule().maxIterations();
            if (last || (now - lastPrint[0]) / 1_000_000 >= PROGRESS_MS) {
              lastPrint[0] = now;
              spec.commandLine().getErr().printf(Locale.ROOT,
                  "unary    iteration %d/%d  loss %.4f  lr %.4g  %.2f images/s  %s left (%s elapsed)%n",
                  p.step().iteration() + 1, trainer.schedule().maxIterations(), p.step().loss(), p.step().lr(),
                  p.imagesPerSecond(), TrainCommand.time(p.secondsLeft()), TrainCommand.time((now - t0) / 1e9));
            }
          });
      model.save(c.output());
      spec.commandLine().getOut().printf("wrote %s (unary trained, %d iterations), checkpoint %s, log %s%n",
          c.output(), trainer.iteration(), c.checkpointDir(), c.log());
    }
    return 0;
  }

  private UnaryTrainer started(UnaryTrainingConfig c, Dataset dataset, List<Sample> samples) throws IOException {
    long n = iterations != null ? iterations : c.iterations();
    if (n < 1) {
      throw new IllegalArgumentException("--iterations must be >= 1, got " + n);
    }
    DpnModel model = DpnModel.load(c.model());
    try {
      if (!model.config().labels().names().equals(dataset.labels().names())) {
        throw new IllegalArgumentException(c.model() + " has the labels " + model.config().labels().names()
            + " but the " + c.datasetKind() + " dataset " + c.datasetRoot() + " has " + dataset.labels().names());
      }
      double[] weights = c.classWeights() ? MedianFrequency.weights(dataset, samples) : null;
      return UnaryTrainer.start(model, Sgd.defaults(), new PolySchedule(c.baseLr(), n),
          new CrossEntropy(dataset.labels().ignore(), weights), c.seed());
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private UnaryTrainer resumed(UnaryTrainingConfig c) throws IOException {
    UnaryTrainer t = UnaryCheckpoint.load(c.checkpointDir());
    long planned = t.schedule().maxIterations();
    if (iterations != null && iterations != planned) {
      t.close();
      t.model().close();
      throw new IllegalArgumentException("--iterations " + iterations + ": the run in " + c.checkpointDir()
          + " was started for " + planned + " iterations (its schedule), which --resume keeps");
    }
    return t;
  }
}
