package org.dpn4j.cli;

import org.dpn4j.head.HeadSpec;
import org.dpn4j.head.Window;
import org.dpn4j.model.DpnModel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code --window W}, b12's window override (a picocli mixin), in {@link HeadSpec}'s written form:
 * {@code M@S}, {@code M}, {@code MxN} or {@code all}. Without it a model keeps its own window and
 * {@code bench} takes {@link HeadSpec#DEFAULT}'s.
 */
final class WindowOption {

  @Option(names = "--window", paramLabel = "W", converter = Parser.class,
      description = "b12's window: M@S (M at reference size S, scaled with the input's longer side), M (a fixed"
          + " M x M), MxN (rows x columns) or all. Default: the model's own (bench: "
          + HeadSpec.DEFAULT_WINDOW + ", DESIGN.md's).")
  Window window;

  /** The window given, or {@code fallback}. */
  Window or(Window fallback) {
    return window != null ? window : fallback;
  }

  /** The spec with the window given, if any. */
  HeadSpec applyTo(HeadSpec spec) {
    return window != null ? spec.withWindow(window) : spec;
  }

  /** Gives {@code model} the window given, if any. */
  void applyTo(DpnModel model) {
    if (window != null) {
      model.setWindow(window);
    }
  }

  /** picocli's converter: a bad value is a usage error naming the forms. */
  static final class Parser implements ITypeConverter<Window> {
    @Override
    public Window convert(String value) {
      return Window.parse(value);
    }
  }
}
