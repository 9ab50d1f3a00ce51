package org.dpn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.dpn4j.bench.BenchInputs;
import org.dpn4j.value.Maps;
import picocli.CommandLine.Option;

/** The input options of the head and refinement benchmarks (a picocli mixin): photo, size, labels. */
final class BenchInputOptions {

  @Option(names = "--size", paramLabel = "HxW", defaultValue = "512x512", description = "Input size (default ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--labels", defaultValue = "21", description = "Labels L (default ${DEFAULT-VALUE}).")
  int labels;

  @Option(names = "--image", paramLabel = "FILE", description = "Photo to use (default: a VOC photo in ../shared/data).")
  Path image;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  /** {height, width} of --size. */
  int[] hw() {
    return Sizes.parse(size, "--size");
  }

  /** The photo at --size, RGB in [0, 1]. */
  Maps photo() throws IOException {
    int[] hw = hw();
    return BenchInputs.photo(image, hw[0], hw[1]);
  }

  /** Smooth random probabilities, L x H x W (seed 1). */
  Maps probabilities() {
    int[] hw = hw();
    return BenchInputs.smoothProbabilities(labels, hw[0], hw[1], 1);
  }
}
