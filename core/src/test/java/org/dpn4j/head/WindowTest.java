package org.dpn4j.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowTest {

  @Test
  void resolutionFollowsDesign() {
    assertEquals(47, Window.scaledSize(50, 512, 360, 480));
    assertEquals(47, Window.scaledSize(50, 512, 480, 360));
    assertEquals(50, Window.scaledSize(50, 512, 512, 512));
    assertEquals(100, Window.scaledSize(50, 512, 1024, 300));
    // 50 * 261 / 512 = 25.49 -> 25; 50 * 256 / 512 = 25; 35 * 128 / 512 = 8.75 -> 9.
    assertEquals(25, Window.scaledSize(50, 512, 261, 10));
    assertEquals(9, Window.scaledSize(35, 512, 128, 128));
    // Half up: 3 * 3 / 2 = 4.5 -> 5; never below 1.
    assertEquals(5, Window.scaledSize(3, 2, 3, 1));
    assertEquals(1, Window.scaledSize(50, 512, 1, 1));
    assertEquals(Window.of(47), Window.scaled(50, 512).resolve(360, 480));
    assertFalse(Window.scaled(50, 512).isResolved());
    assertThrows(IllegalStateException.class, () -> Window.scaled(50, 512).size());
  }

  @Test
  void evenWindowsAreHalfOpenAndOddOnesSymmetric() {
    Window even = Window.of(50);
    assertEquals(-25, even.minDy());
    assertEquals(24, even.maxDy());
    assertEquals(2500, even.size());
    Window odd = Window.of(5, 3);
    assertEquals(-2, odd.minDy());
    assertEquals(2, odd.maxDy());
    assertEquals(-1, odd.minDx());
    assertEquals(1, odd.maxDx());
    assertEquals(5, odd.height());
    assertEquals(3, odd.width());
    Window one = Window.of(1);
    assertEquals(0, one.minDx());
    assertEquals(0, one.maxDx());
  }

  @Test
  void mirroredWindowNegatesTheOffsets() {
    Window m = Window.of(4, 6).mirrored();
    assertEquals(-1, m.minDy());
    assertEquals(2, m.maxDy());
    assertEquals(-2, m.minDx());
    assertEquals(3, m.maxDx());
    assertEquals(24, m.size());
    assertEquals(Window.of(4, 6), m.mirrored());
  }

  @Test
  void allReachesEveryPixel() {
    Window all = Window.all().resolve(3, 5);
    assertEquals(-2, all.minDy());
    assertEquals(2, all.maxDy());
    assertEquals(-4, all.minDx());
    assertEquals(4, all.maxDx());
    assertEquals(5 * 9, all.size());
    assertEquals(all, all.mirrored());
  }

  @Test
  void parsesOptionValues() {
    assertEquals(Window.of(35), Window.parse("35"));
    assertEquals(Window.of(4, 6), Window.parse("4x6"));
    assertEquals(Window.all(), Window.parse("ALL"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Window.parse("4x"));
    assertTrue(e.getMessage().contains("'4x'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Window.parse("0"));
    assertThrows(IllegalArgumentException.class, () -> Window.scaled(50, 0));
  }
}
