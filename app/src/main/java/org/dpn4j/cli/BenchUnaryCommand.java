package org.dpn4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Locale;
import org.dpn4j.bench.Stopwatch;
import org.dpn4j.unary.UnaryNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpn bench unary}: time of one unary network on one random N x 3 x H x W batch, inference
 * (logits at the input's size, no dropout) or, with {@code --backward}, a training step's forward
 * and backward. Run each case in a fresh JVM (STACK.md: allocation costs vary).
 */
@Command(
    name = "unary",
    mixinStandardHelpOptions = true,
    description = "Forward (or forward + backward) time of a unary network (median of --runs).")
public final class BenchUnaryCommand extends ComputeCommand {

  @Option(names = "--net", defaultValue = "vgg-lite", description = "vgg16, vgg-lite or mobilenetv2 (${DEFAULT-VALUE}).")
  String net;

  @Option(names = "--size", defaultValue = "360x480", paramLabel = "HxW", description = "Input size (${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--batch", defaultValue = "1", description = "Images per batch (${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--labels", defaultValue = "11", description = "L (${DEFAULT-VALUE}).")
  int labels;

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs (${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup", defaultValue = "1", description = "Untimed runs first (${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--backward", description = "Time forward + backward in training mode.")
  boolean backward;

  @Override
  protected Integer compute() throws Exception {
    int n = threadCount();
    int[] hw = Sizes.parse(size, "--size");
    Shape input = new Shape(batch, 3, hw[0], hw[1]);
    UnaryNetwork model = UnaryNetwork.named(net, labels);
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = engine.newBaseManager()) {
      model.initialize(manager, DataType.FLOAT32, input);
      ParameterStore ps = new ParameterStore(manager, false);
      double ms =
          Stopwatch.medianMs(
              warmup,
              runs,
              () -> {
                try (NDManager run = manager.newSubManager()) {
                  NDArray images = run.randomNormal(input);
                  if (backward) {
                    try (GradientCollector gc = engine.newGradientCollector()) {
                      gc.backward(model.logits(ps, images, true).mean());
                    }
                  } else {
                    model.logits(ps, images, false).toFloatArray();
                  }
                }
              });
      System.out.printf(
          Locale.ROOT,
          "%s %s, %d threads: %s median %.1f ms (%d runs); %,d parameters; peak RSS %.0f MiB%n",
          net, input, n, backward ? "forward+backward" : "forward", ms, runs, model.parameterCount(),
          Stopwatch.peakRssMiB());
    }
    return 0;
  }
}
