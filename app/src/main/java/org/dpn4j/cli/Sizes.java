package org.dpn4j.cli;

/** Parsing of {@code HxW} size options. */
final class Sizes {

  private Sizes() {}

  /** {@code "512x384"} -> {512, 384} (height, width); a clear error names the option otherwise. */
  static int[] parse(String s, String option) {
    String[] parts = s.trim().toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      if (parts.length == 2) {
        int h = Integer.parseInt(parts[0]);
        int w = Integer.parseInt(parts[1]);
        if (h > 0 && w > 0) {
          return new int[] {h, w};
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        option + " must be HxW with positive integers (height x width), got '" + s + "'");
  }
}
