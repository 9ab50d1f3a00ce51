package org.dpn4j.head;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The DPN head's settings in one value (DESIGN.md section 1): b12's window and kernel, b13's kernel
 * size m_c and its number of components K. A model's configuration, {@link DpnHead}, {@code dpn
 * bench} and the command line's {@code --window} all read them from here; {@link #DEFAULT} is the
 * one place where DESIGN.md's defaults are written.
 *
 * <p>The window's written form ({@link Window#parse}, {@link Window#spec}) is the same everywhere:
 * {@code 50@512} is m = 50 at the reference size 512, scaled with the input's longer side;
 * {@code 47} a fixed 47 x 47; {@code 6x9} a fixed 6 x 9 (rows x columns); {@code all} the whole
 * image. The whole spec is written {@code window=50@512,kernel=linear,size=9,components=5}
 * ({@link #toString()}, read back by {@link #parse}).
 *
 * @param window b12's window W(j), fixed or resolved per input
 * @param kernel b12's pairwise term: the linear penalty or the dense-CRF Gaussian kernel
 * @param size b13's kernel size m_c (m_c x m_c)
 * @param components b13's components K per label (b14 pools over them)
 */
public record HeadSpec(Window window, TriplePenalty.Kernel kernel, int size, int components) {

  /** DESIGN.md's b12 window, written: m = 50 at the reference size 512 (a constant for help texts). */
  public static final String DEFAULT_WINDOW = "50@512";

  /** DESIGN.md's head: window {@value #DEFAULT_WINDOW}, the linear kernel, b13 9 x 9 with K = 5. */
  public static final HeadSpec DEFAULT =
      new HeadSpec(Window.parse(DEFAULT_WINDOW), TriplePenalty.Kernel.LINEAR, LabelContexts.DEFAULT_SIZE,
          LabelContexts.DEFAULT_COMPONENTS);

  public HeadSpec {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(kernel, "kernel");
    if (size < 1 || components < 1) {
      throw new IllegalArgumentException("b13's size and components must be positive, got " + size + " and " + components);
    }
  }

  /** The same head with another b12 window. */
  public HeadSpec withWindow(Window w) {
    return new HeadSpec(w, kernel, size, components);
  }

  /** b12's options for this spec: its window and kernel, the other switches at their defaults. */
  public TriplePenalty.Options b12Options(boolean perLabelWeights) {
    return TriplePenalty.Options.builder().window(window).kernel(kernel).perLabelWeights(perLabelWeights).build();
  }

  /**
   * Reads the written form {@code key=value,...} with the keys {@code window}, {@code kernel}
   * ({@code linear} or {@code gaussian}), {@code size} and {@code components}; a key left out keeps
   * {@link #DEFAULT}'s value.
   */
  public static HeadSpec parse(String s) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : s.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (p.isEmpty()) {
        continue;
      }
      if (eq < 0 || kv.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), p.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException(
            "head spec must be key=value pairs (window, kernel, size, components), each once; got '" + s + "'");
      }
    }
    HeadSpec d = DEFAULT;
    Window w = kv.containsKey("window") ? Window.parse(kv.remove("window")) : d.window;
    TriplePenalty.Kernel k = kv.containsKey("kernel") ? kernel(kv.remove("kernel")) : d.kernel;
    int m = kv.containsKey("size") ? positive("size", kv.remove("size")) : d.size;
    int c = kv.containsKey("components") ? positive("components", kv.remove("components")) : d.components;
    if (!kv.isEmpty()) {
      throw new IllegalArgumentException("unknown head spec key(s) " + kv.keySet() + " in '" + s
          + "' (known: window, kernel, size, components)");
    }
    return new HeadSpec(w, k, m, c);
  }

  private static TriplePenalty.Kernel kernel(String v) {
    try {
      return TriplePenalty.Kernel.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("kernel must be linear or gaussian, got '" + v + "'", e);
    }
  }

  private static int positive(String key, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a positive integer, got '" + v + "'", e);
    }
  }

  /** The written form, {@code window=50@512,kernel=linear,size=9,components=5}. */
  @Override
  public String toString() {
    return "window=" + window.spec() + ",kernel=" + kernel.name().toLowerCase(Locale.ROOT) + ",size=" + size
        + ",components=" + components;
  }
}
