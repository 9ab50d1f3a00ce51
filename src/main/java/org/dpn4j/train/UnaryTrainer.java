package org.dpn4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.SampleLoader;
import org.dpn4j.model.DpnModel;
import org.dpn4j.unary.UnaryNetwork;

/**
 * Stage {@code unary} of the paper's incremental training (Sec. 4.3; DESIGN.md section 1
 * "Training"): b1-b11 learn with the cross-entropy on softmax(b11), the head is not touched.
 *
 * <p>One {@link #step} per batch: the unary's forward in training mode, {@link CrossEntropy#ofLogits}
 * (one mean over the batch's counted pixels), the engine's backward, then PyTorch's SGD on every
 * trainable unary parameter p with momentum buffer v, at lr = poly(iteration) (DESIGN.md section 3):
 *
 * <pre>
 *   d = dL/dp + wd p;   v = mu v + d;   p = p - lr v        (mu = 0.9, wd = 5e-4)
 * </pre>
 *
 * <p>Written on the NDArrays rather than with DJL's {@code Optimizer.sgd()}: that update is one
 * native call whose placement of lr and weight decay relative to the momentum DJL does not
 * document (MXNet's form keeps lr inside v, which differs from PyTorch's once lr changes), and its
 * momentum buffers are private, so a checkpoint could not save them. Parameters that need no gradient are left out.
 *
 * <p>Every engine random draw of a step (dropout) comes from a seed fixed by (seed, iteration), so
 * a resumed run draws what an uninterrupted one would have.
 */
public final class UnaryTrainer implements AutoCloseable {

  /** The step's outcome: the iteration it ran as (0-based), its learning rate and loss. */
  public record StepResult(long iteration, double lr, double loss) {}

  private final DpnModel model;
  private final Sgd sgd;
  private final PolySchedule schedule;
  private final CrossEntropy loss;
  private final long seed;
  private long iteration;
  private final NDManager manager;
  private final ParameterStore store;
  private final Map<String, NDArray> momentum = new LinkedHashMap<>();

  UnaryTrainer(DpnModel model, Sgd sgd, PolySchedule schedule, CrossEntropy loss, long seed, long iteration) {
    this.model = model;
    this.sgd = sgd;
    this.schedule = schedule;
    this.loss = loss;
    this.seed = seed;
    this.iteration = iteration;
    this.manager = Engine.getEngine("PyTorch").newBaseManager();
    this.store = new ParameterStore(manager, false);
    for (Map.Entry<String, Parameter> e : trainable().entrySet()) {
      momentum.put(e.getKey(), manager.zeros(e.getValue().getArray().getShape()));
    }
  }

  /** A new run of stage {@code unary} on {@code model}'s unary, from iteration 0 with zero momentum. */
  public static UnaryTrainer start(DpnModel model, Sgd sgd, PolySchedule schedule, CrossEntropy loss, long seed) {
    return new UnaryTrainer(model, sgd, schedule, loss, seed, 0);
  }

  /**
   * One SGD step on {@code batch} (augmented, normalised crops of one size) at lr(iteration); the
   * iteration then advances.
   */
  public StepResult step(List<LabelledImage> batch) {
    double lr = schedule.lr(iteration);
    Engine.getEngine("PyTorch").setRandomSeed((int) SampleLoader.sampleSeed(seed, -2, iteration));
    double value;
    try (NDManager m = manager.newSubManager()) {
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray l = lossOf(m, batch, true);
        gc.backward(l);
        value = l.getFloat();
      }
      update(m, (float) lr);
    }
    return new StepResult(iteration++, lr, value);
  }

  /** The loss on {@code batch} with the unary in evaluation mode (no dropout, batch norm frozen), no update. */
  public double evaluate(List<LabelledImage> batch) {
    try (NDManager m = manager.newSubManager()) {
      return lossOf(m, batch, false).getFloat();
    }
  }

  private NDArray lossOf(NDManager m, List<LabelledImage> batch, boolean training) {
    LabelledImage first = batch.get(0);
    int h = first.h();
    int w = first.w();
    float[] images = new float[batch.size() * 3 * h * w];
    int[] labels = new int[batch.size() * h * w];
    for (int i = 0; i < batch.size(); i++) {
      LabelledImage s = batch.get(i);
      if (s.h() != h || s.w() != w || s.image().c != 3) {
        throw new IllegalArgumentException("a batch needs RGB images of one size: " + s.name() + " is "
            + s.image().c + "x" + s.h() + "x" + s.w() + ", " + first.name() + " is 3x" + h + "x" + w);
      }
      System.arraycopy(s.image().data, 0, images, i * 3 * h * w, 3 * h * w);
      System.arraycopy(s.labels(), 0, labels, i * h * w, h * w);
    }
    NDArray x = m.create(images, new Shape(batch.size(), 3, h, w));
    NDArray y = m.create(labels, new Shape(batch.size(), h, w));
    return loss.ofLogits(model.unary().logits(store, x, training), y);
  }

  /**
   * PyTorch's SGD step, then the gradients set to 0 for the next backward; temporaries (the
   * gradients' handles too) go into the step's manager.
   */
  private void update(NDManager m, float lr) {
    NDArray wd = m.create(sgd.weightDecay());
    NDArray mu = m.create(sgd.momentum());
    NDArray rate = m.create(lr);
    for (Map.Entry<String, Parameter> e : trainable().entrySet()) {
      NDArray p = e.getValue().getArray();
      NDArray g = p.getGradient();
      g.attach(m);
      NDArray v = momentum.get(e.getKey());
      v.muli(mu).addi(wd.mul(p).addi(g));
      p.subi(rate.mul(v));
      // The engine accumulates into p's gradient (a new GradientCollector does not clear it).
      g.subi(g);
    }
  }

  /** The unary's parameters that the loss trains (those that need a gradient), by name. */
  private Map<String, Parameter> trainable() {
    Map<String, Parameter> t = new LinkedHashMap<>();
    model.unary().namedParameters().forEach((n, p) -> {
      if (p.requiresGradient()) {
        t.put(n, p);
      }
    });
    return t;
  }

  /** The momentum buffer of each trainable parameter, by the parameter's name, copied out. */
  public Map<String, float[]> momentumBuffers() {
    Map<String, float[]> b = new LinkedHashMap<>();
    momentum.forEach((n, v) -> b.put(n, v.toFloatArray()));
    return b;
  }

  /** Sets the momentum buffer of parameter {@code name} (as {@link #momentumBuffers} gives it). */
  void restoreMomentum(String name, float[] values) {
    NDArray v = momentum.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the unary has no trainable parameter '" + name + "'");
    }
    if (values.length != v.getShape().size()) {
      throw new IllegalArgumentException(
          "momentum of '" + name + "' has " + values.length + " values, the parameter " + v.getShape().size());
    }
    v.set(values);
  }

  /** The names of the trainable parameters, in network order. */
  List<String> trainableNames() {
    return List.copyOf(momentum.keySet());
  }

  public DpnModel model() {
    return model;
  }

  public Sgd sgd() {
    return sgd;
  }

  public PolySchedule schedule() {
    return schedule;
  }

  public CrossEntropy loss() {
    return loss;
  }

  public long seed() {
    return seed;
  }

  /** The next step's iteration (= steps done). */
  public long iteration() {
    return iteration;
  }

  /** Frees the momentum buffers; the model stays open (its owner closes it). */
  @Override
  public void close() {
    manager.close();
  }
}
