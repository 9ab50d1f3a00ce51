package org.dpn4j.train;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A first-order optimiser for the head's parameters, plain float arrays updated in place. Each
 * parameter array keeps its own state (momentum, moments, step count), found by the array's
 * identity: pass the same live array at every step.
 */
public abstract sealed class Optimiser permits Sgd, Adam {

  /** One array's state: how many steps it took, and its buffers by name (each as long as the array). */
  public record State(long steps, Map<String, float[]> buffers) {}

  private final Map<float[], State> states = new IdentityHashMap<>();

  /** Updates {@code param} in place with its gradient {@code grad} at learning rate {@code lr}. */
  public final void step(float[] param, float[] grad, float lr) {
    if (param.length != grad.length) {
      throw new IllegalArgumentException(
          "gradient has " + grad.length + " values for a parameter of " + param.length);
    }
    State s = states.computeIfAbsent(param, p -> new State(0, newBuffers(p.length)));
    update(param, grad, lr, s.buffers(), s.steps() + 1);
    states.put(param, new State(s.steps() + 1, s.buffers()));
  }

  /** A copy of the state of {@code param}, or null if it never took a step. */
  public final State state(float[] param) {
    State s = states.get(param);
    return s == null ? null : copy(s);
  }

  private static State copy(State s) {
    Map<String, float[]> b = new LinkedHashMap<>();
    s.buffers().forEach((name, v) -> b.put(name, v.clone()));
    return new State(s.steps(), b);
  }

  /** Replaces the state of {@code param} with a copy of {@code state} (resuming a run). */
  public final void restore(float[] param, State state) {
    Map<String, float[]> expected = newBuffers(param.length);
    if (!expected.keySet().equals(state.buffers().keySet())) {
      throw new IllegalArgumentException(
          "optimiser state has buffers " + state.buffers().keySet() + ", expected " + expected.keySet());
    }
    state.buffers().forEach((name, b) -> {
      if (b.length != param.length) {
        throw new IllegalArgumentException(
            "optimiser buffer '" + name + "' has " + b.length + " values for a parameter of " + param.length);
      }
      expected.put(name, b.clone());
    });
    states.put(param, new State(state.steps(), expected));
  }

  /** Zero buffers for a new parameter of {@code n} values, by name. */
  abstract Map<String, float[]> newBuffers(int n);

  /** The update of step number {@code t} (1-based) for this array. */
  abstract void update(float[] p, float[] g, float lr, Map<String, float[]> buffers, long t);
}
