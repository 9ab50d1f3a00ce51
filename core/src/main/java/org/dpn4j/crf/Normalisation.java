package org.dpn4j.crf;

/** How a dense CRF kernel K is normalised before it filters Q (DESIGN.md section 5). */
public enum Normalisation {
  /** K~ = D^-1/2 K D^-1/2 with D = diag(K 1): the reference library's default. */
  SYMMETRIC,
  /**
   * K itself (the exact dense CRF of DESIGN.md section 1). The reference library's
   * NO_NORMALIZATION instead scales K by N / sum(K 1); with this option, fold such a constant
   * into the compatibility.
   */
  NONE;

  /** Parses {@code symmetric} or {@code none} (any case). */
  public static Normalisation parse(String s) {
    for (Normalisation n : values()) {
      if (n.name().equalsIgnoreCase(s)) {
        return n;
      }
    }
    throw new IllegalArgumentException("normalisation must be symmetric or none, got '" + s + "'");
  }
}
