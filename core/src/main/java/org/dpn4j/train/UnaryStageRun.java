package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.data.SampleLoader;

/**
 * The loop of the stages that train the unary ({@code unary}, {@code finetune}, {@code joint}; a
 * {@link BatchTrainer}): batches of augmented crops from a {@link SampleLoader} (shuffled
 * passes over the samples, each crop fixed by (seed, pass, sample)), one {@link BatchTrainer#step}
 * per batch, a checkpoint every {@code interval} iterations and at the end, one CSV line per
 * iteration. Batch k takes the loader's items k B .. k B + B - 1, so a resumed run sees the data an
 * uninterrupted one would (the loader walks, and decodes, the items before the resume point again).
 */
public final class UnaryStageRun {

  private final Dataset dataset;
  private final List<Sample> samples;
  private final Augmentation augmentation;
  private final int batchSize;
  private final int workers;

  public UnaryStageRun(Dataset dataset, List<Sample> samples, Augmentation augmentation, int batchSize, int workers) {
    if (batchSize < 1 || workers < 1) {
      throw new IllegalArgumentException("batch size and workers must be >= 1, got " + batchSize + ", " + workers);
    }
    this.dataset = dataset;
    this.samples = List.copyOf(samples);
    this.augmentation = augmentation;
    this.batchSize = batchSize;
    this.workers = workers;
  }

  /**
   * Steps {@code trainer} from its iteration up to its schedule's maximum (or {@code stopAt} if
   * smaller), saving checkpoint {@code checkpointDir} every {@code interval} iterations (0: only at
   * the end) and at the end, a line per step in {@code log} (created with its header if new, cut
   * back to the trainer's iteration if not), without progress lines.
   */
  public void run(BatchTrainer trainer, long stopAt, Path checkpointDir, long interval, Path log) throws IOException {
    try (TrainingLog l = TrainingLog.quiet(log, TrainingLog.Layout.BATCH,
        new CsvLog.Resume(trainer.stage().id(), trainer.iteration()))) {
      run(trainer, stopAt, checkpointDir, interval, l);
    }
  }

  /** {@link #run(BatchTrainer, long, Path, long, Path)} into a run's {@link TrainingLog}. */
  public void run(BatchTrainer trainer, long stopAt, Path checkpointDir, long interval, TrainingLog log)
      throws IOException {
    long end = Math.min(stopAt, trainer.schedule().maxIterations());
    long first = trainer.iteration();
    if (first >= end) {
      return;
    }
    long items = Math.multiplyExact(end, (long) batchSize);
    long epochs = (items + samples.size() - 1) / samples.size();
    try (SampleLoader loader = new SampleLoader(dataset, samples, augmentation,
        SampleLoader.Options.training(trainer.seed(), epochs, workers))) {
      for (long k = 0; k < first * batchSize; k++) {
        loader.next();
      }
      long started = System.nanoTime();
      while (trainer.iteration() < end) {
        List<LabelledImage> batch = new ArrayList<>(batchSize);
        for (int b = 0; b < batchSize; b++) {
          batch.add(loader.next().sample());
        }
        UnaryTrainer.StepResult r = trainer.step(batch);
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = (trainer.iteration() - first) * batchSize / seconds;
        log.step(trainer.stage().id(), r.iteration(), trainer.schedule().maxIterations(), r.loss(), r.lr(), rate);
        if (trainer.iteration() == end || (interval > 0 && trainer.iteration() % interval == 0)) {
          trainer.saveCheckpoint(checkpointDir);
          log.checkpoint(checkpointDir, trainer.iteration());
        }
      }
    }
  }
}
