package org.dpn4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.dpn4j.model.DpnModel;

/**
 * What every trainer that updates the unary by SGD with momentum holds ({@link UnaryTrainer},
 * {@link FinetuneTrainer}): the model, the unary's SGD and schedule, the loss, the run's seed and
 * iteration, and the engine manager and parameter store of its steps.
 */
abstract class UnarySgdTrainer implements BatchTrainer {

  final DpnModel model;
  final UnarySgd sgd;
  final PolySchedule schedule;
  final CrossEntropy loss;
  final long seed;
  long iteration;
  final NDManager manager;
  final ParameterStore store;

  /** Subclasses check their arguments before calling this: it opens an engine manager. */
  UnarySgdTrainer(DpnModel model, Sgd sgd, PolySchedule schedule, CrossEntropy loss, long seed, long iteration) {
    this.model = model;
    this.schedule = schedule;
    this.loss = loss;
    this.seed = seed;
    this.iteration = iteration;
    this.manager = Engine.getEngine("PyTorch").newBaseManager();
    this.store = new ParameterStore(manager, false);
    this.sgd = new UnarySgd(model.unary(), sgd);
  }

  /** The momentum buffer of each trainable unary parameter, by the parameter's name, copied out. */
  public Map<String, float[]> momentumBuffers() {
    return sgd.momentumBuffers();
  }

  UnarySgd unarySgd() {
    return sgd;
  }

  @Override
  public DpnModel model() {
    return model;
  }

  /** The unary's SGD settings. */
  public Sgd sgd() {
    return sgd.sgd();
  }

  /** The loss the steps descend. */
  public CrossEntropy loss() {
    return loss;
  }

  /** The unary's schedule (the run's length). */
  @Override
  public PolySchedule schedule() {
    return schedule;
  }

  @Override
  public long seed() {
    return seed;
  }

  /** The next step's iteration (= steps done). */
  @Override
  public long iteration() {
    return iteration;
  }

  /** Frees the momentum buffers; the model stays open (its owner closes it). */
  @Override
  public void close() {
    sgd.close();
    manager.close();
  }
}
