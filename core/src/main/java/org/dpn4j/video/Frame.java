package org.dpn4j.video;

import java.util.Objects;
import org.dpn4j.value.Maps;

/** One video frame: its name (for output files and messages) and its colours, 3 x H x W RGB in [0, 1]. */
public record Frame(String name, Maps rgb) {
  public Frame {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rgb, "rgb");
  }
}
