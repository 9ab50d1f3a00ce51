package org.dpn4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpn4j.data.SampleLoader;
import org.dpn4j.unary.UnaryNetwork;

/**
 * PyTorch's SGD on a unary network's parameters (b1-b11), written on the NDArrays, with one
 * momentum buffer v per trainable parameter p (DESIGN.md section 3):
 *
 * <pre>
 *   d = dL/dp + wd p;   v = mu v + d;   p = p - lr v        (mu = 0.9, wd = 5e-4)
 * </pre>
 *
 * <p>The update of every stage that trains the unary ({@link UnaryTrainer}, {@link FinetuneTrainer}).
 * Not DJL's {@code Optimizer.sgd()}: that update is one native call whose placement of lr and
 * weight decay relative to the momentum DJL does not document (MXNet's form keeps lr inside v,
 * which differs from PyTorch's once lr changes), and its momentum buffers are private, so a
 * checkpoint could not save them. Parameters that need no gradient are left out.
 */
final class UnarySgd implements AutoCloseable {

  private final Sgd sgd;
  private final NDManager manager;
  private final Map<String, Parameter> trainable = new LinkedHashMap<>();
  private final Map<String, NDArray> momentum = new LinkedHashMap<>();

  /** Zero momentum for every parameter of {@code unary} that needs a gradient. */
  UnarySgd(UnaryNetwork unary, Sgd sgd) {
    this.sgd = sgd;
    this.manager = Engine.getEngine("PyTorch").newBaseManager();
    unary.namedParameters().forEach((n, p) -> {
      if (p.requiresGradient()) {
        trainable.put(n, p);
        momentum.put(n, manager.zeros(p.getArray().getShape()));
      }
    });
  }

  /**
   * Fixes every engine random draw of a step (dropout) by (seed, iteration), so that a resumed
   * run draws what an uninterrupted one would have.
   */
  static void seedStep(long seed, long iteration) {
    Engine.getEngine("PyTorch").setRandomSeed((int) SampleLoader.sampleSeed(seed, -2, iteration));
  }

  /**
   * The SGD step on the gradients the engine left on the parameters, then those gradients set
   * to 0 for the next backward; temporaries (the gradients' handles too) go into {@code m}.
   */
  void update(NDManager m, float lr) {
    NDArray wd = m.create(sgd.weightDecay());
    NDArray mu = m.create(sgd.momentum());
    NDArray rate = m.create(lr);
    for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
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

  /** The gradients the engine left on the parameters, copied out by name, then set to 0 (no update). */
  Map<String, float[]> takeGradients(NDManager m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    trainable.forEach((n, p) -> {
      NDArray g = p.getArray().getGradient();
      g.attach(m);
      out.put(n, g.toFloatArray());
      g.subi(g);
    });
    return out;
  }

  Sgd sgd() {
    return sgd;
  }

  /** The momentum buffer of each trainable parameter, by the parameter's name, copied out. */
  Map<String, float[]> momentumBuffers() {
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

  /** Frees the momentum buffers; the parameters stay (their model owns them). */
  @Override
  public void close() {
    manager.close();
  }

  /** The momentum buffers as optimiser tensors {@code unary.NAME/momentum}. */
  Map<String, float[]> momentumTensors() {
    Map<String, float[]> m = new java.util.LinkedHashMap<>();
    momentumBuffers().forEach((n, v) -> m.put(org.dpn4j.model.DpnModel.UNARY_PREFIX + n + "/" + Sgd.MOMENTUM, v));
    return m;
  }

  /** Restores every trainable parameter's momentum from checkpoint {@code r}'s {@code unary.NAME/momentum}. */
  void restoreMomentum(Checkpoint.Reader r) throws java.io.IOException {
    for (String name : trainableNames()) {
      float[] v = r.buffer(org.dpn4j.model.DpnModel.UNARY_PREFIX + name + "/" + Sgd.MOMENTUM);
      try {
        restoreMomentum(name, v);
      } catch (IllegalArgumentException e) {
        throw new java.io.IOException(r.optimiserPath() + ": " + e.getMessage(), e);
      }
    }
  }
}
