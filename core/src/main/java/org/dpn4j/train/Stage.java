package org.dpn4j.train;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.dpn4j.head.DpnHead;

/**
 * The incremental training stages of the paper (Sec. 4.3; DESIGN.md section 1 "Training") and the
 * head parameters each one trains:
 *
 * <ol>
 *   <li>{@code unary}: b1-b11 only (no head parameter);
 *   <li>{@code triple}: b12's two weights, b13 at its identity value;
 *   <li>{@code contexts}: b13 only, b1-b12 frozen;
 *   <li>{@code finetune}: everything (and the unary, at 0.1 x stage 1's learning rate);
 * </ol>
 *
 * and {@code joint} ({@code --joint-from-start}): everything from the initial values at once.
 */
public enum Stage {
  UNARY(EnumSet.noneOf(HeadParameter.class), false),
  TRIPLE(EnumSet.of(HeadParameter.B12_COLOUR, HeadParameter.B12_POSITION), false),
  CONTEXTS(EnumSet.of(HeadParameter.B13), true),
  FINETUNE(EnumSet.allOf(HeadParameter.class), false),
  JOINT(EnumSet.allOf(HeadParameter.class), true);

  private final EnumSet<HeadParameter> trains;
  private final boolean startsContexts;

  Stage(EnumSet<HeadParameter> trains, boolean startsContexts) {
    this.trains = trains;
    this.startsContexts = startsContexts;
  }

  /** The head parameters this stage updates; all others stay frozen. */
  public Set<HeadParameter> headParameters() {
    return EnumSet.copyOf(trains);
  }

  /** Whether the stage also trains b1-b11. */
  public boolean trainsUnary() {
    return this == UNARY || this == FINETUNE || this == JOINT;
  }

  /**
   * What the stage does to the head when it begins (once, not on resume): the stages that first
   * train b13 ({@code contexts}, {@code joint}) add the seeded N(0, 1e-3^2) noise to the components
   * k >= 1, so that identical components stop sharing b14's arg-min.
   */
  public void start(DpnHead head, long seed) {
    if (startsContexts) {
      head.b13().addComponentNoise(seed);
    }
  }

  /** The name in configurations and on the command line: {@code unary}, {@code triple}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The model file's {@code head.trained} after this stage: {@code unary}, {@code triple} or {@code full}. */
  public String trained() {
    return switch (this) {
      case UNARY -> "unary";
      case TRIPLE -> "triple";
      default -> "full";
    };
  }

  /** The stage named {@code id} ({@link #id()}), or an error listing the names. */
  public static Stage parse(String id) {
    for (Stage s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown training stage '" + id + "', expected one of unary, triple, contexts, finetune, joint");
  }
}
