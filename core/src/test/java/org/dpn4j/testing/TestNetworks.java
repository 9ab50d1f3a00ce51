package org.dpn4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.Supplier;
import org.dpn4j.unary.UnaryNetwork;

/** Unary networks in tests: initialised on a manager, and checked for the gradients they pass back. */
public final class TestNetworks {

  private TestNetworks() {}

  /** {@code net} with float32 parameters on {@code m}, initialised for inputs of {@code input}'s shape. */
  public static <N extends UnaryNetwork> N initialised(N net, NDManager m, Shape input) {
    net.initialize(m, DataType.FLOAT32, input);
    return net;
  }

  /**
   * Runs the backward pass of the scalar {@code loss} computes (its forward recorded by a gradient
   * collector), then asserts that each named parameter of {@code net} got a non-zero gradient.
   */
  public static void assertGradientsReach(UnaryNetwork net, Supplier<NDArray> loss, String... names) {
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      gc.backward(loss.get());
    }
    for (String name : names) {
      NDArray g = net.namedParameters().get(name).getArray().getGradient();
      assertTrue(g.abs().sum().getFloat() > 0, name + " has a gradient");
    }
  }
}
