package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.dpn4j.data.SampleLoader;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.model.HeadTensors;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.head.TriplePenalty3d;

/**
 * Trains the spatio-temporal head (DESIGN.md section 1, "Spatio-temporal DPN") on frozen unary
 * probabilities: one {@link #step} is the 3D head's forward on frame t with its warped neighbours
 * t-1, t+1, the cross-entropy on frame t's b15 output P_t, the backward, and an optimiser update of
 * the 3D head's own parameters ({@link Parameter}: its b12's w_rgb, w_xy and the whole 3D b13, the
 * temporal taps tau = +-1 and the tau = 0 taps) at the poly schedule's learning rate. Everything
 * else (the unary, the 2D head it started from) is an input and stays as it was.
 *
 * <p>{@link #run} takes one frame per step in a seeded shuffled order per pass over the frames, so
 * that a run resumed from its checkpoint ({@link #saveCheckpoint}) sees the same frames as an uninterrupted one.
 */
public final class TemporalHeadTrainer {

  /** The 3D head's trained parameter arrays, named as in a model file (docs/MODEL_FORMAT.md). */
  public enum Parameter {
    B12_COLOUR(HeadTensors.TEMPORAL_W_RGB),
    B12_POSITION(HeadTensors.TEMPORAL_W_XY),
    B13(HeadTensors.TEMPORAL_B13);

    private final String tensorName;

    Parameter(String tensorName) {
      this.tensorName = tensorName;
    }

    public String tensorName() {
      return tensorName;
    }

    /** The head's live array. */
    public float[] values(DpnHead3d head) {
      return switch (this) {
        case B12_COLOUR -> head.b12().b12().wRgb();
        case B12_POSITION -> head.b12().b12().wXy();
        case B13 -> head.b13().weights();
      };
    }

    /** Every parameter's live array by its tensor name. */
    public static Map<String, float[]> named(DpnHead3d head) {
      Map<String, float[]> m = new java.util.LinkedHashMap<>();
      for (Parameter p : values()) {
        m.put(p.tensorName(), p.values(head));
      }
      return m;
    }

    /** This parameter's gradient in a backward pass's result: the 2D head's parameter of the same name. */
    public float[] gradient(DpnHead3d.Gradients g) {
      return HeadParameter.valueOf(name()).gradient(g);
    }
  }

  /** One training frame: frame t with its warped neighbours, and frame t's labels (H*W). */
  public record Example(TriplePenalty3d.Frames frames, int[] labels) {}

  /** The training frames, read on demand (index 0..size-1). */
  public interface Examples {
    int size();

    Example get(int index) throws IOException;
  }

  /** What one step did: its iteration, learning rate and loss (before the update). */
  public record Step(long iteration, double lr, double loss) {}

  /** Hears about each step and each checkpoint written. */
  public interface Listener {
    void step(Step step, long iterations);

    default void checkpoint(Path dir, long iteration) {}
  }

  private final DpnHead3d head;
  private final Optimiser optimiser;
  private final PolySchedule schedule;
  private final CrossEntropy loss;
  private final long seed;
  private final boolean temporalTapsOnly;
  /** With {@link #temporalTapsOnly}: the tau = 0 taps as they were, restored after each update. */
  private final float[] centreTaps;
  private long iteration;

  /** A run at iteration 0; {@code schedule.maxIterations()} is the run's length. */
  public TemporalHeadTrainer(DpnHead3d head, Optimiser optimiser, PolySchedule schedule, CrossEntropy loss, long seed,
      boolean temporalTapsOnly) {
    this(head, optimiser, schedule, loss, seed, temporalTapsOnly, 0);
  }

  TemporalHeadTrainer(DpnHead3d head, Optimiser optimiser, PolySchedule schedule, CrossEntropy loss, long seed,
      boolean temporalTapsOnly, long iteration) {
    this.head = Objects.requireNonNull(head, "head");
    if (head.b12().b12().options().kernel() != TriplePenalty.Kernel.LINEAR) {
      throw new IllegalArgumentException("the spatio-temporal head is trained with the linear b12 kernel only");
    }
    this.optimiser = Objects.requireNonNull(optimiser, "optimiser");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.loss = Objects.requireNonNull(loss, "loss");
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    this.seed = seed;
    this.temporalTapsOnly = temporalTapsOnly;
    this.centreTaps = temporalTapsOnly ? head.b13().weights().clone() : null;
    this.iteration = iteration;
  }

  /** Whether tau = 0 of b13 is tau = 0: tap i of the 3D b13's weights (K*L, L, 3, m, m). */
  private boolean isCentreTap(int i) {
    int m = head.b13().size();
    return i / (m * m) % 3 == 1;
  }

  /** The cross-entropy of the head's output on frame t, without training. */
  public double loss(TriplePenalty3d.Frames frames, int[] labels) {
    return loss.ofProbabilities(head.refine(frames), labels).loss();
  }

  /** The loss on one frame and its gradient w.r.t. each trained parameter. */
  public record Gradients(double loss, Map<Parameter, float[]> parameters) {}

  /** The cross-entropy on frame t's b15 output and its gradients, without an update. */
  public Gradients gradients(TriplePenalty3d.Frames frames, int[] labels) {
    DpnHead3d.Stages stages = head.forward(frames);
    CrossEntropy.Result r = loss.ofProbabilities(stages.b15(), labels);
    DpnHead3d.Gradients g = head.backward(frames, stages, r.gradient());
    Map<Parameter, float[]> out = new EnumMap<>(Parameter.class);
    for (Parameter p : Parameter.values()) {
      out.put(p, p.gradient(g));
    }
    return new Gradients(r.loss(), out);
  }

  /** One step on one frame. */
  public Step step(TriplePenalty3d.Frames frames, int[] labels) {
    Gradients g = gradients(frames, labels);
    float lr = (float) schedule.lr(iteration);
    if (!temporalTapsOnly) {
      for (Parameter p : Parameter.values()) {
        optimiser.step(p.values(head), g.parameters().get(p), lr);
      }
    } else {
      float[] w = head.b13().weights();
      float[] grad = g.parameters().get(Parameter.B13);
      for (int i = 0; i < grad.length; i++) {
        if (isCentreTap(i)) {
          grad[i] = 0;
        }
      }
      optimiser.step(w, grad, lr);
      // Weight decay moves even a tap without gradient: put the frozen ones back exactly.
      for (int i = 0; i < w.length; i++) {
        if (isCentreTap(i)) {
          w[i] = centreTaps[i];
        }
      }
    }
    return new Step(iteration++, lr, g.loss());
  }

  /**
   * Steps until the schedule's last iteration, one frame of {@code examples} each; with a
   * {@code checkpoint} directory (else null) saves there every {@code every} steps (0: at the end only)
   * and at the end.
   */
  public void run(Examples examples, Path checkpoint, long every, Listener listener) throws IOException {
    if (examples.size() == 0) {
      throw new IllegalArgumentException("no training frames");
    }
    if (every < 0) {
      throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + every);
    }
    long iterations = schedule.maxIterations();
    while (iteration < iterations) {
      Example e = examples.get(frameOf(iteration, examples.size()));
      listener.step(step(e.frames(), e.labels()), iterations);
      if (checkpoint != null && every > 0 && iteration % every == 0 && iteration < iterations) {
        save(checkpoint, listener);
      }
    }
    if (checkpoint != null) {
      save(checkpoint, listener);
    }
  }

  private void save(Path checkpoint, Listener listener) throws IOException {
    saveCheckpoint(checkpoint);
    listener.checkpoint(checkpoint, iteration);
  }

  /** The format of the spatio-temporal head's checkpoints (no stage; {@link Checkpoint}'s layout). */
  public static final String CHECKPOINT_FORMAT = "dpn4j-temporal-checkpoint";

  /** Saves the run as checkpoint {@code dir}: the 3D head's parameters, the optimiser's state and the counters. */
  public void saveCheckpoint(Path dir) throws IOException {
    Checkpoint.Writer w = new Checkpoint.Writer(CHECKPOINT_FORMAT, null, iteration, seed);
    w.state().put("contextSize", head.b13().size());
    w.state().put("temporalTapsOnly", temporalTapsOnly);
    Map<String, float[]> named = Parameter.named(head);
    w.schedule("schedule", schedule).loss(loss).optimiser("optimiser", optimiser)
        .optimiserState("optimiserSteps", named, optimiser).parameters(named).save(dir);
  }

  /**
   * Restores a run saved by {@link #saveCheckpoint}: copies the parameters into {@code head} (same
   * labels, K and 3D b13 size as the saved one) and returns a trainer at the saved iteration with
   * the saved seed, schedule, loss and optimiser state.
   */
  public static TemporalHeadTrainer resume(Path dir, DpnHead3d head) throws IOException {
    Checkpoint.Reader r = Checkpoint.Reader.open(dir, CHECKPOINT_FORMAT);
    long size = r.state().integer("contextSize");
    if (size != head.b13().size()) {
      throw new IOException(r.stateFile() + ": the checkpoint's 3D b13 is " + size + " x " + size + " x 3, the head's "
          + head.b13().size() + ": resume with the same --context");
    }
    Optimiser optimiser = r.optimiser("optimiser");
    Map<String, float[]> named = Parameter.named(head);
    r.parameters(named);
    r.optimiserState("optimiserSteps", named, optimiser);
    return new TemporalHeadTrainer(head, optimiser, r.schedule("schedule"), r.loss(), r.seed(),
        r.state().bool("temporalTapsOnly"), r.iteration());
  }

  /** The frame of {@code it}: a shuffled order per pass over the {@code n} frames, seeded by the run's seed and the pass. */
  int frameOf(long it, int n) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      idx.add(i);
    }
    Collections.shuffle(idx, new Random(SampleLoader.sampleSeed(seed, 0, it / n)));
    return idx.get((int) (it % n));
  }

  public DpnHead3d head() {
    return head;
  }

  public Optimiser optimiser() {
    return optimiser;
  }

  public PolySchedule schedule() {
    return schedule;
  }

  public CrossEntropy lossFunction() {
    return loss;
  }

  public long seed() {
    return seed;
  }

  /** Whether only the temporal taps (tau = +-1) of b13 are trained. */
  public boolean temporalTapsOnly() {
    return temporalTapsOnly;
  }

  /** The number of steps taken so far (the next step's iteration). */
  public long iteration() {
    return iteration;
  }
}
