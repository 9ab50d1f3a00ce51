package org.dpn4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Parameter sets for {@code @MethodSource} tests. */
public final class Cases {

  private Cases() {}

  /**
   * Every combination of one value from each axis, the last axis varying fastest: one
   * {@link Arguments} per combination, its values in the order of the axes.
   */
  public static Stream<Arguments> product(List<?>... axes) {
    List<Object[]> combos = new ArrayList<>();
    combos.add(new Object[0]);
    for (List<?> axis : axes) {
      List<Object[]> longer = new ArrayList<>();
      for (Object[] c : combos) {
        for (Object v : axis) {
          Object[] n = java.util.Arrays.copyOf(c, c.length + 1);
          n[c.length] = v;
          longer.add(n);
        }
      }
      combos = longer;
    }
    return combos.stream().map(Arguments::of);
  }

  /** Both values of a boolean axis. */
  public static final List<Boolean> BOTH = List.of(false, true);
}
