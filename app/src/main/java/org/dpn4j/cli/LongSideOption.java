package org.dpn4j.cli;

import org.dpn4j.model.DpnModel;
import picocli.CommandLine.Option;

/**
 * {@code --long-side N}, the size the unary sees (a picocli mixin): images resized so that their
 * longer side is N, 0 for their own size. Without it a model keeps its own {@code input.longSide}
 * (models/camvid: 720, CamVid's 480 x 360 frames seen at 1.5 times their size, the test-time size
 * docs/RESULTS.md selects on the held-out drive).
 */
final class LongSideOption {

  @Option(names = "--long-side", paramLabel = "N",
      description = "Resize images so that their longer side is N before the unary, 0 for their own size"
          + " (the head runs at that size, the outputs are at the image's). Default: the model's own input.longSide.")
  Integer longSide;

  /** Gives {@code model} the size given, if any; a negative one is an error naming the option. */
  void applyTo(DpnModel model) {
    if (longSide != null) {
      if (longSide < 0) {
        throw new IllegalArgumentException("--long-side must be 0 or more, got " + longSide);
      }
      model.setLongSide(longSide);
    }
  }
}
