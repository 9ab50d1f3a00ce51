package org.dpn4j.cli;

import java.util.List;
import org.dpn4j.eval.Ensemble;
import org.dpn4j.model.DpnModel;
import picocli.CommandLine.Option;

/**
 * Test-time averaging (a picocli mixin), {@link Ensemble}: the input scales and the mirrored image
 * whose unary probabilities are averaged before the head refines them. One declaration for
 * {@code dpn segment}, {@code dpn eval} and {@code dpn spark eval}. docs/RESULTS.md measures what
 * each adds and costs on CamVid's held-out drive.
 */
public final class TestTimeOptions {

  @Option(names = "--scales", split = ",", defaultValue = "1", paramLabel = "S,...",
      description = "Input scales of the unary whose probabilities are averaged (default: ${DEFAULT-VALUE}).")
  List<Double> scales;

  @Option(names = "--flip", description = "Also average the unary's probabilities of the mirrored image.")
  boolean flip;

  /** {@code model} over these scales and flip. */
  public Ensemble ensemble(DpnModel model) {
    return new Ensemble(List.of(model), scales, flip);
  }
}
