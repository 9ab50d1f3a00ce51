package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.SampleLoader;
import org.dpn4j.head.DpnHead;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;

/**
 * Trains the head alone, stage after stage ({@code triple} then {@code contexts}, DESIGN.md section 1
 * "Training"), on fixed unary probabilities: each stage takes {@code iterations} steps of
 * {@link HeadTrainer} at the poly schedule, one image per step. The image of a step and whether it
 * is mirrored depend only on the seed, the stage and the iteration (a shuffled order per pass over
 * the images), so a run resumed from a {@link Checkpoint} sees the same data and ends with the same
 * head, bit for bit, as an uninterrupted one.
 */
public final class HeadStageRun {

  /** One training image: the unary's probabilities p (L x H x W), RGB in [0, 1], H*W labels. */
  public record Example(Maps p, Maps image, int[] labels) {

    /** Mirrored left to right (p, image and labels alike). */
    public Example mirrored() {
      LabelledImage flipped = Augmentation.flip(new LabelledImage("", image, labels));
      return new Example(Images.mirror(p), flipped.image(), flipped.labels());
    }
  }

  /** The training images, read on demand (index 0..size-1). */
  public interface Examples {
    int size();

    Example get(int index) throws IOException;

    /**
     * Example {@code index} mirrored left to right: by default {@link Example#mirrored()}; a source
     * that holds the unary's own output on the mirrored image gives that instead.
     */
    default Example getMirrored(int index) throws IOException {
      return get(index).mirrored();
    }
  }

  /** Hears about each step (for progress and a log) and each checkpoint written. */
  public interface Listener {
    void step(Stage stage, HeadTrainer.Step step, long iterations);

    default void checkpoint(Path dir, Stage stage, long iteration) {}
  }

  /**
   * @param stages the stages in order
   * @param iterations steps per stage
   * @param optimiser a fresh optimiser for a stage
   * @param checkpoint the checkpoint directory, or null for none
   * @param checkpointEvery save every this many iterations (0: only at the end of each stage)
   */
  public record Settings(List<Stage> stages, long iterations, double lr, Supplier<Optimiser> optimiser,
      CrossEntropy loss, long seed, Path checkpoint, long checkpointEvery) {
    public Settings {
      stages = List.copyOf(stages);
      if (stages.isEmpty() || stages.stream().anyMatch(s -> s.trainsUnary())) {
        throw new IllegalArgumentException("head-only training takes the stages triple and contexts, got " + stages);
      }
      if (iterations < 1) {
        throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
      }
      if (checkpointEvery < 0) {
        throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
      }
    }
  }

  private final Settings settings;
  private final Examples examples;
  private final Listener listener;

  public HeadStageRun(Settings settings, Examples examples, Listener listener) {
    if (examples.size() == 0) {
      throw new IllegalArgumentException("no training images");
    }
    this.settings = settings;
    this.examples = examples;
    this.listener = listener;
  }

  /**
   * Trains {@code head} through the stages; with {@code resumed} (a trainer from
   * {@link HeadTrainer#resume} on this head) the run continues from there: its stage is finished,
   * the earlier ones skipped, the later ones run from their start.
   */
  public void run(DpnHead head, HeadTrainer resumed) throws IOException {
    int first = 0;
    if (resumed != null) {
      first = settings.stages.indexOf(resumed.stage());
      checkResumable(resumed, first);
    }
    for (int s = first; s < settings.stages.size(); s++) {
      Stage stage = settings.stages.get(s);
      HeadTrainer t = resumed != null && s == first
          ? resumed
          : HeadTrainer.start(head, stage, settings.optimiser.get(),
              new PolySchedule(settings.lr, settings.iterations), settings.loss, settings.seed);
      runStage(t);
    }
  }

  private void runStage(HeadTrainer t) throws IOException {
    while (t.iteration() < settings.iterations) {
      Example e = example(t.stage(), t.iteration());
      HeadTrainer.Step step = t.step(e.p(), e.image(), e.labels());
      listener.step(t.stage(), step, settings.iterations);
      long done = t.iteration();
      if (settings.checkpointEvery > 0 && done % settings.checkpointEvery == 0 && done < settings.iterations) {
        save(t);
      }
    }
    save(t);
  }

  private void save(HeadTrainer t) throws IOException {
    if (settings.checkpoint != null) {
      t.saveCheckpoint(settings.checkpoint);
      listener.checkpoint(settings.checkpoint, t.stage(), t.iteration());
    }
  }

  private void checkResumable(HeadTrainer t, int index) {
    String what = "the checkpoint " + settings.checkpoint;
    if (index < 0) {
      throw new IllegalArgumentException(what + " is of stage " + t.stage().id() + ", not one of the stages asked for "
          + settings.stages.stream().map(Stage::id).toList());
    }
    PolySchedule s = t.schedule();
    if (s.maxIterations() != settings.iterations || s.base() != settings.lr) {
      throw new IllegalArgumentException(what + " was made with --iterations " + s.maxIterations() + " --lr " + s.base()
          + ", not " + settings.iterations + " and " + settings.lr + ": resume with the same options");
    }
    if (t.optimiser().getClass() != settings.optimiser.get().getClass()
        || t.seed() != settings.seed || t.loss().ignore() != settings.loss.ignore()) {
      throw new IllegalArgumentException(what + " was made with another optimiser, seed or ignore label (seed "
          + t.seed() + "): resume with the same options");
    }
  }

  /** The example of {@code iteration} in {@code stage}: a seeded shuffled order per pass, a seeded mirror. */
  Example example(Stage stage, long iteration) throws IOException {
    int n = examples.size();
    int index = order(stage, iteration / n)[(int) (iteration % n)];
    boolean mirror = new Random(SampleLoader.sampleSeed(settings.seed + 1, stage.ordinal(), iteration)).nextBoolean();
    return mirror ? examples.getMirrored(index) : examples.get(index);
  }

  private int[] order(Stage stage, long pass) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      idx.add(i);
    }
    Collections.shuffle(idx, new Random(SampleLoader.sampleSeed(settings.seed, stage.ordinal(), pass)));
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }
}
